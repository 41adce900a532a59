"""Vectorised scoring of (mentee, mentor) pairs given as two index arrays.

Every function here is element-wise over the pairs, so a pair gets bit-identical values
whichever batch it is computed in (solve, explain, suggestions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from binome.matching.engine.problem import EARTH_RADIUS_KM, NO_YEAR, Problem

# failure codes reported by explain, in this order
TOO_FAR = "too_far"
EXCLUDED = "excluded"
BELOW_MIN = "below_min_score"


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Textbook haversine distance (R = 6371.0088 km) from degrees; a reference for tests."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def pair_distance_km(p: Problem, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Great-circle distance of each pair, NaN when either side has no coordinates.

    The haversine quantity hav(θ) = h² where h is half the chord between the two unit
    vectors; d = 2R·atan2(h, √(1 − h²)) is the haversine formula, evaluated without
    trigonometry on the inputs and without cancellation for short distances.
    """
    me, mo = p.mentees, p.mentors
    dx = me.x[e] - mo.x[m]
    h2 = dx * dx
    dx = me.y[e] - mo.y[m]
    h2 += dx * dx
    dx = me.z[e] - mo.z[m]
    h2 += dx * dx
    h2 *= 0.25
    return (2.0 * EARTH_RADIUS_KM) * np.arctan2(np.sqrt(h2), np.sqrt(np.maximum(1.0 - h2, 0.0)))


def _intersect_count(a_words, b_words, e, m) -> np.ndarray:
    total = None
    for aw, bw in zip(a_words, b_words, strict=True):
        c = np.bitwise_count(aw[e] & bw[m])
        total = c if total is None else total + c.astype(np.int32)
    return total


def _share(a_words, b_words, e, m) -> np.ndarray:
    out = None
    for aw, bw in zip(a_words, b_words, strict=True):
        c = (aw[e] & bw[m]) != 0
        out = c if out is None else out | c
    return out


def _add(total: np.ndarray, weight: float, s: np.ndarray) -> None:
    """total += weight × s, in place (s is consumed)."""
    if weight != 1.0:
        np.multiply(s, weight, out=s)
    total += s


@dataclass
class Evaluation:
    cents: np.ndarray  # int32: the score rounded to 0.01, times 100
    feasible: np.ndarray  # bool
    parts: dict[str, np.ndarray] | None = None  # criterion -> similarity in [0, 1]
    failed: dict[str, np.ndarray] | None = None  # failure code -> bool
    distance: np.ndarray | None = None


def _criterion(p: Problem, c, e, m, dist, total, detail: bool):
    """Add w·s_c to total in place; return (s_c if detail, condition if needed)."""
    me, mo = p.mentees, p.mentors
    w = float(c.weight)
    name = c.name
    want_cond = c.mandatory or detail
    s = cond = None
    if name == "geography":
        limit = p.mentee_limit_km[e]
        # s = 1 - d/L within the limit, else 0 (also when d is NaN: fmax drops NaN)
        x = dist / limit
        np.subtract(1.0, x, out=x)
        np.fmax(x, 0.0, out=x)
        if detail:
            s = x.copy()
        if w:
            _add(total, w, x)
        if want_cond:
            cond = dist <= limit
            re, rm = me.remote[e], mo.remote[m]
            if re.any() and rm.any():
                cond |= re & rm
    elif name in ("sector", "function", "age"):
        if name == "age":
            be, bm = me.birth_year[e], mo.birth_year[m]
            gap = be - bm
            cond = gap >= c.min_gap
            cond &= gap <= c.max_gap
            if (be == NO_YEAR).any() or (bm == NO_YEAR).any():
                cond &= (be != NO_YEAR) & (bm != NO_YEAR)
        else:
            cond = _share(me.sets[name + "s"], mo.sets[name + "s"], e, m)
        if w:
            np.add(total, w, out=total, where=cond)
        if detail:
            s = cond.astype(np.float64)
    elif name == "language":
        # mentee's mother tongue spoken by the mentor => the language sets share a value,
        # so s = 0.5 × (share + mother tongue spoken)
        full = _share(me.mother_tongue, mo.languages, e, m)
        half = _share(me.languages, mo.languages, e, m)
        if w:
            np.add(total, 0.5 * w, out=total, where=half)
            np.add(total, 0.5 * w, out=total, where=full)
        cond = half
        if detail:
            s = 0.5 * half + 0.5 * full
    elif name in ("hobbies", "expectations", "support"):
        inter = _intersect_count(me.sets[name], mo.sets[name], e, m)
        if name == "support":
            want = me.counts["support"][e]
            x = inter / np.maximum(want, 1)
            if (want == 0).any():
                np.copyto(x, 1.0, where=np.broadcast_to(want == 0, x.shape))
        else:
            union = me.counts[name][e] + mo.counts[name][m]
            union -= inter
            np.maximum(union, 1, out=union)
            x = inter / union
        if want_cond:
            cond = x > 0
        if detail:
            s = x.copy()
        if w:
            _add(total, w, x)
    else:
        raise AssertionError(name)
    return s, cond


def evaluate(p: Problem, e: np.ndarray, m: np.ndarray, *, detail: bool = False) -> Evaluation:
    """Score and feasibility of the pairs (mentee e[i], mentor m[i]).

    e and m may be any broadcastable index arrays: 1-D for a list of pairs, or (a, 1) and
    (1, b) for a dense block. The same element-wise operations run in the same order on
    every path, so a pair gets bit-identical values wherever it is evaluated.
    """
    shape = np.broadcast_shapes(np.shape(e), np.shape(m))
    total = np.zeros(shape)
    feasible = None
    parts: dict[str, np.ndarray] = {}
    failed: dict[str, np.ndarray] = {}
    dist = pair_distance_km(p, e, m) if p.geography is not None else None
    for c in p.criteria:
        if c.weight == 0 and not c.mandatory and not detail:
            continue
        s, cond = _criterion(p, c, e, m, dist, total, detail)
        if c.mandatory:
            feasible = cond if feasible is None else feasible & cond
            if detail:
                failed[TOO_FAR if c.name == "geography" else f"mandatory:{c.name}"] = ~cond
        if detail:
            parts[c.name] = s
    if feasible is None:
        feasible = np.ones(shape, bool)
    wsum = p.weight_sum
    if wsum > 0:
        total *= 10000.0 / wsum
        cents = np.rint(total, out=total).astype(np.int32)
    else:
        cents = np.zeros(shape, np.int32)
    below = None
    if p.min_score > 0 or detail:
        below = cents < p.min_score * 100.0 - 1e-9
        feasible &= ~below
    excluded = excluded_pairs(p, e, m)
    if excluded is not None:
        feasible &= ~excluded
    if detail:
        failed[EXCLUDED] = np.zeros(shape, bool) if excluded is None else excluded
        failed[BELOW_MIN] = below
    return Evaluation(cents, feasible, parts if detail else None, failed if detail else None, dist)


def excluded_pairs(p: Problem, e: np.ndarray, m: np.ndarray) -> np.ndarray | None:
    """Bool mask of excluded pairs, or None when no pair can be excluded."""
    if len(p.exclusions) == 0:
        return None
    flagged = p.excluded_mentee[e]
    if not flagged.any():
        return None
    shape = np.broadcast_shapes(np.shape(e), np.shape(m))
    out = np.zeros(shape, bool)
    sel = np.nonzero(np.broadcast_to(flagged, shape))
    if len(sel[0]):
        ee, mm = np.broadcast_to(e, shape)[sel], np.broadcast_to(m, shape)[sel]
        keys = ee.astype(np.int64) * len(p.mentors) + mm
        pos = np.minimum(np.searchsorted(p.exclusions, keys), len(p.exclusions) - 1)
        out[sel] = p.exclusions[pos] == keys
    return out
