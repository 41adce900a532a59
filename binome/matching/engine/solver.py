"""Exact lexicographic b-matching by min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Network: source → mentee (capacity 1) → mentor (capacity 1 per candidate pair) → sink
(capacity = mentor capacity). ``solve_max_flow_with_min_cost`` first finds the maximum flow
(= most matched mentees) and then, among maximum flows, the minimum cost. Each pair arc costs
``vmax − v`` with v = score cents + the mentee's bonus cents (integers): every unit of flow
crosses exactly one pair arc, so minimising Σ(vmax − v) at a fixed flow maximises Σ v. Costs
stay ≤ 10⁴ + bonus, so there is no big-M and no precision loss beyond the 0.01 rounding of
scores, and the optimum is exact on those integers.
"""

from __future__ import annotations

import numpy as np

ARC_CHUNK = 1 << 20


def solve_flow(
    n_mentees: int,
    capacity: np.ndarray,
    mentee: np.ndarray,
    mentor: np.ndarray,
    value: np.ndarray,
) -> np.ndarray:
    """Return a bool mask over the pairs: the chosen matching."""
    if len(mentee) == 0:
        return np.zeros(0, bool)
    from ortools.graph.python import min_cost_flow

    n_mentors = len(capacity)
    source, sink = 0, n_mentees + n_mentors + 1
    users = np.unique(mentee)
    used_mentors = np.unique(mentor)
    vmax = int(value.max())
    flow = min_cost_flow.SimpleMinCostFlow()
    zeros = np.zeros(len(users), np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(zeros, 1 + users, zeros + 1, zeros)
    # pair arcs, in chunks to bound the transient int64 copies; arc ids are sequential
    first_pair_arc = len(users)
    for i in range(0, len(mentee), ARC_CHUNK):
        e = mentee[i : i + ARC_CHUNK].astype(np.int64)
        m = mentor[i : i + ARC_CHUNK].astype(np.int64)
        cost = vmax - np.asarray(value[i : i + ARC_CHUNK], np.int64)
        flow.add_arcs_with_capacity_and_unit_cost(1 + e, 1 + n_mentees + m, np.ones_like(e), cost)
    flow.add_arcs_with_capacity_and_unit_cost(
        1 + n_mentees + used_mentors,
        np.full(len(used_mentors), sink),
        capacity[used_mentors].astype(np.int64),
        np.zeros(len(used_mentors), np.int64),
    )
    flow.set_node_supply(source, len(users))
    flow.set_node_supply(sink, -len(users))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    pair_arcs = np.arange(first_pair_arc, first_pair_arc + len(mentee))
    return flow.flows(pair_arcs) > 0
