"""A pair's meeting rhythm against its programme's norm (``Programme.meetings_per_month`` of
``meeting_minutes``): meetings held per month since the start, last meeting, next planned.

One set of aggregates serves both readings: ``rhythm_of(pair)`` (one query, or none when the
pair was annotated) and ``with_rhythm(pairs)`` (annotations: the list stays one query).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from binome.meetings.enums import MeetingState
from binome.meetings.models import Meeting

DAYS_PER_MONTH = 30.4375
KEYS = ("held", "held_minutes", "last_meeting", "next_planned")


def _aggregates(prefix, now):
    p = f"{prefix}__" if prefix else ""
    held = Q(**{f"{p}state": MeetingState.HELD})
    upcoming = Q(**{f"{p}state": MeetingState.PLANNED, f"{p}starts_at__gte": now})
    return {
        "held": Count(f"{p}id", filter=held),
        "held_minutes": Sum(f"{p}held_minutes", filter=held),
        "last_meeting": Max(f"{p}starts_at", filter=held),
        "next_planned": Min(f"{p}starts_at", filter=upcoming),
    }


def with_rhythm(pairs, now=None):
    """``pairs`` annotated with ``rhythm_<key>`` for ``rhythm_of``: one query for the list
    (select ``programme`` with it for the norms)."""
    now = now or timezone.now()
    return pairs.annotate(**{f"rhythm_{k}": v for k, v in _aggregates("meetings", now).items()})


@dataclass(frozen=True)
class Rhythm:
    start: datetime.date | None
    end: datetime.date
    held: int
    held_minutes: int
    last_meeting: datetime.datetime | None
    next_planned: datetime.datetime | None
    norm_per_month: int
    norm_minutes: int

    @property
    def months(self):
        """Months since the start (at least one: the first month is not judged early)."""
        if self.start is None:
            return None
        return max((self.end - self.start).days / DAYS_PER_MONTH, 1.0)

    @property
    def per_month(self):
        return None if self.start is None else round(self.held / self.months, 1)

    @property
    def expected(self):
        """Meetings the norm asks for by now."""
        if self.start is None:
            return None
        days = max((self.end - self.start).days, 0)
        return int(self.norm_per_month * days / DAYS_PER_MONTH)

    @property
    def average_minutes(self):
        return round(self.held_minutes / self.held) if self.held else None

    @property
    def on_track(self):
        """True when the pair meets as often as the norm asks so far (None before the start)."""
        return None if self.start is None else self.held >= self.expected

    @property
    def long_enough(self):
        avg = self.average_minutes
        return None if avg is None else avg >= self.norm_minutes


def rhythm_of(pair, now=None):
    """The rhythm of one pair, from its ``with_rhythm`` annotations or in one query."""
    now = now or timezone.now()
    if hasattr(pair, "rhythm_held"):
        values = {k: getattr(pair, f"rhythm_{k}") for k in KEYS}
    else:
        values = Meeting.objects.filter(pair=pair).aggregate(**_aggregates("", now))
    start = pair.started_on or pair.first_meeting_on
    end = pair.ended_on or timezone.localdate(now)
    return Rhythm(
        start=start,
        end=max(end, start) if start else end,
        held=values["held"] or 0,
        held_minutes=values["held_minutes"] or 0,
        last_meeting=values["last_meeting"],
        next_planned=values["next_planned"],
        norm_per_month=pair.programme.meetings_per_month,
        norm_minutes=pair.programme.meeting_minutes,
    )


def monthly(meetings, rhythm):
    """Held meetings per calendar month from the start, from an already loaded list:
    ``[(first day of the month, count, minutes)]``, newest first."""
    if rhythm.start is None:
        return []
    counts = {}
    for m in meetings:
        if m.state == MeetingState.HELD:
            day = timezone.localtime(m.starts_at).date().replace(day=1)
            n, minutes = counts.get(day, (0, 0))
            counts[day] = (n + 1, minutes + (m.held_minutes or 0))
    rows = []
    month = rhythm.start.replace(day=1)
    while month <= rhythm.end:
        rows.append((month, *counts.get(month, (0, 0))))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return rows[::-1]
