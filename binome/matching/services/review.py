"""Editing a run by hand before publishing: choose, remove, swap, each checked by the engine."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.matching.adapter import mentee_key, mentor_key
from binome.matching.enums import ProposalSource, RunState
from binome.matching.models import MatchingRun, RunProposal
from binome.matching.services.reading import explain_in_run, run_capacity, taken_places


def _lock_run(run):
    locked = (
        MatchingRun.objects.select_for_update(of=("self",))
        .select_related("programme__organisation")
        .get(pk=run.pk)
    )
    if locked.state != RunState.DONE:
        raise ValidationError(_("This run can no longer be changed."))
    return locked


def _entry(run, mentee_pk, mentor_pk):
    """The engine's verdict on one pair of the run."""
    if mentee_key(mentee_pk) not in {e["id"] for e in run.problem.get("mentees", [])}:
        raise ValidationError(_("This mentee is not part of this run."))
    for entry in explain_in_run(run, mentee_pk):
        if entry["mentor"] == mentor_key(mentor_pk):
            return entry
    raise ValidationError(_("This mentor is not part of this run."))


def _check_feasible(entry):
    if not entry["feasible"]:
        from binome.matching.enums import failed_label

        reasons = ", ".join(str(failed_label(c)) for c in entry["failed"])
        raise ValidationError(
            _("The engine rules this pair out: %(reasons)s.") % {"reasons": reasons}
        )


def _check_place(run, mentor_pk, *, exclude_mentee=None):
    key = mentor_key(mentor_pk)
    taken = taken_places(run, exclude_mentee=exclude_mentee).get(key, 0)
    if taken >= run_capacity(run).get(key, 0):
        raise ValidationError(
            _("This mentor has no place left in this run: remove or change their pair first.")
        )


def _cost(run, mentee_pk, score):
    """What a manual choice costs against the engine's choice for this mentee."""
    engine_pair = (
        run.proposals.filter(mentee_id=mentee_pk, source=ProposalSource.ENGINE)
        .order_by("id")
        .first()
    )
    optimal = engine_pair.score if engine_pair else None
    return {
        "score": score,
        "optimal_score": optimal,
        "difference": round(score - optimal, 2) if optimal is not None else None,
    }


def remove_proposal(proposal, *, acting_user):
    """Take a pair out of the run's selection (kept, marked removed)."""
    with transaction.atomic():
        run = _lock_run(proposal.run)
        proposal = RunProposal.objects.select_for_update().get(pk=proposal.pk, run=run)
        if proposal.removed:
            raise ValidationError(_("This pair is already removed."))
        proposal.removed = True
        proposal.save(update_fields=["removed"])
        log_activity(
            run,
            "matching_pair_removed",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposal=proposal.pk,
        )
    return proposal


def choose_mentor(run, *, mentee, mentor, acting_user):
    """Add a pair for a mentee, or change the mentee's mentor, after the engine's check.

    Returns (the new proposal, the cost against the engine's choice for this mentee).
    """
    with transaction.atomic():
        run = _lock_run(run)
        entry = _entry(run, mentee.pk, mentor.pk)
        _check_feasible(entry)
        _check_place(run, mentor.pk, exclude_mentee=mentee.pk)
        current = run.proposals.chosen().filter(mentee=mentee).select_for_update().first()
        if current is not None:
            if current.mentor_id == mentor.pk:
                raise ValidationError(_("This mentor is already chosen for this mentee."))
            current.removed = True
            current.save(update_fields=["removed"])
        proposal = RunProposal.objects.create(
            run=run,
            mentor=mentor,
            mentee=mentee,
            score=entry["score"],
            breakdown=entry["breakdown"],
            source=ProposalSource.MANUAL,
        )
        log_activity(
            run,
            "matching_pair_chosen",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposal=proposal.pk,
            replaced=current.pk if current else None,
        )
    return proposal, _cost(run, mentee.pk, entry["score"])


def swap_mentors(first, second, *, acting_user):
    """Exchange the mentors of two chosen pairs of the same run, both checked by the engine.

    Returns the two new proposals and the change in total score.
    """
    with transaction.atomic():
        run = _lock_run(first.run)
        rows = list(
            RunProposal.objects.select_for_update()
            .filter(run=run, removed=False, pk__in=[first.pk, second.pk])
            .order_by("pk")
        )
        if len(rows) != 2:
            raise ValidationError(_("Pick two pairs of this run."))
        a, b = rows
        if a.mentor_id == b.mentor_id:
            raise ValidationError(_("These two pairs have the same mentor."))
        entry_a = _entry(run, a.mentee_id, b.mentor_id)
        entry_b = _entry(run, b.mentee_id, a.mentor_id)
        _check_feasible(entry_a)
        _check_feasible(entry_b)
        RunProposal.objects.filter(pk__in=[a.pk, b.pk]).update(removed=True)
        new = [
            RunProposal.objects.create(
                run=run,
                mentor_id=mentor_pk,
                mentee_id=old.mentee_id,
                score=entry["score"],
                breakdown=entry["breakdown"],
                source=ProposalSource.MANUAL,
            )
            for old, mentor_pk, entry in ((a, b.mentor_id, entry_a), (b, a.mentor_id, entry_b))
        ]
        log_activity(
            run,
            "matching_pairs_swapped",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposals=[a.pk, b.pk],
        )
    delta = round(entry_a["score"] + entry_b["score"] - a.score - b.score, 2)
    return new, delta
