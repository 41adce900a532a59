"""The association's answer (accept, decline, no answer in time, first contact), and the
queue owner closing a request."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.services import log_activity
from binome.people import services as people_services
from binome.people.models import Mentee, Mentor
from binome.people.vocab import RecruitmentChannel
from binome.registrations.enums import (
    AttemptOutcome,
    DeclineReason,
    RegistrationKind,
    RegistrationState,
)
from binome.registrations.models import RoutingAttempt
from binome.registrations.services.deadlines import answer_days
from binome.registrations.services.emails import _email_registrant
from binome.registrations.services.intake import _forget_repeat
from binome.registrations.services.route import owns_queue_of, route_registration
from binome.registrations.services.transitions import _attempt_transition, _lock, _transition


def _pending_attempt(registration, organisation):
    attempt = (
        registration.attempts.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(organisation=organisation, outcome=AttemptOutcome.PENDING)
        .first()
    )
    if registration.state != RegistrationState.ROUTED or attempt is None:
        raise ValidationError(
            _("This request has already been answered (perhaps by a colleague just now)."),
            code="already_answered",
        )
    return attempt


def accept(registration, *, organisation, acting_user, programme=None):
    """The association takes the request in charge: identity revealed (logged), candidate
    created in its pipeline with the registration's data, registrant told who has it."""
    with transaction.atomic():
        registration = _lock(registration)
        attempt = _pending_attempt(registration, organisation)
        if programme is None and registration.offer is not None:
            programme = registration.offer.programme
        if programme is not None and programme.organisation_id != organisation.pk:
            raise ValidationError(_("This programme is not one of your association's."))
        now = timezone.now()
        _attempt_transition(
            attempt,
            AttemptOutcome.ACCEPTED,
            acting_user=acting_user,
            at=now,
            fields={"answered_by": acting_user},
        )
        fields = {"accepted_at": now}
        if registration.kind != RegistrationKind.COMPANY:
            if programme is None:
                raise ValidationError(_("Choose the programme that takes this request."))
            person = _create_candidate(registration, programme, acting_user=acting_user)
            fields[registration.side] = person
            if registration.side == "mentee":
                # The agreements given on the form follow the mentee (GDPR records).
                registration.consents.update(mentee=person)
        _transition(
            registration,
            RegistrationState.ACCEPTED,
            acting_user=acting_user,
            fields=fields,
            organisation=organisation,
        )
        log_activity(
            registration,
            "identity_revealed",
            acting_user=acting_user,
            organisation=organisation,
            attempt=attempt.pk,
        )
        _forget_repeat(registration)  # the identity is the association's now
        _email_registrant(registration, "accepted")
    return registration


def _create_candidate(registration, programme, *, acting_user):
    common = {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "phone": registration.phone,
        "birth_year": registration.birth_year,
        "place": registration.place,
        "motivation": registration.need,
        "recruitment_channel": RecruitmentChannel.PLATFORM,
    }
    if registration.side == "mentor":
        return people_services.create_person(
            Mentor, programme, acting_user=acting_user, employer=registration.employer, **common
        )
    referrer = ""
    if registration.kind == RegistrationKind.REFERRAL:
        referrer = ", ".join(
            p for p in (registration.referrer_name, registration.referrer_structure) if p
        )[:200]
    return people_services.create_person(
        Mentee,
        programme,
        acting_user=acting_user,
        situation=registration.situation if registration.situation else "",
        referrer_name=referrer,
        **common,
    )


def decline(registration, *, organisation, acting_user, reason, note=""):
    """The association declines (reason from a list): it loses the card and the request goes
    to the next eligible association, or to the federation's queue."""
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason."), code="reason_required")
    with transaction.atomic():
        registration = _lock(registration)
        attempt = _pending_attempt(registration, organisation)
        _attempt_transition(
            attempt,
            AttemptOutcome.DECLINED,
            acting_user=acting_user,
            at=timezone.now(),
            fields={
                "answered_by": acting_user,
                "decline_reason": reason,
                "decline_note": note[:300],
            },
            reason=str(DeclineReason(reason).label),
        )
        _back_to_routing(
            registration,
            acting_user=acting_user,
            reason=_("declined: %(r)s") % {"r": DeclineReason(reason).label},
            organisation=organisation,
        )
        return route_registration(registration, acting_user=acting_user)


def _back_to_routing(registration, *, acting_user, reason, organisation):
    _transition(
        registration,
        RegistrationState.RECEIVED,
        acting_user=acting_user,
        reason=reason,
        fields={"organisation": None, "offer": None},
        organisation=organisation,
    )


def time_out(attempt, *, now=None):
    """No answer within the limit: the request moves on to the next association."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock(attempt.registration)
        attempt = (
            RoutingAttempt.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=attempt.pk)
        )
        if attempt.outcome != AttemptOutcome.PENDING:
            return registration
        _attempt_transition(attempt, AttemptOutcome.TIMED_OUT, acting_user=None, at=now)
        days = answer_days()
        _back_to_routing(
            registration,
            acting_user=None,
            reason=ngettext("no answer within %(n)s day", "no answer within %(n)s days", days)
            % {"n": days},
            organisation=attempt.organisation,
        )
        return route_registration(registration, now=now)


def record_first_contact(registration, *, organisation, acting_user):
    with transaction.atomic():
        registration = _lock(registration)
        if registration.organisation_id != organisation.pk:
            raise ValidationError(_("This request is not yours."))
        _transition(
            registration,
            RegistrationState.CONTACTED,
            acting_user=acting_user,
            fields={"contacted_at": timezone.now()},
            organisation=organisation,
        )
        _email_registrant(registration, "contacted")
    return registration


def close_from_queue(registration, *, federation, acting_user, reason):
    """The queue's owner (``federation``: a federation, or an association without one) closes
    a request nobody can take; the registrant is told."""
    if not reason.strip():
        raise ValidationError(_("Please give a reason."), code="reason_required")
    with transaction.atomic():
        registration = _lock(registration)
        if not owns_queue_of(federation, registration):
            raise ValidationError(_("This request is not in your queue."))
        _transition(
            registration,
            RegistrationState.CLOSED,
            acting_user=acting_user,
            reason=reason,
            organisation=federation,
        )
        _forget_repeat(registration)
        _email_registrant(registration, "closed")
    return registration
