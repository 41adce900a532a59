"""Reading a finished run: its problem parsed once, places, totals, explanations.

The explain page reads one mentee's explanation stored by a task (``RunExplanation``) and
derives the suggestions from it and the current selection: no engine work in a GET.
"""

import threading
from collections import OrderedDict

from django.db.models import Count, Sum

from binome.matching import engine
from binome.matching.adapter import mentee_key, mentor_key
from binome.matching.models import MatchingRun, RunExplanation

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


def stored_explanation(run, mentee_pk):
    """The stored explanation of one mentee of a reviewable run (every mentor, best first), or
    None while it is being computed: a missing one is queued (a task), then read again."""
    from binome.matching.tasks import explain_in_run_task

    row = RunExplanation.objects.filter(run=run, mentee_id=mentee_pk).first()
    if row is None:
        explain_in_run_task.enqueue(run.pk, mentee_pk)
        row = RunExplanation.objects.filter(run=run, mentee_id=mentee_pk).first()
    return row.entries if row is not None else None


def store_explanation(run_id, mentee_pk):
    """Compute and store one mentee's explanation in a reviewable run (the task)."""
    run = MatchingRun.objects.filter(pk=run_id).first()
    if run is None or not run.is_reviewable:
        return None
    if mentee_key(mentee_pk) not in {e["id"] for e in run.problem.get("mentees", [])}:
        return None
    row, _created = RunExplanation.objects.get_or_create(
        run=run, mentee_id=mentee_pk, defaults={"entries": explain_in_run(run, mentee_pk)}
    )
    return row


def suggestions_from(run, mentee_pk, entries, *, k=5):
    """``suggestions_in_run`` from a stored explanation: the k best feasible mentors with a
    place left in the current selection (the mentee's own pair aside), without the engine
    (the explanation is in the engine's order: feasible first, best score, then mentor)."""
    taken = taken_places(run, exclude_mentee=mentee_pk)
    capacity = run_capacity(run)
    return [
        e
        for e in entries
        if e["feasible"] and capacity.get(e["mentor"], 0) - taken.get(e["mentor"], 0) > 0
    ][:k]
