"""Meetings of a pair: states, the transition table and its guards, who acts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.statemachine import guard
from binome.pairs.enums import PairState


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Did not take place")
    CANCELLED = "cancelled", _("Cancelled")


# A meeting is planned, then logged (held or not) or cancelled. The other side's correction of
# a log may turn "held" into "not held" and back; a cancelled meeting stays cancelled.
MEETING_TRANSITIONS = {
    MeetingState.PLANNED: {MeetingState.HELD, MeetingState.NOT_HELD, MeetingState.CANCELLED},
    MeetingState.HELD: {MeetingState.NOT_HELD},
    MeetingState.NOT_HELD: {MeetingState.HELD},
    MeetingState.CANCELLED: set(),
}
LOGGED_STATES = frozenset({MeetingState.HELD, MeetingState.NOT_HELD})

_PAST = guard(
    lambda m, r: m.starts_at <= timezone.now(),
    _("This meeting has not taken place yet: change its date or cancel it."),
    "meeting_in_future",
)
MEETING_GUARDS = {
    (MeetingState.PLANNED, MeetingState.HELD): (_PAST,),
    (MeetingState.PLANNED, MeetingState.NOT_HELD): (_PAST,),
    MeetingState.HELD: (
        guard(
            lambda m, r: bool(m.held_minutes),
            _("Give how long the meeting lasted."),
            "duration_required",
        ),
    ),
    MeetingState.CANCELLED: (
        guard(lambda m, r: bool(r.strip()), _("Please give a reason."), "reason_required"),
    ),
}

# The pair states in which its meetings are planned: from the first meeting on, until closure.
MEETING_PAIR_STATES = frozenset(
    {PairState.FIRST_MEETING, PairState.CONTRACT_SIGNED, PairState.ACTIVE}
)


class Side(models.TextChoices):
    """Who did something about a meeting: one of the pair, or the association's staff."""

    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    STAFF = "staff", _("Association")


PEOPLE_SIDES = (Side.MENTOR, Side.MENTEE)
