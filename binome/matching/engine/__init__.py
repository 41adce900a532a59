"""Pure matching engine (no Django): see docs/matching-engine.md."""

from binome.matching.engine.api import Prepared, explain, greedy, prepare, solve, top_suggestions
from binome.matching.engine.problem import InvalidProblem

__all__ = [
    "InvalidProblem",
    "Prepared",
    "explain",
    "greedy",
    "prepare",
    "solve",
    "top_suggestions",
]
