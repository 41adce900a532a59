"""Reading a finished run: its problem parsed once, places, totals, explanations."""

import threading
from collections import OrderedDict

from django.db.models import Count, Sum

from binome.matching import engine
from binome.matching.adapter import mentee_key, mentor_key

_PREPARED = OrderedDict()
_PREPARED_LOCK = threading.Lock()


def prepared_problem(run):
    """The run's problem parsed once per process (a run's problem never changes)."""
    key = (run.pk, run.finished_at)
    with _PREPARED_LOCK:
        if key in _PREPARED:
            _PREPARED.move_to_end(key)
            return _PREPARED[key]
    prepared = engine.prepare(run.problem)
    with _PREPARED_LOCK:
        _PREPARED[key] = prepared
        while len(_PREPARED) > 4:
            _PREPARED.popitem(last=False)
    return prepared


def run_capacity(run):
    """Mentor key → capacity in the run's problem."""
    return {m["id"]: m.get("capacity", 1) for m in run.problem.get("mentors", [])}


def taken_places(run, *, exclude_mentee=None):
    """Mentor key → number of chosen proposals in the run."""
    qs = run.proposals.chosen()
    if exclude_mentee is not None:
        qs = qs.exclude(mentee=exclude_mentee)
    counts = qs.values("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n")
    return {mentor_key(pk): n for pk, n in counts}


def run_totals(run):
    """The staff's current selection against the engine's optimum and the greedy baseline."""
    agg = run.proposals.chosen().aggregate(n=Count("id"), total=Sum("score"))
    optimum = run.result.get("objective", {})
    greedy = run.greedy.get("objective", {})
    current = {"matched": agg["n"], "total_score": round(agg["total"] or 0, 2)}
    return {
        "current": current,
        "optimum": optimum,
        "greedy": greedy,
        "mentees": len(run.problem.get("mentees", [])),
        "mentors": len(run.problem.get("mentors", [])),
        "cost": round(optimum.get("total_score", 0) - current["total_score"], 2),
        "matched_cost": optimum.get("matched", 0) - current["matched"],
        "gain_over_greedy": round(optimum.get("total_score", 0) - greedy.get("total_score", 0), 2),
        "matched_over_greedy": optimum.get("matched", 0) - greedy.get("matched", 0),
    }


def explain_in_run(run, mentee_pk):
    """Every mentor of the run for one mentee, with score, breakdown and failed conditions."""
    key = mentee_key(mentee_pk)
    return prepared_problem(run).explain(key)


def suggestions_in_run(run, mentee_pk, *, k=5):
    """The k best feasible mentors with a place left in the run (the mentee's own pair aside)."""
    taken = taken_places(run, exclude_mentee=mentee_pk)
    return prepared_problem(run).top_suggestions(mentee_key(mentee_pk), k, taken)


def unmatched_reasons(run):
    """Mentee key → reason, for the mentees of the run without a chosen proposal."""
    reasons = {u["id"]: u["reason"] for u in run.result.get("unmatched_mentees", [])}
    chosen = {mentee_key(pk) for pk in run.proposals.chosen().values_list("mentee_id", flat=True)}
    out = {}
    for e in run.problem.get("mentees", []):
        if e["id"] not in chosen:
            out[e["id"]] = reasons.get(e["id"], "removed")
    return out


def unused_mentors(run):
    """Mentor key → places left in the run's current selection."""
    taken = taken_places(run)
    return {
        key: cap - taken.get(key, 0)
        for key, cap in run_capacity(run).items()
        if cap - taken.get(key, 0) > 0 and taken.get(key, 0) == 0
    }
