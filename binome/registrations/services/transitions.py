"""The registration state machine step and the row lock."""

from binome.core.statemachine import apply_transition
from binome.registrations.enums import REGISTRATION_TRANSITIONS, RegistrationState
from binome.registrations.models import Registration, RegistrationTransition

LABELS = dict(RegistrationState.choices)


def _transition(registration, to_state, *, acting_user, reason="", fields=None, organisation=None):
    fields = fields or {}
    for name, value in fields.items():
        setattr(registration, name, value)
    return apply_transition(
        registration,
        to_state,
        transitions=REGISTRATION_TRANSITIONS,
        labels=LABELS,
        log_model=RegistrationTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=list(fields),
        organisation=organisation,
    )


def _lock(registration):
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organisation", "federation", "queue_owner", "offer__programme")
        .get(pk=registration.pk)
    )
