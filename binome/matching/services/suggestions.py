"""Outside a run: the best mentors for one mentee now, proposing one, exclusions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.matching import engine
from binome.matching.adapter import (
    build_problem,
    mentee_as_newcomer,
    mentee_exclusions,
    mentee_key,
    mentor_key,
)
from binome.matching.enums import ExclusionSource
from binome.matching.models import MatchExclusion
from binome.matching.services.offers import _propose, send_offer

NEXT_BEST_COUNT = 3
# How many suggestions a mentee's page shows.
SUGGESTION_COUNT = 5


def propose_suggestion(mentee, *, mentor, acting_user, site_url=""):
    """Propose a suggested mentor to a mentee outside a run (e.g. after a decline)."""
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("The mentor and the mentee are not in the same programme."))
    problem = build_problem(mentee.programme)
    key = mentee_key(mentee.pk)
    possible = {m["id"] for m in problem["mentors"]}
    entries = engine.explain(problem, key) if key in {e["id"] for e in problem["mentees"]} else []
    if not any(
        e["mentor"] == mentor_key(mentor.pk) and e["feasible"] and e["mentor"] in possible
        for e in entries
    ):
        raise ValidationError(_("This mentor is not a possible choice for this mentee now."))
    with transaction.atomic():
        pair = _propose(mentor, mentee, acting_user=acting_user, note=_("Suggested by the engine"))
        send_offer(pair, site_url=site_url, acting_user=acting_user)
    return pair


def next_best(mentee, *, k=NEXT_BEST_COUNT):
    """The best feasible mentors with a free place for a mentee, now (declines excluded)."""
    problem = build_problem(mentee.programme)
    key = mentee_key(mentee.pk)
    if key not in {e["id"] for e in problem["mentees"]}:
        return []
    return engine.top_suggestions(problem, key, k)


def explain_mentee(mentee, *, today=None, k=SUGGESTION_COUNT):
    """One mentee against the mentors with a free place now: every mentor (feasible or not,
    and why) and the k best feasible ones. A mentee not waiting for a mentor (not part of the
    problem) is scored as a newcomer, its declined pairs and exclusions ruled out here.

    Returns ``{"in_problem", "criteria" (names), "entries", "suggestions"}``.
    """
    problem = build_problem(mentee.programme, today=today)
    key = mentee_key(mentee.pk)
    in_problem = key in {e["id"] for e in problem["mentees"]}
    entries, suggestions = [], []
    if problem["mentors"]:
        prepared = engine.prepare(problem)
        target = key if in_problem else mentee_as_newcomer(mentee)
        entries = prepared.explain(target)
        suggestions = prepared.top_suggestions(target, k)
        if not in_problem:  # a newcomer dict carries no exclusions: apply them here
            excluded = mentee_exclusions(mentee)
            for entry in entries:
                if entry["mentor"] in excluded:
                    entry["failed"].append("excluded")
                    entry["feasible"] = False
            suggestions = [s for s in suggestions if s["mentor"] not in excluded]
    return {
        "in_problem": in_problem,
        "criteria": [c["name"] for c in problem.get("criteria", [])],
        "entries": entries,
        "suggestions": suggestions,
    }


def record_suggestions_viewed(mentee, *, acting_user):
    """Journal that a member of the staff looked at a mentee's suggested mentors (the page
    lists every mentor of the programme against this mentee)."""
    with transaction.atomic():
        log_activity(
            mentee,
            "viewed",
            acting_user=acting_user,
            organisation=mentee.programme.organisation,
        )


def add_exclusion(mentor, mentee, *, acting_user, source=ExclusionSource.MANUAL, reason=""):
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("The mentor and the mentee are not in the same programme."))
    exclusion, created = MatchExclusion.objects.get_or_create(
        mentor=mentor,
        mentee=mentee,
        defaults={"source": source, "reason": reason[:200], "created_by": acting_user},
    )
    if created:
        log_activity(
            exclusion,
            "created",
            acting_user=acting_user,
            organisation=mentee.programme.organisation,
        )
    return exclusion
