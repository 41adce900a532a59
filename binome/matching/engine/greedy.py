"""Greedy best-pair-first baseline (not optimal; for benchmarks and reports only)."""

from __future__ import annotations

import numpy as np


def greedy_select(
    n_mentees: int,
    capacity: np.ndarray,
    mentee: np.ndarray,
    mentor: np.ndarray,
    value: np.ndarray,
) -> np.ndarray:
    """Take pairs by decreasing value (ties: mentee, then mentor index) while both are free."""
    order = np.lexsort((mentor, mentee, -np.asarray(value)))
    left = capacity.astype(np.int64).tolist()
    free = [True] * n_mentees
    chosen = np.zeros(len(mentee), bool)
    for start in range(0, len(order), 1 << 16):  # chunks: no list of millions of ints
        idx = order[start : start + (1 << 16)]
        for i, e, m in zip(idx.tolist(), mentee[idx].tolist(), mentor[idx].tolist(), strict=True):
            if free[e] and left[m] > 0:
                free[e] = False
                left[m] -= 1
                chosen[i] = True
    return chosen
