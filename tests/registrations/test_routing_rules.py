"""Pure routing rules: eligibility, score, batch solver (no database)."""

from binome.registrations import routing
from binome.registrations.routing import OfferSpec, RequestSpec


def offer(i, **kw):
    base = {"id": i, "organisation_id": i, "side": "mentee", "capacity": 10, "remaining": 10}
    base.update(kw)
    return OfferSpec(**base)


LILLE = {"place_key": "fr-commune:59350", "department": "59", "lat": 50.63, "lon": 3.06}


def req(**kw):
    return RequestSpec(**{"side": "mentee", "age": 20, "situation": "job_seeker", **LILLE, **kw})


def test_territory_department_town_radius_and_national():
    assert routing.eligible(offer(1, departments=frozenset({"59"})), req()) == "department"
    assert routing.eligible(offer(1, departments=frozenset({"62"})), req()) is None
    assert routing.eligible(offer(1, communes=frozenset({"fr-commune:59350"})), req()) == "town"
    paris = offer(1, centres=((48.85, 2.35),), radius_km=50)
    assert routing.eligible(paris, req()) is None
    lens = offer(1, centres=((50.43, 2.83),), radius_km=40)
    assert routing.eligible(lens, req()) == "radius"
    assert routing.eligible(offer(1), req()) == "national"


def test_public_kind_side_capacity_and_exclusion():
    assert routing.eligible(offer(1, age_max=18), req()) is None
    assert routing.eligible(offer(1, age_min=16, age_max=25), req()) == "national"
    assert routing.eligible(offer(1, age_min=16), req(age=None)) is None
    assert routing.eligible(offer(1, situations=frozenset({"student"})), req()) is None
    only_ase = offer(1, publics=frozenset({"ase"}), publics_only=True)
    assert routing.eligible(only_ase, req()) is None
    assert routing.eligible(only_ase, req(publics=frozenset({"ase"}))) == "national"
    school = offer(1, kinds=frozenset({"school_support"}))
    assert routing.eligible(school, req(kinds=frozenset({"orientation"}))) is None
    assert routing.eligible(school, req()) == "national"  # no kind wanted: any
    assert routing.eligible(offer(1, side="mentor"), req()) is None
    assert routing.eligible(offer(1, remaining=0), req()) is None
    assert routing.eligible(offer(1), req(excluded_organisations=frozenset({1}))) is None


def test_score_prefers_precise_territory_then_capacity_then_speed():
    local = offer(1, departments=frozenset({"59"}))
    national = offer(2)
    assert routing.choose([national, local], req()).offer.id == 1
    roomy = offer(3, departments=frozenset({"59"}), remaining=10)
    full_ish = offer(4, departments=frozenset({"59"}), remaining=1)
    assert routing.choose([full_ish, roomy], req()).offer.id == 3
    fast = offer(5, departments=frozenset({"59"}), response_days=1)
    slow = offer(6, departments=frozenset({"59"}), response_days=20)
    assert routing.choose([slow, fast], req()).offer.id == 5
    assert routing.choose([offer(7, side="mentor")], req()) is None


def test_batch_respects_capacity_and_prefers_best_offer():
    offers = [
        offer(1, departments=frozenset({"59"}), capacity=2, remaining=2),
        offer(2, capacity=3, remaining=3),
    ]
    requests = [req() for _ in range(4)] + [req(department="75", place_key="x", lat=48.8)]
    result = routing.solve_batch(requests, offers)
    assert result.routed == 5
    assert result.assignments[:4].count(1) == 2
    assert result.assignments[:4].count(2) == 2
    assert result.assignments[4] == 2
    assert result.groups == 2


def test_batch_leaves_the_rest_unrouted_when_full():
    offers = [offer(1, capacity=1, remaining=1)]
    result = routing.solve_batch([req(), req(), req(side="mentor")], offers)
    assert result.routed == 1
    assert result.assignments.count(None) == 2
