"""Use cases of the pair (binôme): one function per transition, all through ``transition_pair``."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.core.statemachine import InvalidTransition, apply_transition
from binome.notifications.services import queue_email
from binome.organisations.enums import EDITOR_ROLES
from binome.organisations.models import Membership
from binome.pairs.enums import (
    OPEN_STATES,
    PAIR_GUARDS,
    PAIR_TRANSITIONS,
    TERMINAL_STATES,
    ClosureType,
    DeclineReason,
    ExitReason,
    FirstMeetingItem,
    Outcome,
    PairState,
    Signatory,
)
from binome.pairs.models import Pair, PairTransition, Signature
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, Mentor
from binome.people.services import transition_person

LABELS = dict(PairState.choices)


def allowed_transitions(pair):
    return [PairState(s) for s in PairState.values if s in PAIR_TRANSITIONS[pair.state]]


def _lock(pair):
    # The pair and its people, not the programme nor the organisation: two endings of one
    # mentor's pairs wait for each other before counting the mentor's live pairs.
    return (
        Pair.objects.select_for_update(of=("self", "mentor", "mentee"))
        .select_related("programme__organisation", "mentor", "mentee")
        .get(pk=pair.pk)
    )


def transition_pair(
    pair,
    to_state,
    *,
    acting_user,
    reason="",
    fields=None,
    notify=None,
    mentor_continues=True,
    leaving=None,
):
    """The one place where a pair changes state: lock, check, set fields, save, log, notify.

    When the pair ends (declined, cancelled, closed), its people move on in the same
    transaction (``_release``). ``notify(pair)`` runs inside the transaction and queues
    e-mails in the outbox.
    """
    fields = fields or {}
    with transaction.atomic():
        locked = _lock(pair)
        for name, value in fields.items():
            setattr(locked, name, value)
        apply_transition(
            locked,
            to_state,
            transitions=PAIR_TRANSITIONS,
            labels=LABELS,
            guards=PAIR_GUARDS,
            log_model=PairTransition,
            acting_user=acting_user,
            reason=reason,
            update_fields=list(fields),
            organisation=locked.programme.organisation,
        )
        if to_state in TERMINAL_STATES:
            _release(
                locked, acting_user=acting_user, mentor_continues=mentor_continues, leaving=leaving
            )
        if notify:
            notify(locked)
    return locked


def _hold(pair, *, acting_user):
    """A new live pair: the mentee is matched, and the mentor if this is their first pair."""
    reason = str(LABELS[pair.state])
    transition_person(pair.mentee, MenteeState.MATCHED, acting_user=acting_user, reason=reason)
    if pair.mentor.state == MentorState.READY:
        transition_person(pair.mentor, MentorState.MATCHED, acting_user=acting_user, reason=reason)


def _release(pair, *, acting_user, mentor_continues=True, leaving=None):
    """The pair has ended. The mentee is back in the pool after a refusal or a cancellation,
    and done (alumni) after a closure; the mentor, once without a live pair, is available
    again, or a former mentor when the staff say they stop. ``leaving`` ("mentor" or
    "mentee") is the side withdrawing, left to ``withdraw_person``."""
    reason = str(LABELS[pair.state])
    closed = pair.state == PairState.CLOSED
    mentee, mentor = pair.mentee, pair.mentor
    if leaving != "mentee" and mentee.state == MenteeState.MATCHED:
        to = MenteeState.ALUMNI if closed else MenteeState.READY
        transition_person(mentee, to, acting_user=acting_user, reason=reason)
    if leaving == "mentor" or mentor.state != MentorState.MATCHED:
        return
    if mentor.has_live_pair():
        if closed and not mentor_continues:
            raise ValidationError(
                _("This mentor has another pair in progress: they can stop once it ends."),
                code="mentor_has_pair",
            )
        return
    to = MentorState.ALUMNI if closed and not mentor_continues else MentorState.READY
    transition_person(mentor, to, acting_user=acting_user, reason=reason)


def _email_people(pair, template, *, to=("mentor", "mentee")):
    organisation = pair.programme.organisation
    for side in to:
        person = getattr(pair, side)
        other = pair.mentee if side == "mentor" else pair.mentor
        if person.email:
            queue_email(
                to=person.email,
                template=template,
                context={
                    "pair": pair,
                    "person": person,
                    "other": other,
                    "organisation": organisation,
                    "checklist": FirstMeetingItem.choices,
                },
                category=template.rsplit("/", 1)[-1],
                organisation=organisation,
            )


def propose_pair(mentor, mentee, *, acting_user, note="", notify=True):
    """Staff propose a mentee to a mentor. Both must be ready; the mentor needs a free place.

    ``notify=False`` when the caller sends its own message (matching offers carry a link).
    """
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("The mentor and the mentee are not in the same programme."))
    with transaction.atomic():
        # Lock both people: two staff proposing at once end with one pair.
        mentor = (
            Mentor.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=mentor.pk)
        )
        mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
        if mentor.state not in {MentorState.READY, MentorState.MATCHED}:
            raise ValidationError(_("This mentor is not ready to be matched."))
        if mentee.has_live_pair():
            raise ValidationError(_("This mentee already has a pair in progress."))
        if mentee.state != MenteeState.READY:
            raise ValidationError(_("This mentee is not ready to be matched."))
        if mentor.places_left() <= 0:
            raise ValidationError(_("This mentor has no free place left."))
        try:
            with transaction.atomic():
                pair = Pair.objects.create(
                    programme=mentor.programme,
                    mentor=mentor,
                    mentee=mentee,
                    proposal_note=note,
                    created_by=acting_user,
                )
        except IntegrityError as exc:
            raise ValidationError(_("This mentee already has a pair in progress.")) from exc
        PairTransition.objects.create(
            subject=pair, from_state="", to_state=pair.state, by=acting_user
        )
        log_activity(
            pair, "created", acting_user=acting_user, organisation=mentor.programme.organisation
        )
        _hold(pair, acting_user=acting_user)
        if notify:
            _email_people(pair, "emails/pair_proposed", to=("mentor",))
    return pair


def accept_by_mentor(pair, *, acting_user):
    return transition_pair(pair, PairState.MENTOR_ACCEPTED, acting_user=acting_user)


def _decline(pair, to_state, *, acting_user, reason, note):
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason from the list."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise ValidationError(_("Please say why."))
    text = f"{DeclineReason(reason).label}" + (f" — {note}" if note else "")
    return transition_pair(
        pair, to_state, acting_user=acting_user, reason=text, fields={"decline_reason": reason}
    )


def decline_by_mentor(pair, *, acting_user, reason, note=""):
    return _decline(
        pair, PairState.MENTOR_DECLINED, acting_user=acting_user, reason=reason, note=note
    )


def accept_by_mentee(pair, *, acting_user):
    return transition_pair(
        pair,
        PairState.MENTEE_ACCEPTED,
        acting_user=acting_user,
        notify=lambda p: _email_people(p, "emails/pair_accepted"),
    )


def decline_by_mentee(pair, *, acting_user, reason, note=""):
    return _decline(
        pair, PairState.MENTEE_DECLINED, acting_user=acting_user, reason=reason, note=note
    )


def record_first_meeting(pair, *, acting_user, held_on, checklist, notes=""):
    unknown = set(checklist) - set(FirstMeetingItem.values)
    if unknown:
        raise ValidationError(_("Unknown checklist item."))
    if held_on > timezone.localdate():
        raise ValidationError(_("The first meeting cannot be in the future."))
    if held_on < timezone.localdate(pair.created_at):
        raise ValidationError(_("The first meeting cannot be before the proposal."))
    return transition_pair(
        pair,
        PairState.FIRST_MEETING,
        acting_user=acting_user,
        reason=notes,
        fields={"first_meeting_on": held_on, "first_meeting_checklist": sorted(checklist)},
    )


def record_signature(pair, *, acting_user, signatory, signed_at=None):
    """Record one signature of the tripartite contract; the third one signs the contract."""
    if signatory not in Signatory.values:
        raise ValidationError(_("Unknown signatory."))
    with transaction.atomic():
        locked = _lock(pair)
        if locked.state != PairState.FIRST_MEETING:
            raise InvalidTransition(
                _("Signatures are recorded after the first meeting, before the pair starts.")
            )
        if locked.signatures.filter(signatory=signatory).exists():
            raise ValidationError(_("This signature is already recorded."))
        Signature.objects.create(
            pair=locked,
            signatory=signatory,
            signed_at=signed_at or timezone.now(),
            charter_version=locked.programme.charter_version,
            recorded_by=acting_user,
        )
        log_activity(
            locked,
            "signed",
            acting_user=acting_user,
            organisation=locked.programme.organisation,
            signatory=signatory,
        )
        if not locked.missing_signatories():
            locked = transition_pair(locked, PairState.CONTRACT_SIGNED, acting_user=acting_user)
    return locked


def activate_pair(pair, *, acting_user, started_on=None):
    started_on = started_on or timezone.localdate()
    pair.started_on = started_on
    return transition_pair(
        pair,
        PairState.ACTIVE,
        acting_user=acting_user,
        fields={"started_on": started_on, "planned_end_on": pair.planned_end()},
        notify=lambda p: _email_people(p, "emails/pair_started"),
    )


def close_pair(
    pair,
    *,
    acting_user,
    exit_reason,
    outcome,
    closure_type,
    ended_on=None,
    notes="",
    mentor_continues=True,
):
    """Close an active pair: the mentee is done (alumni); the mentor stays available for the
    next mentee, or becomes a former mentor with ``mentor_continues=False``."""
    if exit_reason not in ExitReason.values or outcome not in Outcome.values:
        raise ValidationError(_("Choose a reason and a situation from the lists."))
    if closure_type not in ClosureType.values:
        raise ValidationError(_("Choose the kind of closure."))
    if exit_reason == ExitReason.OTHER and not notes.strip():
        raise ValidationError(_("Please say why."))
    ended_on = ended_on or timezone.localdate()
    if pair.started_on and ended_on < pair.started_on:
        raise ValidationError(_("The end date cannot be before the start date."))
    return transition_pair(
        pair,
        PairState.CLOSED,
        acting_user=acting_user,
        reason=notes,
        fields={
            "exit_reason": exit_reason,
            "outcome": outcome,
            "closure_type": closure_type,
            "ended_on": ended_on,
        },
        notify=lambda p: _email_people(p, "emails/pair_closed"),
        mentor_continues=mentor_continues,
    )


def cancel_pair(pair, *, acting_user, reason):
    if not reason.strip():
        raise ValidationError(_("Please give a reason."))
    return transition_pair(pair, PairState.CANCELLED, acting_user=acting_user, reason=reason)


def withdraw_person(person, *, acting_user, reason):
    """A mentor or mentee leaves the programme (staff action, or the registrant on their status
    page with ``acting_user=None``). In the same transaction, their pairs not yet started are
    cancelled and their active pair is closed (exit reason: withdrew, outcome unknown, early);
    the other person of each pair is told by e-mail."""
    if not reason.strip():
        raise ValidationError(_("Please give a reason."))
    is_mentor = isinstance(person, Mentor)
    state = MentorState.WITHDRAWN if is_mentor else MenteeState.WITHDRAWN
    side, other = ("mentor", "mentee") if is_mentor else ("mentee", "mentor")
    exit_reason = ExitReason.MENTOR_WITHDREW if is_mentor else ExitReason.MENTEE_WITHDREW
    with transaction.atomic():
        person = type(person).objects.select_for_update().get(pk=person.pk)
        pairs = []
        for pair in person.pairs.live().order_by("pk"):
            if pair.state in OPEN_STATES:
                # A mentee hears of a proposal once the mentor has accepted it.
                told = other == "mentor" or pair.state != PairState.PROPOSED
                pair = transition_pair(
                    pair,
                    PairState.CANCELLED,
                    acting_user=acting_user,
                    reason=reason,
                    notify=lambda p, told=told: _email_people(
                        p, "emails/pair_cancelled", to=(other,) if told else ()
                    ),
                    leaving=side,
                )
            else:
                pair = transition_pair(
                    pair,
                    PairState.CLOSED,
                    acting_user=acting_user,
                    reason=reason,
                    fields={
                        "exit_reason": exit_reason,
                        "outcome": Outcome.UNKNOWN,
                        "closure_type": ClosureType.UNPLANNED,
                        "ended_on": timezone.localdate(),
                    },
                    notify=lambda p: _email_people(p, "emails/pair_ended", to=(other,)),
                    leaving=side,
                )
            pairs.append(pair)
        transition_person(person, state, acting_user=acting_user, reason=reason)
        if pairs and not _is_staff(acting_user, person.programme.organisation):
            _email_staff(person, pairs, "emails/pair_person_withdrew")
    return person


def _is_staff(user, organisation):
    return bool(
        user
        and user.is_authenticated
        and user.memberships.filter(
            organisation=organisation, is_active=True, role__in=EDITOR_ROLES
        ).exists()
    )


def _email_staff(person, pairs, template):
    """Tell the association (its address, else its active editors) what happened."""
    organisation = person.programme.organisation
    if organisation.email:
        addresses = [organisation.email]
    else:
        addresses = Membership.objects.filter(
            organisation=organisation, is_active=True, role__in=EDITOR_ROLES
        ).values_list("user__email", flat=True)
    for to in addresses:
        queue_email(
            to=to,
            template=template,
            context={"person": person, "pairs": pairs, "organisation": organisation},
            category=template.rsplit("/", 1)[-1],
            organisation=organisation,
        )
