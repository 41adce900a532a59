"""Public entry points: solve, greedy, explain, top_suggestions, prepare."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from binome.matching.engine.candidates import Candidates, build_candidates, chord
from binome.matching.engine.greedy import greedy_select
from binome.matching.engine.problem import (
    InvalidProblem,
    Problem,
    _parse_side,
    _repack,
    parse_problem,
)
from binome.matching.engine.scoring import evaluate
from binome.matching.engine.solver import solve_flow


def _round4(a: np.ndarray) -> list[float]:
    return np.round(a, 4).tolist()


def _cents_to_float(c: int) -> float:
    return round(c / 100, 2)


def _result(
    p: Problem, cand: Candidates, chosen: np.ndarray, phases: dict[str, float], t0: float
) -> dict[str, Any]:
    me, mo = p.mentees, p.mentors
    e = cand.mentee[chosen].astype(np.int64)
    m = cand.mentor[chosen].astype(np.int64)
    cents = cand.cents[chosen].astype(np.int64)
    order = np.argsort(e, kind="stable")  # pairs listed by mentee id
    e, m, cents = e[order], m[order], cents[order]
    ev = evaluate(p, e, m, detail=True)
    names = [c.name for c in p.criteria]
    parts = {n: _round4(ev.parts[n]) for n in names}
    pairs = [
        {
            "mentor": mo.ids[mj],
            "mentee": me.ids[ei],
            "score": _cents_to_float(ci),
            "breakdown": {n: parts[n][i] for n in names},
        }
        for i, (ei, mj, ci) in enumerate(zip(e.tolist(), m.tolist(), cents.tolist(), strict=True))
    ]
    matched = np.zeros(len(me), bool)
    matched[e] = True
    used = np.zeros(len(mo), bool)
    used[m] = True
    unmatched = [
        {"id": me.ids[i], "reason": "capacity" if cand.feasible_count[i] else "no_feasible_mentor"}
        for i in np.flatnonzero(~matched).tolist()
    ]
    phases["output"] = time.perf_counter() - t0 - sum(phases.values())
    return {
        "pairs": pairs,
        "unmatched_mentees": unmatched,
        "unused_mentors": [mo.ids[j] for j in np.flatnonzero(~used).tolist()],
        "objective": {
            "matched": len(pairs),
            "total_score": _cents_to_float(int(cents.sum())),
            "total_bonus": _cents_to_float(int(me.bonus_cents[e].sum())),
        },
        "stats": {
            "mentors": len(mo),
            "mentees": len(me),
            "feasible_pairs": cand.feasible_pairs,
            "candidate_pairs": len(cand.mentee),
            "seconds": round(time.perf_counter() - t0, 3),
            "phases": {k: round(v, 4) for k, v in phases.items()},
        },
    }


def run(problem: Any, methods: tuple[str, ...] = ("optimal",)) -> dict[str, dict[str, Any]]:
    """Solve with each method ("optimal", "greedy") on one shared candidate set."""
    t0 = time.perf_counter()
    p = _problem(problem)
    parse = time.perf_counter() - t0
    cand = build_candidates(p)
    out = {}
    for method in methods:
        t = time.perf_counter()
        value = cand.cents + p.mentees.bonus_cents[cand.mentee]
        select = solve_flow if method == "optimal" else greedy_select
        chosen = select(len(p.mentees), p.mentors.capacity, cand.mentee, cand.mentor, value)
        del value
        phases = {"parse": parse, **cand.timings, "solve": time.perf_counter() - t}
        out[method] = _result(p, cand, chosen, phases, time.perf_counter() - sum(phases.values()))
    return out


def solve(problem: Any) -> dict[str, Any]:
    """Optimal matching: most matched mentees, then the largest Σ(score + bonus)."""
    return run(problem, ("optimal",))["optimal"]


def greedy(problem: Any) -> dict[str, Any]:
    """Greedy best-pair-first baseline on the same candidate pairs (for comparison only)."""
    return run(problem, ("greedy",))["greedy"]


def _problem(problem: Any) -> Problem:
    if isinstance(problem, Prepared):
        return problem.problem
    return parse_problem(problem)


class Prepared:
    """A parsed problem with a lazily built mentor index, for repeated interactive queries."""

    def __init__(self, problem: Any):
        self.problem = _problem(problem)
        self._tree = None
        self._located = np.flatnonzero(self.problem.mentors.has_coords)

    def _nearby(self, p: Problem, e: int) -> np.ndarray | None:
        """Mentors that can pass a mandatory geography condition, or None if all can."""
        geo = p.geography
        if geo is None or not geo.mandatory:
            return None
        me, mo = p.mentees, p.mentors
        cols = np.zeros(0, np.int64)
        if me.has_coords[e] and len(self._located):
            if self._tree is None:
                from scipy.spatial import cKDTree

                self._tree = cKDTree(mo.xyz[self._located])
            r = float(chord(p.mentee_limit_km[e])) * (1 + 1e-9) + 1e-12
            found = self._tree.query_ball_point(me.xyz[e], r, return_sorted=True)
            cols = self._located[np.asarray(found, np.int64)]
        if me.remote[e]:
            cols = np.union1d(cols, np.flatnonzero(mo.remote))
        return cols

    def _target(self, mentee: str | dict) -> tuple[Problem, int]:
        p = self.problem
        if isinstance(mentee, dict):  # a newcomer, scored against the same mentors
            vocab = {f: dict(v) for f, v in p.vocab.items()}
            side = _parse_side([mentee], "mentee", vocab, p.today, p.waiting_bonus_per_month)
            mentors = p.mentors
            if any(len(v) != len(p.vocab[f]) for f, v in vocab.items()):
                mentors = _copy_side(p.mentors)
                _repack(mentors, vocab)
                _repack(side, vocab)
            q = Problem(
                p.criteria,
                p.min_score,
                p.waiting_bonus_per_month,
                p.today,
                p.candidates_per_mentee,
                mentors,
                side,
                np.zeros(0, np.int64),
                np.zeros(1, bool),
                vocab,
            )
            return q, 0
        if not isinstance(mentee, str) or mentee not in p.mentees.index:
            raise InvalidProblem(f"unknown mentee id {mentee!r}")
        return p, p.mentees.index[mentee]

    def _entries(self, p: Problem, e: int, m: np.ndarray, limit: int | None):
        """Explain entries for mentors m (sorted ids), best first; and how many are feasible."""
        one = np.array([e], np.int64)  # broadcast: the mentee side is gathered once
        ev = evaluate(p, one, m)
        shift = max(20, len(p.mentors).bit_length())
        key = (ev.feasible.astype(np.int64) << (shift + 15)) | (ev.cents.astype(np.int64) << shift)
        key |= (1 << shift) - 1 - m
        if limit is not None and limit < len(key):
            idx = np.argpartition(-key, limit)[:limit]
            idx = idx[np.argsort(-key[idx])]
        else:
            idx = np.argsort(-key)
        n_feasible = int(ev.feasible.sum())
        chosen = m[idx]
        ev = evaluate(p, one, chosen, detail=True)
        names = [c.name for c in p.criteria]
        ids = p.mentors.ids
        parts = {n: np.round(ev.parts[n], 4).tolist() for n in names}
        dist = ev.distance.tolist() if ev.distance is not None else [math.nan] * len(chosen)
        codes = list(ev.failed)
        flags = np.stack([ev.failed[c] for c in codes], 1).tolist() if codes else None
        out = []
        for i, (j, cents) in enumerate(zip(chosen.tolist(), ev.cents.tolist(), strict=True)):
            failed = [c for c, f in zip(codes, flags[i], strict=True) if f] if flags else []
            d = dist[i]
            out.append(
                {
                    "mentor": ids[j],
                    "score": _cents_to_float(cents),
                    "feasible": not failed,
                    "failed": failed,
                    "breakdown": {n: parts[n][i] for n in names},
                    "distance_km": None if math.isnan(d) else round(d, 3),
                }
            )
        return out, n_feasible

    def explain(self, mentee: str | dict, limit: int | None = None) -> list[dict[str, Any]]:
        """Every mentor (or the best `limit`) for one mentee: feasible first, best score first,
        then mentor id; with the failed conditions of each."""
        p, e = self._target(mentee)
        if limit is not None:
            near = self._nearby(p, e)
            if near is not None:
                out, n_feasible = self._entries(p, e, near, limit)
                if n_feasible >= limit:
                    return out
        return self._entries(p, e, np.arange(len(p.mentors)), limit)[0]

    def top_suggestions(
        self, mentee: str | dict, k: int = 5, taken: dict[str, int] | None = None
    ) -> list[dict[str, Any]]:
        """The k best feasible mentors with free capacity (capacity − taken > 0)."""
        p, e = self._target(mentee)
        mo = p.mentors
        cols = self._nearby(p, e)
        if cols is None:
            cols = np.arange(len(mo))
        free = mo.capacity[cols].copy()
        for mid, n in (taken or {}).items():
            j = mo.index.get(mid)
            pos = np.searchsorted(cols, j) if j is not None else len(cols)
            if pos < len(cols) and cols[pos] == j:
                free[pos] -= n
        cols = cols[free > 0]
        out, n_feasible = self._entries(p, e, cols, k)
        return out[: min(k, n_feasible)]

    def solve(self) -> dict[str, Any]:
        return solve(self)


def _copy_side(side):
    from dataclasses import replace

    return replace(
        side,
        sets={f: list(w) for f, w in side.sets.items()},
        languages=list(side.languages),
        mother_tongue=list(side.mother_tongue),
    )


def prepare(problem: Any) -> Prepared:
    return problem if isinstance(problem, Prepared) else Prepared(problem)


def explain(problem: Any, mentee_id: str | dict, limit: int | None = None) -> list[dict]:
    """Every mentor for one mentee with score, breakdown and failed conditions, best first."""
    return prepare(problem).explain(mentee_id, limit)


def top_suggestions(
    problem: Any, mentee_id: str | dict, k: int = 5, taken: dict[str, int] | None = None
) -> list[dict]:
    """The k best feasible mentors with free capacity for one mentee, best first."""
    return prepare(problem).top_suggestions(mentee_id, k, taken)
