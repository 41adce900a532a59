"""A tiny state-machine helper shared by the candidate and pair workflows.

Each workflow declares a ``TextChoices`` enum, a table ``{state: {allowed next states}}`` and,
beside it, a guards table: ``{(from, to): guards}`` for one transition or ``{to: guards}`` for
every transition into ``to``. A guard is ``guard(obj, reason)`` returning ``None`` when the
transition may happen, else the message that says why not. ``apply_transition`` checks the
table and the guards, saves, writes the transition log and the activity log: no path can skip a
guard.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity


class InvalidTransition(ValidationError):
    """Raised when a state change is not allowed; the message says why, for the staff."""


def guard(test, message, code):
    """A guard from a predicate: ``test(obj, reason)`` is true when the transition may happen."""

    def check(obj, reason):
        return None if test(obj, reason) else message

    check.code = code
    return check


def guards_for(guards, from_state, to_state):
    """The guards of one transition: those of ``(from, to)``, then those of ``to``."""
    if not guards:
        return ()
    return (*guards.get((from_state, to_state), ()), *guards.get(to_state, ()))


def check_transition(obj, to_state, transitions, labels, *, guards=None, reason=""):
    current = obj.state
    if to_state not in transitions.get(current, set()):
        raise InvalidTransition(
            _("Cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels[current], "to": labels[to_state]},
            code="invalid_transition",
        )
    for guard in guards_for(guards, current, to_state):
        message = guard(obj, reason)
        if message:
            raise InvalidTransition(message, code=getattr(guard, "code", "guard"))


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
    guards=None,
    **log_data,
):
    """Move ``obj`` (already locked by the caller) to ``to_state``; returns the log row.

    ``guards`` is the workflow's guards table (see the module docstring); the fields the guards
    look at are set on ``obj`` by the caller before.
    """
    check_transition(obj, to_state, transitions, labels, guards=guards, reason=reason)
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
