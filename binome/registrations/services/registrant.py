"""The registrant's own actions, from the status link."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.pairs import services as pairs_services
from binome.people import services as people_services
from binome.people.enums import MenteeState, MentorState
from binome.registrations.enums import CORRECTABLE_STATES, AttemptOutcome, RegistrationState
from binome.registrations.services.emails import _email_registrant
from binome.registrations.services.intake import (
    INTAKE_FIELDS,
    _forget_repeat,
    _redacted_need,
    pending_answers,
)
from binome.registrations.services.transitions import _attempt_transition, _lock, _transition


def apply_repeat(registration):
    """The owner (from the status link) applies the answers of the last repeat."""
    with transaction.atomic():
        registration = _lock(registration)
        answers = pending_answers(registration)
        _forget_repeat(registration)
        if answers:
            registration = correct(registration, data=answers)
    return registration


def ignore_repeat(registration):
    """The owner (from the status link) ignores the answers of the last repeat."""
    with transaction.atomic():
        registration = _lock(registration)
        _forget_repeat(registration)
    return registration


def withdraw(registration, *, reason=""):
    """The registrant withdraws (from the status link): the association's card goes, and a
    candidate created on acceptance leaves the programme through
    ``pairs.services.withdraw_person`` (their pairs not yet started are cancelled, an active
    one is closed, the other person told). A candidate who already left is left alone."""
    with transaction.atomic():
        registration = _lock(registration)
        pending = registration.attempts.filter(outcome=AttemptOutcome.PENDING)
        for attempt in pending.select_for_update(of=("self",)).select_related("organisation"):
            _attempt_transition(
                attempt, AttemptOutcome.CANCELLED, acting_user=None, at=timezone.now()
            )
        _transition(
            registration,
            RegistrationState.WITHDRAWN,
            acting_user=None,
            reason=reason[:500],
            organisation=registration.organisation
            or registration.queue_owner
            or registration.federation,
        )
        person = registration.mentee or registration.mentor
        if person is not None:
            withdrawn = MenteeState.WITHDRAWN if registration.mentee else MentorState.WITHDRAWN
            if withdrawn in people_services.allowed_transitions(person):
                pairs_services.withdraw_person(
                    person,
                    acting_user=None,
                    reason=reason.strip()[:500] or _("withdrawn by the registrant"),
                )
        _forget_repeat(registration)
        _email_registrant(registration, "withdrawn")
    return registration


def correct(registration, *, data):
    """The registrant corrects their data while nobody has their identity yet."""
    with transaction.atomic():
        registration = _lock(registration)
        if registration.state not in CORRECTABLE_STATES:
            raise ValidationError(
                _("Your request has been taken in charge: please contact the association."),
                code="not_correctable",
            )
        changed = []
        for name, value in data.items():
            if name in INTAKE_FIELDS and getattr(registration, name) != value:
                setattr(registration, name, value)
                changed.append(name)
        if not changed:
            return registration
        registration.need_redacted = _redacted_need(registration)
        registration.save(update_fields=[*changed, "need_redacted", "updated_at"])
        log_activity(
            registration,
            "corrected",
            acting_user=None,
            organisation=registration.federation,
            fields=sorted(changed),
        )
        _email_registrant(registration, "corrected")
    return registration
