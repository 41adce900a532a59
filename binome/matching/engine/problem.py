"""Parse and validate a matching problem (spec: docs/matching-engine.md) into encoded arrays.

People are sorted by id (as strings) on both sides, so an index is also an id rank: the output
never depends on the order of the input lists. Set-valued attributes become bit masks
(``uint64`` words, one array per word) over a vocabulary shared by mentors and mentees.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

EARTH_RADIUS_KM = 6371.0088
CRITERIA = (
    "geography",
    "sector",
    "function",
    "age",
    "language",
    "hobbies",
    "expectations",
    "support",
)
SET_FIELDS = ("sectors", "functions", "hobbies", "expectations", "support")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NO_YEAR = 0  # birth years are validated to be in 1..9999


class InvalidProblem(ValueError):
    """The problem is malformed; the message names the offending item."""


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float
    mandatory: bool
    max_km: float = 0.0  # geography
    min_gap: float = 0.0  # age
    max_gap: float = 100.0  # age


@dataclass
class Side:
    """Encoded attributes of one side (mentors or mentees), indexed by id rank."""

    ids: list[str]
    xyz: np.ndarray  # (n, 3) unit vectors, NaN without coordinates
    x: np.ndarray  # the columns of xyz, contiguous
    y: np.ndarray
    z: np.ndarray
    has_coords: np.ndarray
    remote: np.ndarray
    birth_year: np.ndarray  # int32, NO_YEAR when missing
    sets: dict[str, list[np.ndarray]]  # field -> list of uint64 words
    counts: dict[str, np.ndarray]  # field -> popcount
    languages: list[np.ndarray]  # languages ∪ {mother tongue}
    mother_tongue: list[np.ndarray]  # one bit (or none)
    capacity: np.ndarray | None = None  # mentors
    max_km: np.ndarray | None = None  # mentees, NaN when unset
    bonus_cents: np.ndarray | None = None  # mentees
    index: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Problem:
    criteria: list[Criterion]
    min_score: float
    waiting_bonus_per_month: float
    today: date
    candidates_per_mentee: int | None
    mentors: Side
    mentees: Side
    exclusions: np.ndarray  # sorted int64 keys mentee * n_mentors + mentor
    excluded_mentee: np.ndarray  # bool per mentee
    vocab: dict[str, dict[str, int]]

    @property
    def geography(self) -> Criterion | None:
        return next((c for c in self.criteria if c.name == "geography"), None)

    @property
    def weight_sum(self) -> float:
        return float(sum(c.weight for c in self.criteria))

    def __post_init__(self) -> None:
        # Per mentee distance limit L: the criterion's max_km lowered to the mentee's max_km.
        geo = self.geography
        own = self.mentees.max_km
        if geo is None:
            self.mentee_limit_km = np.full(len(self.mentees), np.nan)
        else:
            self.mentee_limit_km = np.where(np.isnan(own), geo.max_km, np.minimum(geo.max_km, own))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: Any, where: str, *, minimum: float | None = None, strict: bool = False):
    if not _is_number(value):
        raise InvalidProblem(f"{where}: expected a number, got {value!r}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        op = ">" if strict else ">="
        raise InvalidProblem(f"{where}: must be {op} {minimum:g}, got {value!r}")
    return float(value)


def _parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise InvalidProblem(f"{where}: malformed date {value!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidProblem(f"{where}: malformed date {value!r} (expected YYYY-MM-DD)") from None


def months_waited(today: date, since: date) -> int:
    months = 12 * (today.year - since.year) + (today.month - since.month)
    if today.day < since.day:
        months -= 1
    return max(0, months)


def _parse_criteria(raw: Any) -> list[Criterion]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidProblem("criteria: expected a list")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(raw):
        where = f"criteria[{i}]"
        if not isinstance(item, dict):
            raise InvalidProblem(f"{where}: expected an object")
        name = item.get("name")
        if name not in CRITERIA:
            raise InvalidProblem(f"{where}: unknown criterion {name!r}")
        where = f"criterion {name!r}"
        if name in seen:
            raise InvalidProblem(f"{where}: appears more than once")
        seen.add(name)
        weight = _number(item.get("weight", 1), f"{where} weight", minimum=0)
        mandatory = item.get("mandatory", False)
        if not isinstance(mandatory, bool):
            raise InvalidProblem(f"{where} mandatory: expected true or false")
        extra: dict[str, float] = {}
        if name == "geography":
            extra["max_km"] = _number(item.get("max_km"), f"{where} max_km", minimum=0, strict=True)
        elif name == "age":
            lo = _number(item.get("min_gap", 0), f"{where} min_gap")
            hi = _number(item.get("max_gap", 100), f"{where} max_gap")
            if lo > hi:
                raise InvalidProblem(f"{where}: min_gap {lo:g} > max_gap {hi:g}")
            extra.update(min_gap=lo, max_gap=hi)
        out.append(Criterion(name, weight, mandatory, **extra))
    return out


class _Encoder:
    """Collects raw attributes of one side before packing them into arrays."""

    def __init__(self, vocab: dict[str, dict[str, int]]):
        self.vocab = vocab
        self.rows: dict[str, list[tuple[int, int]]] = {f: [] for f in (*SET_FIELDS, "languages")}
        self.mt: list[tuple[int, int]] = []

    def code(self, fld: str, value: Any, where: str) -> int:
        if not isinstance(value, str):
            raise InvalidProblem(f"{where}: expected a string, got {value!r}")
        table = self.vocab["languages" if fld in ("languages", "mother_tongue") else fld]
        return table.setdefault(value, len(table))

    def add_set(self, row: int, fld: str, raw: Any, where: str) -> None:
        if raw is None:
            return
        if not isinstance(raw, list | tuple):
            raise InvalidProblem(f"{where} {fld}: expected a list of strings")
        target = self.rows[fld]
        for value in raw:
            target.append((row, self.code(fld, value, f"{where} {fld}")))


def _pack(n: int, pairs: list[tuple[int, int]], size: int) -> list[np.ndarray]:
    words = [np.zeros(n, np.uint64) for _ in range(max(1, (size + 63) // 64))]
    if pairs:
        arr = np.asarray(pairs, np.int64)
        rows, codes = arr[:, 0], arr[:, 1]
        for w, word in enumerate(words):
            sel = (codes >> 6) == w
            if sel.any():
                bits = np.left_shift(np.uint64(1), (codes[sel] & 63).astype(np.uint64))
                np.bitwise_or.at(word, rows[sel], bits)
    return words


def _parse_side(
    raw: Any, key: str, vocab: dict[str, dict[str, int]], today: date, bonus: float
) -> Side:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InvalidProblem(f"{key}: expected a list")
    is_mentor = key == "mentors"
    people: list[tuple[str, int, dict]] = []
    seen: set[str] = set()
    for i, person in enumerate(raw):
        if not isinstance(person, dict):
            raise InvalidProblem(f"{key}[{i}]: expected an object")
        pid = person.get("id")
        if not isinstance(pid, str) or not pid:
            raise InvalidProblem(f"{key}[{i}]: id must be a non-empty string, got {pid!r}")
        if pid in seen:
            raise InvalidProblem(f"{key}[{i}]: duplicate id {pid!r}")
        seen.add(pid)
        people.append((pid, i, person))
    people.sort(key=lambda t: t[0])
    n = len(people)
    enc = _Encoder(vocab)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    remote = np.zeros(n, bool)
    birth = np.full(n, NO_YEAR, np.int32)
    capacity = np.ones(n, np.int64)
    max_km = np.full(n, np.nan)
    bonus_cents = np.zeros(n, np.int64)
    for row, (pid, i, p) in enumerate(people):
        where = f"{key}[{i}] (id {pid!r})"
        la, lo = p.get("lat"), p.get("lon")
        if (la is None) != (lo is None):
            raise InvalidProblem(f"{where}: lat and lon must be both set or both null")
        if la is not None:
            if not _is_number(la) or not -90 <= la <= 90:
                raise InvalidProblem(f"{where}: latitude {la!r} out of range [-90, 90]")
            if not _is_number(lo) or not -180 <= lo <= 180:
                raise InvalidProblem(f"{where}: longitude {lo!r} out of range [-180, 180]")
            lat[row], lon[row] = la, lo
        r = p.get("remote_ok", False)
        if not isinstance(r, bool):
            raise InvalidProblem(f"{where} remote_ok: expected true or false")
        remote[row] = r
        by = p.get("birth_year")
        if by is not None:
            if not isinstance(by, int) or isinstance(by, bool) or not 0 < by < 10000:
                raise InvalidProblem(f"{where} birth_year: expected a year, got {by!r}")
            birth[row] = by
        for fld in (*SET_FIELDS, "languages"):
            enc.add_set(row, fld, p.get(fld), where)
        mt = p.get("mother_tongue")
        if mt is not None:
            code = enc.code("mother_tongue", mt, f"{where} mother_tongue")
            enc.mt.append((row, code))
            enc.rows["languages"].append((row, code))
        if is_mentor:
            cap = p.get("capacity", 1)
            if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
                raise InvalidProblem(f"{where} capacity: expected an integer >= 0, got {cap!r}")
            capacity[row] = cap
        else:
            mk = p.get("max_km")
            if mk is not None:
                max_km[row] = _number(mk, f"{where} max_km", minimum=0, strict=True)
            ws = p.get("waiting_since")
            if ws is not None:
                since = _parse_date(ws, f"{where} waiting_since")
                b = bonus * min(12, months_waited(today, since))
                bonus_cents[row] = round(b * 100)
    rad_lat, rad_lon = np.radians(lat), np.radians(lon)
    cos_lat = np.cos(rad_lat)
    x, y, z = cos_lat * np.cos(rad_lon), cos_lat * np.sin(rad_lon), np.sin(rad_lat)
    sets = {f: _pack(n, enc.rows[f], len(vocab[f])) for f in SET_FIELDS}
    counts = {f: sum(np.bitwise_count(w) for w in sets[f]).astype(np.int32) for f in SET_FIELDS}
    ids = [t[0] for t in people]
    return Side(
        ids=ids,
        xyz=np.stack([x, y, z], 1),
        x=x,
        y=y,
        z=z,
        has_coords=~np.isnan(lat),
        remote=remote,
        birth_year=birth,
        sets=sets,
        counts=counts,
        languages=_pack(n, enc.rows["languages"], len(vocab["languages"])),
        mother_tongue=_pack(n, enc.mt, len(vocab["languages"])),
        capacity=capacity if is_mentor else None,
        max_km=None if is_mentor else max_km,
        bonus_cents=None if is_mentor else bonus_cents,
        index={pid: k for k, pid in enumerate(ids)},
    )


def _repack(side: Side, vocab: dict[str, dict[str, int]]) -> None:
    """Widen bit masks encoded before the other side grew the shared vocabulary."""
    for f in SET_FIELDS:
        need = max(1, (len(vocab[f]) + 63) // 64)
        side.sets[f] += [np.zeros(len(side), np.uint64)] * (need - len(side.sets[f]))
    need = max(1, (len(vocab["languages"]) + 63) // 64)
    for name in ("languages", "mother_tongue"):
        words = getattr(side, name)
        words += [np.zeros(len(side), np.uint64)] * (need - len(words))


def parse_problem(raw: Any) -> Problem:
    """Validate a problem dict and encode it. Raises InvalidProblem naming the bad item."""
    if isinstance(raw, Problem):
        return raw
    if not isinstance(raw, dict):
        raise InvalidProblem("problem: expected a JSON object")
    criteria = _parse_criteria(raw.get("criteria"))
    min_score = _number(raw.get("min_score", 0), "min_score")
    bonus = _number(raw.get("waiting_bonus_per_month", 0), "waiting_bonus_per_month", minimum=0)
    today = raw.get("today")
    today = date.today() if today is None else _parse_date(today, "today")
    k = raw.get("candidates_per_mentee")
    if k is not None and (not isinstance(k, int) or isinstance(k, bool) or k < 1):
        raise InvalidProblem(f"candidates_per_mentee: expected an integer >= 1, got {k!r}")
    vocab: dict[str, dict[str, int]] = {f: {} for f in (*SET_FIELDS, "languages")}
    mentors = _parse_side(raw.get("mentors"), "mentors", vocab, today, bonus)
    mentees = _parse_side(raw.get("mentees"), "mentees", vocab, today, bonus)
    _repack(mentors, vocab)
    _repack(mentees, vocab)
    excl = raw.get("exclusions") or []
    if not isinstance(excl, list):
        raise InvalidProblem("exclusions: expected a list of [mentor_id, mentee_id] pairs")
    keys = []
    for i, pair in enumerate(excl):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidProblem(f"exclusions[{i}]: expected [mentor_id, mentee_id]")
        mid, eid = pair
        if not isinstance(mid, str) or mid not in mentors.index:
            raise InvalidProblem(f"exclusions[{i}]: unknown mentor id {mid!r}")
        if not isinstance(eid, str) or eid not in mentees.index:
            raise InvalidProblem(f"exclusions[{i}]: unknown mentee id {eid!r}")
        keys.append(mentees.index[eid] * len(mentors) + mentors.index[mid])
    keys_arr = np.unique(np.asarray(keys, np.int64))
    excluded_mentee = np.zeros(len(mentees), bool)
    if len(mentors):
        excluded_mentee[keys_arr // len(mentors)] = True
    return Problem(
        criteria=criteria,
        min_score=min_score,
        waiting_bonus_per_month=bonus,
        today=today,
        candidates_per_mentee=k,
        mentors=mentors,
        mentees=mentees,
        exclusions=keys_arr,
        excluded_mentee=excluded_mentee,
        vocab=vocab,
    )
