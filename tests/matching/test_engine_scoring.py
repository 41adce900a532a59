"""Scoring and feasibility of one pair, criterion by criterion (no Django)."""

import math
from datetime import date

import numpy as np
import pytest

from binome.matching.engine import InvalidProblem, explain, solve, top_suggestions
from binome.matching.engine.problem import months_waited, parse_problem
from binome.matching.engine.scoring import haversine_km, pair_distance_km


def problem(criteria, mentors, mentees, **extra):
    return {"criteria": criteria, "mentors": mentors, "mentees": mentees, **extra}


def one(criteria, mentor, mentee, **extra):
    """Explain entry of the single pair (mentor 'm', mentee 'e')."""
    [entry] = explain(
        problem(criteria, [{"id": "m", **mentor}], [{"id": "e", **mentee}], **extra), "e"
    )
    return entry


def geo(max_km=10, mandatory=True, weight=1):
    return [{"name": "geography", "weight": weight, "mandatory": mandatory, "max_km": max_km}]


def crit(name, weight=1, mandatory=False, **kw):
    return [{"name": name, "weight": weight, "mandatory": mandatory, **kw}]


LILLE = {"lat": 50.63, "lon": 3.06}
ROUBAIX = {"lat": 50.69, "lon": 3.17}  # ~10.2 km from LILLE


# --- geography ------------------------------------------------------------------------------


def engine_distance(a, b):
    p = parse_problem(problem([], [{"id": "m", **a}], [{"id": "e", **b}]))
    return float(pair_distance_km(p, np.array([0]), np.array([0]))[0])


def test_distance_matches_textbook_haversine():
    for a, b in [(LILLE, ROUBAIX), ({"lat": -21.1, "lon": 55.5}, {"lat": 16.2, "lon": -61.5})]:
        ref = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
        assert engine_distance(a, b) == pytest.approx(ref, rel=1e-12, abs=1e-9)
    assert engine_distance(LILLE, LILLE) == 0.0


def test_distance_exactly_at_the_limit_is_feasible_with_zero_similarity():
    d = engine_distance(LILLE, ROUBAIX)
    at = one(geo(max_km=d), LILLE, ROUBAIX)
    assert at["feasible"]
    assert at["breakdown"]["geography"] == 0.0
    beyond = one(geo(max_km=d * (1 - 1e-12)), LILLE, ROUBAIX)
    assert beyond["failed"] == ["too_far"]
    # the solver (kd-tree candidates) agrees with explain at the boundary
    res = solve(problem(geo(max_km=d), [{"id": "m", **LILLE}], [{"id": "e", **ROUBAIX}]))
    assert res["objective"]["matched"] == 1


def test_similarity_is_one_minus_distance_over_limit():
    d = engine_distance(LILLE, ROUBAIX)
    entry = one(geo(max_km=40), LILLE, ROUBAIX)
    assert entry["breakdown"]["geography"] == round(1 - d / 40, 4)
    assert entry["score"] == round(100 * (1 - d / 40), 2)
    assert entry["distance_km"] == round(d, 3)


def test_mentee_max_km_lowers_but_never_raises_the_limit():
    d = engine_distance(LILLE, ROUBAIX)
    assert one(geo(40), LILLE, {**ROUBAIX, "max_km": 5})["failed"] == ["too_far"]
    lowered = one(geo(40), LILLE, {**ROUBAIX, "max_km": 20})
    assert lowered["breakdown"]["geography"] == round(1 - d / 20, 4)
    raised = one(geo(40), LILLE, {**ROUBAIX, "max_km": 500})
    assert raised["breakdown"]["geography"] == round(1 - d / 40, 4)
    assert one(geo(5), LILLE, {**ROUBAIX, "max_km": 500})["failed"] == ["too_far"]


def test_missing_coordinates_and_remote():
    far = {"lat": -21.1, "lon": 55.5}
    assert one(geo(), {}, ROUBAIX)["failed"] == ["too_far"]
    assert one(geo(), {"remote_ok": True}, {**ROUBAIX, "remote_ok": False})["failed"] == ["too_far"]
    both = one(geo(), {"remote_ok": True}, {"remote_ok": True})
    assert both["feasible"]
    assert both["breakdown"]["geography"] == 0.0
    assert both["distance_km"] is None
    assert one(geo(), {**far, "remote_ok": True}, {**ROUBAIX, "remote_ok": True})["feasible"]
    assert one(geo(), {**far, "remote_ok": True}, ROUBAIX)["failed"] == ["too_far"]
    # remote pairs within distance still score on distance
    near = one(geo(40), {**LILLE, "remote_ok": True}, {**ROUBAIX, "remote_ok": True})
    assert near["breakdown"]["geography"] > 0.7
    # not mandatory: no condition, only a similarity
    assert one(geo(mandatory=False), {}, ROUBAIX)["feasible"]


def test_remote_pairs_reach_the_solver_whatever_the_distance():
    mentors = [{"id": "m1", "remote_ok": True}, {"id": "m2", "lat": -21.1, "lon": 55.5}]
    mentees = [
        {"id": "e1", **LILLE, "remote_ok": True},
        {"id": "e2", "remote_ok": True},
        {"id": "e3"},
    ]
    res = solve(problem(geo(), [{**m, "capacity": 2} for m in mentors], mentees))
    assert {(p["mentor"], p["mentee"]) for p in res["pairs"]} == {("m1", "e1"), ("m1", "e2")}
    assert res["unmatched_mentees"] == [{"id": "e3", "reason": "no_feasible_mentor"}]
    assert res["unused_mentors"] == ["m2"]


# --- sets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "field"), [("sector", "sectors"), ("function", "functions")])
def test_shared_value(name, field):
    assert one(crit(name), {field: ["a", "b"]}, {field: ["b"]})["score"] == 100.0
    assert one(crit(name), {field: ["a"]}, {field: ["b"]})["score"] == 0.0
    assert one(crit(name), {field: []}, {})["score"] == 0.0
    failed = one(crit(name, mandatory=True), {field: ["a"]}, {field: ["b"]})["failed"]
    assert failed == [f"mandatory:{name}"]


@pytest.mark.parametrize("name", ["hobbies", "expectations"])
def test_jaccard(name):
    assert one(crit(name), {name: ["a", "b"]}, {name: ["b", "c"]})["breakdown"][name] == 0.3333
    assert one(crit(name), {name: ["a", "b"]}, {name: ["b", "c"]})["score"] == 33.33
    assert one(crit(name), {name: ["a"]}, {name: ["a", "a"]})["score"] == 100.0
    assert one(crit(name), {name: []}, {name: []})["score"] == 0.0
    assert one(crit(name), {name: ["a"]}, {})["score"] == 0.0
    assert one(crit(name, mandatory=True), {}, {})["failed"] == [f"mandatory:{name}"]
    assert one(crit(name, mandatory=True), {name: ["x"]}, {name: ["x", "y"]})["feasible"]


def test_support():
    assert one(crit("support"), {"support": ["a"]}, {"support": []})["score"] == 100.0
    assert one(crit("support"), {}, {})["score"] == 100.0
    assert one(crit("support"), {"support": ["a"]}, {"support": ["a", "b"]})["score"] == 50.0
    assert one(crit("support"), {"support": ["a", "b", "c"]}, {"support": ["a"]})["score"] == 100
    assert one(crit("support", mandatory=True), {"support": ["a"]}, {"support": ["b"]})[
        "failed"
    ] == ["mandatory:support"]
    assert one(crit("support", mandatory=True), {}, {})["feasible"]


def test_many_values_span_several_bit_words():
    words = [f"h{i}" for i in range(150)]
    entry = one(crit("hobbies"), {"hobbies": words[:100]}, {"hobbies": words[50:]})
    assert entry["breakdown"]["hobbies"] == round(50 / 150, 4)


# --- age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mentor_year", "expected"),
    [(1995, 1.0), (1960, 1.0), (1996, 0.0), (1959, 0.0), (None, 0.0)],
)
def test_age_gap_bounds(mentor_year, expected):
    c = crit("age", min_gap=5, max_gap=40)
    assert one(c, {"birth_year": mentor_year}, {"birth_year": 2000})["breakdown"]["age"] == expected


def test_age_defaults_and_missing():
    assert one(crit("age"), {"birth_year": 2000}, {"birth_year": 2000})["score"] == 100.0
    assert one(crit("age"), {"birth_year": 2001}, {"birth_year": 2000})["score"] == 0.0
    assert one(crit("age"), {"birth_year": 1900}, {"birth_year": 2000})["score"] == 100.0
    assert one(crit("age"), {"birth_year": 1899}, {"birth_year": 2000})["score"] == 0.0
    assert one(crit("age", mandatory=True), {"birth_year": 1980}, {})["failed"] == ["mandatory:age"]


# --- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mentor", "mentee", "expected"),
    [
        ({"languages": ["ar"]}, {"mother_tongue": "ar"}, 1.0),
        ({"mother_tongue": "ar"}, {"mother_tongue": "ar"}, 1.0),
        ({"languages": ["fr"]}, {"mother_tongue": "ar", "languages": ["fr"]}, 0.5),
        ({"mother_tongue": "fr"}, {"mother_tongue": "ar", "languages": ["fr"]}, 0.5),
        ({"languages": ["en"]}, {"languages": ["en"]}, 0.5),
        ({"languages": ["fr"]}, {"mother_tongue": "fr"}, 1.0),
        ({"languages": ["en"]}, {"mother_tongue": "ar", "languages": ["fr"]}, 0.0),
        ({}, {}, 0.0),
    ],
)
def test_language_rule(mentor, mentee, expected):
    entry = one(crit("language", mandatory=True), mentor, mentee)
    assert entry["breakdown"]["language"] == expected
    assert entry["feasible"] == (expected >= 0.5)


# --- score, feasibility ---------------------------------------------------------------------


def test_weighted_score_and_rounding():
    c = [*geo(40, weight=3), *crit("sector", 2), *crit("hobbies", 2)]
    d = engine_distance(LILLE, ROUBAIX)
    entry = one(c, {**LILLE, "sectors": ["s"], "hobbies": ["a"]}, {**ROUBAIX, "sectors": ["s"]})
    assert entry["score"] == round(100 * (3 * (1 - d / 40) + 2) / 7, 2)
    assert list(entry["breakdown"]) == ["geography", "sector", "hobbies"]


def test_mandatory_weight_zero_only_filters():
    c = [*crit("sector", 0, mandatory=True), *crit("hobbies", 1)]
    ok = one(c, {"sectors": ["s"], "hobbies": ["a"]}, {"sectors": ["s"], "hobbies": ["a", "b"]})
    assert ok["score"] == 50.0
    assert ok["feasible"]
    assert ok["breakdown"]["sector"] == 1.0
    ko = one(c, {"sectors": ["t"], "hobbies": ["a"]}, {"sectors": ["s"], "hobbies": ["a", "b"]})
    assert ko["score"] == 50.0
    assert ko["failed"] == ["mandatory:sector"]


def test_no_weighted_criterion_scores_zero():
    assert one([], {}, {})["score"] == 0.0
    assert one(crit("sector", 0), {"sectors": ["s"]}, {"sectors": ["s"]})["score"] == 0.0


def test_min_score_and_exclusions():
    c = crit("hobbies")
    p = problem(
        c,
        [{"id": "m1", "hobbies": ["a"]}, {"id": "m2", "hobbies": ["a", "b"]}],
        [{"id": "e", "hobbies": ["a", "b"]}],
        min_score=50,
        exclusions=[["m2", "e"]],
    )
    entries = {x["mentor"]: x for x in explain(p, "e")}
    assert entries["m1"]["score"] == 50.0
    assert entries["m1"]["feasible"]
    assert entries["m2"]["failed"] == ["excluded"]
    p["min_score"] = 50.01
    entries = {x["mentor"]: x for x in explain(p, "e")}
    assert entries["m1"]["failed"] == ["below_min_score"]


def test_failed_conditions_are_all_listed():
    c = [*geo(), *crit("sector", mandatory=True), *crit("hobbies", mandatory=True)]
    p = problem(c, [{"id": "m"}], [{"id": "e"}], exclusions=[["m", "e"]], min_score=1)
    [entry] = explain(p, "e")
    assert entry["failed"] == [
        "too_far",
        "mandatory:sector",
        "mandatory:hobbies",
        "excluded",
        "below_min_score",
    ]
    assert entry["feasible"] is False


def test_explain_lists_every_mentor_best_first():
    mentors = [
        {"id": "b", "hobbies": ["x"]},
        {"id": "a", "hobbies": ["x"]},
        {"id": "c", "hobbies": ["x", "y"]},
        {"id": "z", "hobbies": []},
        {"id": "d", "hobbies": ["x"], "sectors": ["nope"]},
    ]
    c = [*crit("hobbies"), *crit("sector", 0, mandatory=False)]
    p = problem(c, mentors, [{"id": "e", "hobbies": ["x"]}], exclusions=[["a", "e"]])
    order = [x["mentor"] for x in explain(p, "e")]
    assert order == ["b", "d", "c", "z", "a"]  # feasible by score then id; then infeasible
    assert [x["mentor"] for x in explain(p, "e", limit=2)] == ["b", "d"]
    with pytest.raises(InvalidProblem, match="'nobody'"):
        explain(p, "nobody")


def test_top_suggestions_respects_free_capacity():
    mentors = [
        {"id": "a", "hobbies": ["x"], "capacity": 0},
        {"id": "b", "hobbies": ["x"], "capacity": 2},
        {"id": "c", "hobbies": ["x", "y"]},
        {"id": "d", "hobbies": ["q"]},
    ]
    p = problem(crit("hobbies", mandatory=True), mentors, [{"id": "e", "hobbies": ["x"]}])
    assert [x["mentor"] for x in top_suggestions(p, "e")] == ["b", "c"]
    assert [x["mentor"] for x in top_suggestions(p, "e", k=1)] == ["b"]
    assert [x["mentor"] for x in top_suggestions(p, "e", taken={"b": 2})] == ["c"]
    newcomer = {"id": "new", "hobbies": ["y", "zz"]}
    assert [x["mentor"] for x in top_suggestions(p, newcomer)] == ["c"]


def test_top_suggestions_with_geography_uses_the_index():
    mentors = [
        {"id": "near", **LILLE},
        {"id": "far", "lat": 43.3, "lon": 5.4},
        {"id": "remote", "remote_ok": True},
    ]
    p = problem(geo(20), mentors, [{"id": "e", **ROUBAIX, "remote_ok": True}])
    assert [x["mentor"] for x in top_suggestions(p, "e")] == ["near", "remote"]
    assert [x["mentor"] for x in explain(p, "e", limit=1)] == ["near"]
    assert [x["mentor"] for x in explain(p, "e", limit=3)] == ["near", "remote", "far"]


# --- waiting bonus --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "months"),
    [
        (date(2026, 9, 1), 2),
        (date(2026, 9, 23), 2),
        (date(2026, 9, 24), 1),
        (date(2026, 11, 23), 0),
        (date(2027, 1, 1), 0),
        (date(2020, 1, 1), 82),
    ],
)
def test_months_waited(since, months):
    assert months_waited(date(2026, 11, 23), since) == months


def test_bonus_is_capped_at_twelve_months():
    p = problem(
        [],
        [{"id": "m", "capacity": 2}],
        [{"id": "e1", "waiting_since": "2020-01-01"}, {"id": "e2", "waiting_since": "2026-09-01"}],
        waiting_bonus_per_month=1.5,
        today="2026-11-23",
    )
    res = solve(p)
    assert res["objective"] == {"matched": 2, "total_score": 0.0, "total_bonus": 21.0}


def test_bonus_decides_who_gets_the_last_place():
    p = problem(
        [],
        [{"id": "m"}],
        [{"id": "a", "waiting_since": "2026-10-01"}, {"id": "b", "waiting_since": "2026-05-01"}],
        waiting_bonus_per_month=1,
        today="2026-11-23",
    )
    res = solve(p)
    assert [x["mentee"] for x in res["pairs"]] == ["b"]
    assert res["unmatched_mentees"] == [{"id": "a", "reason": "capacity"}]


# --- invalid input --------------------------------------------------------------------------


def valid():
    return problem(
        [*geo(), *crit("age")],
        [{"id": "m1", **LILLE}, {"id": "m2"}],
        [{"id": "e1", **ROUBAIX, "waiting_since": "2026-01-02"}],
        today="2026-11-23",
        exclusions=[["m1", "e1"]],
    )


def with_(path, value):
    p = valid()
    target = p
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return p


@pytest.mark.parametrize(
    ("broken", "needle"),
    [
        (with_(["criteria", 0, "name"], "astrology"), "astrology"),
        (with_(["criteria", 1], {"name": "geography", "max_km": 3}), "more than once"),
        (with_(["criteria", 0, "weight"], -1), "criterion 'geography' weight"),
        (with_(["criteria", 0, "weight"], "heavy"), "criterion 'geography' weight"),
        (with_(["criteria", 0, "max_km"], 0), "criterion 'geography' max_km"),
        (with_(["criteria", 1, "min_gap"], 150), "criterion 'age'"),
        (with_(["mentors", 1, "capacity"], -1), "id 'm2') capacity"),
        (with_(["mentors", 1, "capacity"], 1.5), "id 'm2') capacity"),
        (with_(["mentors", 1, "id"], "m1"), "duplicate id 'm1'"),
        (with_(["mentors", 1, "id"], ""), "mentors[1]"),
        (with_(["mentors", 1, "id"], 7), "mentors[1]"),
        (with_(["mentors", 0, "lat"], 91), "id 'm1'): latitude 91"),
        (with_(["mentors", 0, "lon"], 180.5), "id 'm1'): longitude"),
        (with_(["mentors", 0, "lon"], None), "id 'm1'): lat and lon"),
        (with_(["mentees", 0, "waiting_since"], "2026-13-01"), "id 'e1') waiting_since"),
        (with_(["mentees", 0, "waiting_since"], "01/02/2026"), "id 'e1') waiting_since"),
        (with_(["mentees", 0, "max_km"], 0), "id 'e1') max_km"),
        (with_(["mentees", 0, "sectors"], "social"), "id 'e1') sectors"),
        (with_(["mentees", 0, "hobbies"], [1]), "id 'e1') hobbies"),
        (with_(["mentees", 0, "remote_ok"], "yes"), "id 'e1') remote_ok"),
        (with_(["mentees", 0, "birth_year"], "1990"), "id 'e1') birth_year"),
        (with_(["today"], "2026-02-30"), "today"),
        (with_(["exclusions", 0], ["m9", "e1"]), "unknown mentor id 'm9'"),
        (with_(["exclusions", 0], ["m1", "e9"]), "unknown mentee id 'e9'"),
        (with_(["exclusions", 0], ["e1", "m1"]), "exclusions[0]"),
        (with_(["candidates_per_mentee"], 0), "candidates_per_mentee"),
        (with_(["min_score"], "high"), "min_score"),
        (with_(["waiting_bonus_per_month"], -1), "waiting_bonus_per_month"),
        (with_(["mentors"], {"id": "m1"}), "mentors"),
        ([], "problem"),
    ],
)
def test_invalid_input_names_the_item(broken, needle):
    with pytest.raises(InvalidProblem) as info:
        solve(broken)
    assert needle in str(info.value)
    assert isinstance(info.value, ValueError)


def test_valid_problem_and_defaults():
    res = solve(valid())
    assert res["objective"]["matched"] == 0  # the only near pair is excluded
    assert res["unmatched_mentees"] == [{"id": "e1", "reason": "no_feasible_mentor"}]
    p = parse_problem({"criteria": [{"name": "age"}], "mentors": [{"id": "m"}]})
    assert p.criteria[0].weight == 1
    assert p.criteria[0].max_gap == 100
    assert p.mentors.capacity.tolist() == [1]
    assert math.isnan(p.mentee_limit_km.sum()) or len(p.mentees) == 0
