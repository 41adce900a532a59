"""The state machine steps (requests and their attempts) and the row lock.

Both paths use the same tables and guards: one request at a time (``_transition``,
``_attempt_transition``) or a batch (``_transition_bulk``)."""

from binome.core.statemachine import Summary, apply_transition, apply_transitions_bulk
from binome.registrations.enums import (
    ATTEMPT_GUARDS,
    ATTEMPT_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    AttemptOutcome,
    RegistrationState,
)
from binome.registrations.models import (
    Registration,
    RegistrationTransition,
    RoutingAttemptTransition,
)

LABELS = dict(RegistrationState.choices)
ATTEMPT_LABELS = dict(AttemptOutcome.choices)


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


def _transition_bulk(
    rows, to_state, *, acting_user, reason, fields, summary_organisation, timings=None
):
    """``_transition`` for many requests (light rows, locked by the caller) at once: the same
    table, then set-based writes (``core.statemachine.apply_transitions_bulk``); journalled as
    one ``batch_routed`` row per organisation (``summary_organisation(row)``: its id)."""
    return apply_transitions_bulk(
        Registration,
        rows,
        to_state,
        transitions=REGISTRATION_TRANSITIONS,
        labels=LABELS,
        log_model=RegistrationTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=fields,
        summary=Summary("batch_routed", summary_organisation),
        timings=timings,
    )


def _attempt_transition(attempt, outcome, *, acting_user, at, fields=None, reason=""):
    """Answer an attempt (locked by the caller): ``answered_at`` is the time of the change."""
    fields = {"answered_at": at, **(fields or {})}
    for name, value in fields.items():
        setattr(attempt, name, value)
    return apply_transition(
        attempt,
        outcome,
        transitions=ATTEMPT_TRANSITIONS,
        labels=ATTEMPT_LABELS,
        log_model=RoutingAttemptTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=list(fields),
        organisation=attempt.organisation,
        guards=ATTEMPT_GUARDS,
        field="outcome",
        changed_at_field=None,
        registration=attempt.registration_id,
    )


def _lock(registration):
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organisation", "federation", "queue_owner", "offer__programme")
        .get(pk=registration.pk)
    )
