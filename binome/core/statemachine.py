"""A tiny state-machine helper shared by the candidate and pair workflows.

Each workflow declares a ``TextChoices`` enum and a table ``{state: {allowed next states}}``;
``apply_transition`` checks, saves, writes the transition log and the activity log.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity


class InvalidTransition(ValidationError):
    """Raised when a state change is not allowed; the message says why, for the staff."""


def check_transition(obj, to_state, transitions, labels):
    current = obj.state
    if to_state not in transitions.get(current, set()):
        raise InvalidTransition(
            _("Cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels[current], "to": labels[to_state]},
            code="invalid_transition",
        )


def apply_transition(
    obj,
    to_state,
    *,
    transitions,
    labels,
    log_model,
    acting_user,
    reason="",
    update_fields=(),
    organisation=None,
    **log_data,
):
    """Move ``obj`` (already locked by the caller) to ``to_state``; returns the log row."""
    check_transition(obj, to_state, transitions, labels)
    from_state = obj.state
    obj.state = to_state
    obj.state_changed_at = timezone.now()
    obj.save(update_fields=["state", "state_changed_at", "updated_at", *update_fields])
    entry = log_model.objects.create(
        subject=obj,
        from_state=from_state,
        to_state=to_state,
        by=acting_user if acting_user and acting_user.is_authenticated else None,
        reason=reason,
    )
    log_activity(
        obj,
        "transition",
        acting_user=acting_user,
        organisation=organisation,
        from_state=from_state,
        to_state=to_state,
        **log_data,
    )
    return entry
