"""Candidate pairs: every feasible pair, or each mentee's K best when pruning is declared.

Mentees are cut into *blocks* that share one list of candidate mentors; a block is scored as a
dense (mentees × mentors) cell grid, prefiltered by distance, then scored pair by pair.

* Geography mandatory: mentees with coordinates are grouped by (distance-limit bucket, remote
  flag, grid cell on the unit sphere, cell size ≈ 0.25 × L; sparse cells fall back to a cell
  8× larger). One batched kd-tree query (3-D unit vectors, exact for great-circle radii on the
  whole globe) gives each group the mentors within (group extent + chord(L)). Remote mentees
  also see every remote mentor; remote mentees without coordinates see only remote mentors;
  the other mentees without coordinates have no candidate.
* Otherwise every mentor is a candidate of every mentee (n × m cells, in blocks): fine for a
  programme, but at national scale make geography mandatory.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from binome.matching.engine.problem import EARTH_RADIUS_KM, Problem
from binome.matching.engine.scoring import evaluate

BLOCK_CELLS = 1 << 17  # cells scored per block (memory ~ 100 bytes per cell, transient)
FINE_MIN_MENTEES = 24  # a grid cell with fewer mentees joins its coarse cell
COARSE_FACTOR = 8
CELL_FACTOR = 0.25  # grid cell size / distance limit
MERGE_CELLS = 1 << 15  # merge small groups up to this many cells


def chord(limit_km: np.ndarray | float) -> np.ndarray:
    """Straight-line distance on the unit sphere for a great-circle distance in km."""
    return 2.0 * np.sin(np.minimum(np.asarray(limit_km) / (2.0 * EARTH_RADIUS_KM), np.pi / 2))


@dataclass
class Block:
    mentees: np.ndarray  # mentee indices (rows)
    mentors: np.ndarray  # sorted mentor indices (columns)
    prefilter: bool  # drop cells beyond the mentee's distance limit before scoring
    remote: bool  # rows are remote mentees: remote mentors pass the prefilter


@dataclass
class Candidates:
    mentee: np.ndarray  # int32, sorted by (mentee, mentor)
    mentor: np.ndarray  # int32
    cents: np.ndarray  # int32 score × 100
    feasible_count: np.ndarray  # per mentee, before pruning
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def feasible_pairs(self) -> int:
        return int(self.feasible_count.sum())


def _split(block: Block) -> list[Block]:
    rows = max(1, BLOCK_CELLS // max(1, len(block.mentors)))
    return [
        Block(block.mentees[i : i + rows], block.mentors, block.prefilter, block.remote)
        for i in range(0, len(block.mentees), rows)
    ]


def _geo_blocks(p: Problem) -> list[Block]:
    from scipy.spatial import cKDTree

    me, mo = p.mentees, p.mentors
    limit = p.mentee_limit_km
    remote_mentors = np.flatnonzero(mo.remote)
    blocks: list[Block] = []
    nocoord = np.flatnonzero(~me.has_coords & me.remote)
    if len(nocoord) and len(remote_mentors):
        blocks.append(Block(nocoord, remote_mentors, False, True))
    located = np.flatnonzero(me.has_coords)
    with_coords = np.flatnonzero(mo.has_coords)
    if len(located) == 0 or (len(with_coords) == 0 and len(remote_mentors) == 0):
        return blocks
    xyz = me.xyz[located]
    lim = limit[located]
    bucket = np.floor(np.log(lim) / np.log(1.25)).astype(np.int64)
    cell_km = CELL_FACTOR * np.power(1.25, bucket + 1)  # relative to the bucket's largest L
    fine = np.floor(xyz * (EARTH_RADIUS_KM / cell_km)[:, None]).astype(np.int64)
    rem = me.remote[located].astype(np.int64)
    key = np.column_stack([bucket, rem, np.zeros_like(bucket), fine])
    _, inv, cnt = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    sparse = cnt[inv.ravel()] < FINE_MIN_MENTEES
    key[sparse, 2] = 1
    key[sparse, 3:] = np.floor(
        xyz[sparse] * (EARTH_RADIUS_KM / (COARSE_FACTOR * cell_km[sparse]))[:, None]
    ).astype(np.int64)
    _, inv = np.unique(key, axis=0, return_inverse=True)
    inv = inv.ravel()
    order = np.argsort(inv, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(inv[order]) != 0])
    ends = np.r_[starts[1:], len(order)]
    n_groups = len(starts)
    gid = inv[order]
    center = np.zeros((n_groups, 3))
    np.add.at(center, gid, xyz[order])
    center /= (ends - starts)[:, None]
    ext = np.zeros(n_groups)
    np.maximum.at(ext, gid, np.linalg.norm(xyz[order] - center[gid], axis=1))
    lmax = np.zeros(n_groups)
    np.maximum.at(lmax, gid, lim[order])
    radius = ext + chord(lmax) * (1 + 1e-9) + 1e-12
    if len(with_coords):
        tree = cKDTree(mo.xyz[with_coords])
        near = tree.query_ball_point(center, radius, workers=2, return_sorted=True)
    else:
        near = [[] for _ in range(n_groups)]
    # small neighbouring groups (consecutive in key order) are merged into one block
    # sharing the union of their mentors: fewer, larger NumPy calls
    pending: list[np.ndarray] = []
    pending_cols = np.zeros(0, np.int64)
    pending_remote = False
    for g in range(n_groups):
        rows = located[order[starts[g] : ends[g]]]
        cols = with_coords[np.asarray(near[g], np.int64)]
        is_remote = bool(me.remote[rows[0]])
        if is_remote:
            cols = np.union1d(cols, remote_mentors)
        if len(cols) == 0:
            continue
        if pending and is_remote == pending_remote:
            merged = np.union1d(pending_cols, cols)
            n_rows = sum(len(r) for r in pending) + len(rows)
            if n_rows * len(merged) <= MERGE_CELLS:
                pending.append(rows)
                pending_cols = merged
                continue
        if pending:
            blocks.append(Block(np.concatenate(pending), pending_cols, True, pending_remote))
        pending, pending_cols, pending_remote = [rows], cols, is_remote
    if pending:
        blocks.append(Block(np.concatenate(pending), pending_cols, True, pending_remote))
    return blocks


def _run_block(p: Problem, b: Block, k: int | None, key_shift: int):
    """Score a block densely; return its feasible (or top-k) pairs, row-major."""
    na, nb = len(b.mentees), len(b.mentors)
    ev = evaluate(p, b.mentees[:, None], b.mentors[None, :])
    ok = ev.feasible
    count = ok.sum(axis=1)
    if k is not None and nb > k and (count > k).any():
        big = np.flatnonzero(count > k)
        dtype = np.int32 if key_shift <= 17 else np.int64
        rank = ((1 << key_shift) - 1 - b.mentors).astype(dtype)[None, :]
        keys = ev.cents[big].astype(dtype) << key_shift
        keys |= rank
        # infeasible cells get distinct negative keys: introselect degrades on many ties
        np.copyto(keys, -1 - rank, where=~ok[big])
        # keys are distinct within a row: exactly k cells reach the k-th largest
        kth = np.partition(keys, nb - k, axis=1)[:, nb - k]
        ok[big] = keys >= kth[:, None]
    r, c = np.nonzero(ok)
    return (
        b.mentees,
        count,
        np.bincount(r, minlength=na),
        b.mentees[r],
        b.mentors[c],
        ev.cents[r, c],
    )


def build_candidates(p: Problem, workers: int = 2) -> Candidates:
    t0 = time.perf_counter()
    n, m = len(p.mentees), len(p.mentors)
    geo = p.geography
    if n == 0 or m == 0:
        blocks: list[Block] = []
    elif geo is not None and geo.mandatory:
        blocks = _geo_blocks(p)
    else:
        blocks = [Block(np.arange(n), np.arange(m), False, False)]
    blocks = [s for b in blocks for s in _split(b)]
    t1 = time.perf_counter()
    k = p.candidates_per_mentee
    key_shift = max(1, int(m).bit_length())  # cents < 2**14: int32 keys up to 131071 mentors
    if workers > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(lambda b: _run_block(p, b, k, key_shift), blocks))
    else:
        results = [_run_block(p, b, k, key_shift) for b in blocks]
    feasible_count = np.zeros(n, np.int64)
    kept_count = np.zeros(n, np.int64)
    first = np.zeros(n, np.int64)
    offset = 0
    for rows, count, kept, e, _, _ in results:
        feasible_count[rows] = count
        kept_count[rows] = kept
        first[rows] = offset + np.cumsum(kept) - kept
        offset += len(e)
    if results:
        e_all = np.concatenate([x[3].astype(np.int32) for x in results])
        m_all = np.concatenate([x[4].astype(np.int32) for x in results])
        c_all = np.concatenate([x[5].astype(np.int32) for x in results])
    else:
        e_all = m_all = c_all = np.zeros(0, np.int32)
    del results
    # reorder so that pairs are sorted by (mentee, mentor): each mentee's run is contiguous
    new_first = np.cumsum(kept_count) - kept_count
    perm = np.arange(offset) + np.repeat(first - new_first, kept_count)
    out = Candidates(e_all[perm], m_all[perm], c_all[perm], feasible_count)
    del e_all, m_all, c_all, perm
    out.timings = {"candidates": t1 - t0, "scoring": time.perf_counter() - t1}
    return out
