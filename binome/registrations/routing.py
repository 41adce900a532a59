"""Routing rules, pure Python (no Django): eligibility, score, and the batch solver.

One request goes to the best eligible offer:

1. **Eligibility** (all must hold): same side (mentee / mentor); the association has not
   been asked before; the territory covers the person's place (a listed town, a listed
   département, within the radius of a listed place; an offer with no territory covers the
   whole country); the public fits (age within the range, situation among those listed, and,
   for an offer restricted to priority publics, one of them); the kind of mentoring wanted
   is offered (no kind wanted = any); at least one open place left.
2. **Score** (highest wins, ties to the smallest offer id): territory precision (town or
   radius 3, département 2, national 1), + 1 per priority public shared, + 1 when a wanted
   kind is offered, + 2 × the share of places still open, + 2 × answer speed
   (1 / (1 + median days to answer / 3); 0.5 when unknown).

The batch solver groups people whose eligibility and scores are identical and solves a
small transportation problem (maximum flow at minimum cost, OR-Tools) over
groups × offers, bounded by each offer's remaining places.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

TERRITORY_WEIGHT = {"town": 3.0, "radius": 3.0, "department": 2.0, "national": 1.0}
UNKNOWN_SPEED = 0.5


@dataclass(frozen=True, slots=True)
class OfferSpec:
    id: int
    organisation_id: int
    side: str
    departments: frozenset = frozenset()
    communes: frozenset = frozenset()
    centres: tuple = ()  # ((lat, lon), ...)
    radius_km: float = 0.0
    age_min: int | None = None
    age_max: int | None = None
    situations: frozenset = frozenset()
    publics: frozenset = frozenset()
    publics_only: bool = False
    kinds: frozenset = frozenset()
    capacity: int = 0
    remaining: int = 0
    response_days: float | None = None

    @property
    def is_national(self):
        return not (self.departments or self.communes or (self.centres and self.radius_km))


@dataclass(frozen=True, slots=True)
class RequestSpec:
    side: str
    place_key: str = ""
    department: str | None = None
    lat: float | None = None
    lon: float | None = None
    age: int | None = None
    situation: str = ""
    publics: frozenset = frozenset()
    kinds: frozenset = frozenset()
    excluded_organisations: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Choice:
    offer: OfferSpec
    score: float
    territory: str
    shared_publics: tuple
    kind_match: bool
    speed: float


def _km(lat1, lon1, lat2, lon2):
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def territory_match(offer: OfferSpec, place_key, department, lat, lon):
    """How the offer's territory covers a place: 'town', 'radius', 'department',
    'national', or None when it does not."""
    if offer.is_national:
        return "national"
    if place_key and place_key in offer.communes:
        return "town"
    near = lat is not None and offer.radius_km and offer.centres
    if near and any(_km(lat, lon, c[0], c[1]) <= offer.radius_km for c in offer.centres):
        return "radius"
    if department and department in offer.departments:
        return "department"
    return None


def public_fits(offer: OfferSpec, age, situation, publics):
    if age is not None:
        if offer.age_min is not None and age < offer.age_min:
            return False
        if offer.age_max is not None and age > offer.age_max:
            return False
    elif offer.age_min is not None or offer.age_max is not None:
        return False  # an age-restricted programme needs the age
    if offer.situations and situation not in offer.situations:
        return False
    return not (offer.publics_only and not offer.publics & publics)


def kind_fits(offer: OfferSpec, kinds):
    return not kinds or not offer.kinds or bool(offer.kinds & kinds)


def speed(offer: OfferSpec):
    if offer.response_days is None:
        return UNKNOWN_SPEED
    return 1.0 / (1.0 + max(offer.response_days, 0.0) / 3.0)


def score(offer: OfferSpec, territory, publics, kinds):
    shared = offer.publics & publics
    kind_match = bool(kinds and offer.kinds and offer.kinds & kinds)
    share_open = offer.remaining / offer.capacity if offer.capacity else 0.0
    value = (
        TERRITORY_WEIGHT[territory]
        + len(shared)
        + (1.0 if kind_match else 0.0)
        + 2.0 * share_open
        + 2.0 * speed(offer)
    )
    return value, tuple(sorted(shared)), kind_match


def eligible(offer: OfferSpec, request: RequestSpec):
    """The territory match when the offer may take the request, else None."""
    if offer.side != request.side or offer.remaining <= 0:
        return None
    if offer.organisation_id in request.excluded_organisations:
        return None
    if not public_fits(offer, request.age, request.situation, request.publics):
        return None
    if not kind_fits(offer, request.kinds):
        return None
    return territory_match(offer, request.place_key, request.department, request.lat, request.lon)


def rank(offers, request: RequestSpec):
    """Every eligible offer as a :class:`Choice`, best first."""
    choices = []
    for offer in offers:
        territory = eligible(offer, request)
        if territory is None:
            continue
        value, shared, kind_match = score(offer, territory, request.publics, request.kinds)
        choices.append(Choice(offer, value, territory, shared, kind_match, speed(offer)))
    choices.sort(key=lambda c: (-c.score, c.offer.id))
    return choices


def choose(offers, request: RequestSpec):
    """The best eligible offer as a :class:`Choice`, or None (→ the federation's queue)."""
    ranked = rank(offers, request)
    return ranked[0] if ranked else None


# --- batch -----------------------------------------------------------------------------------


@dataclass
class BatchResult:
    assignments: list  # offer id (or None) per request, in the input order
    groups: int
    arcs: int
    routed: int
    cost: int


def _bits(indices):
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask


def solve_batch(requests, offers):
    """Route many requests at once: maximum number routed, then best total score.

    Requests are grouped by their eligibility and scores (computed per distinct place,
    public and kinds, then combined as bit masks over the offers), so the flow network has
    one node per group, not per person.
    """
    from ortools.graph.python import min_cost_flow

    offers = list(offers)
    n_offers = len(offers)
    side_mask = defaultdict(int)
    for i, o in enumerate(offers):
        if o.remaining > 0:
            side_mask[o.side] |= 1 << i

    place_cache = {}

    def place_masks(r):
        key = (r.place_key, r.department, r.lat, r.lon)
        masks = place_cache.get(key)
        if masks is None:
            by_kind = {"town": 0, "radius": 0, "department": 0, "national": 0}
            for i, o in enumerate(offers):
                t = territory_match(o, r.place_key, r.department, r.lat, r.lon)
                if t:
                    by_kind[t] |= 1 << i
            masks = place_cache[key] = (
                by_kind["town"] | by_kind["radius"],
                by_kind["department"],
                by_kind["national"],
            )
        return masks

    public_cache = {}

    def public_mask(r):
        key = (r.age, r.situation, r.publics)
        mask = public_cache.get(key)
        if mask is None:
            mask = public_cache[key] = _bits(
                i for i, o in enumerate(offers) if public_fits(o, r.age, r.situation, r.publics)
            )
        return mask

    kind_cache = {}

    def kind_mask(r):
        mask = kind_cache.get(r.kinds)
        if mask is None:
            mask = kind_cache[r.kinds] = _bits(
                i for i, o in enumerate(offers) if kind_fits(o, r.kinds)
            )
        return mask

    excluded_cache = {}

    def excluded_mask(r):
        if not r.excluded_organisations:
            return 0
        mask = excluded_cache.get(r.excluded_organisations)
        if mask is None:
            mask = excluded_cache[r.excluded_organisations] = _bits(
                i for i, o in enumerate(offers) if o.organisation_id in r.excluded_organisations
            )
        return mask

    # Integer costs: the best possible score minus the score, in hundredths.
    weights = (TERRITORY_WEIGHT["town"], TERRITORY_WEIGHT["department"], 1.0)
    max_score = max(weights) + 4 + 1 + 2 + 2

    combo_cache = {}
    group_of = [None] * len(requests)
    group_keys = {}
    group_members = []
    group_costs = []
    for idx, r in enumerate(requests):
        precise, dept, national = place_masks(r)
        territory = precise | dept | national
        elig = (
            side_mask.get(r.side, 0) & territory & public_mask(r) & kind_mask(r) & ~excluded_mask(r)
        )
        if not elig:
            continue
        combo = (elig, precise & elig, dept & elig, r.publics, r.kinds)
        gid = group_keys.get(combo)
        if gid is None:
            costs = combo_cache.get(combo)
            if costs is None:
                costs = []
                for i in range(n_offers):
                    if not (elig >> i) & 1:
                        continue
                    o = offers[i]
                    t = (
                        "town"
                        if (precise >> i) & 1
                        else "department"
                        if (dept >> i) & 1
                        else "national"
                    )
                    value, _shared, _k = score(o, t, r.publics, r.kinds)
                    costs.append((i, int(round((max_score - value) * 100))))
                combo_cache[combo] = costs
            gid = group_keys[combo] = len(group_members)
            group_members.append([])
            group_costs.append(costs)
        group_members[gid].append(idx)
        group_of[idx] = gid

    n_groups = len(group_members)
    smcf = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1 + n_groups + n_offers
    arcs = []
    for g, members in enumerate(group_members):
        smcf.add_arc_with_capacity_and_unit_cost(source, 1 + g, len(members), 0)
        for i, cost in group_costs[g]:
            arc = smcf.add_arc_with_capacity_and_unit_cost(
                1 + g, 1 + n_groups + i, len(members), cost
            )
            arcs.append((arc, g, i))
    for i, o in enumerate(offers):
        if o.remaining > 0:
            smcf.add_arc_with_capacity_and_unit_cost(1 + n_groups + i, sink, o.remaining, 0)
    total = sum(len(m) for m in group_members)
    smcf.set_node_supply(source, total)
    smcf.set_node_supply(sink, -total)
    assignments = [None] * len(requests)
    if not arcs:
        return BatchResult(assignments, n_groups, 0, 0, 0)
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: {status}")
    cursor = [0] * n_groups
    routed = 0
    for arc, g, i in arcs:
        flow = smcf.flow(arc)
        if not flow:
            continue
        members = group_members[g]
        for idx in members[cursor[g] : cursor[g] + flow]:
            assignments[idx] = offers[i].id
        cursor[g] += flow
        routed += flow
    return BatchResult(assignments, n_groups, len(arcs), routed, smcf.optimal_cost())
