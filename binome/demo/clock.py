"""Backdating what the services wrote.

The demo replays its stories through the real services today. Before each step the builder
tells the clock the step's planned moment (``clock.at(moment)``); ``apply`` then gives every
timestamp written since the first step the moment of the step that was running when it was
written, and marks the e-mails sent a little later. What later steps read back (the answer
times that routing scores, the sending times that reminders count from) is applied after each
step; the rest once at the end. The activity log is append-only and keeps today's dates, as in
the rest of the demo.
"""

import bisect
import datetime
from functools import reduce
from operator import or_

from django.db.models import DateField, DateTimeField, Q
from django.utils import timezone

from binome.notifications.models import OutboxEmail, OutboxState

# Date fields the services set to today (the rest are planned dates, left alone).
STAMPED_DATES = {"waiting_since"}
MAIL_DELAY = datetime.timedelta(minutes=2)


class Clock:
    def __init__(self, *, latest):
        self.cut = timezone.now()
        self.latest = latest  # no moment after this one (the demo's "now")
        self.starts = []  # real time each step started, increasing
        self.moments = []  # the step's planned moment

    def clamp(self, moment):
        return min(moment, self.latest)

    def at(self, moment):
        """What the services write from now on happened at ``moment``."""
        self.starts.append(timezone.now())
        self.moments.append(self.clamp(moment))

    def _moment(self, written):
        i = bisect.bisect_right(self.starts, written) - 1
        return self.moments[i] if i >= 0 else None

    def apply(self, *models, mails=True):
        """Move the timestamps written during the steps back to the steps' moments."""
        if not self.starts:
            return
        for model in models:
            self._apply(model)
        if mails:
            self._mails()

    def _apply(self, model):
        times = [f.attname for f in model._meta.concrete_fields if isinstance(f, DateTimeField)]
        dates = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, DateField)
            and not isinstance(f, DateTimeField)
            and f.name in STAMPED_DATES
        ]
        since = self.starts[0]
        written = reduce(or_, (Q(**{f"{name}__gte": since}) for name in times))
        rows = list(model.objects.filter(written).only("pk", *times, *dates))
        if not rows:
            return
        for row in rows:
            moved = []
            for name in times:
                value = getattr(row, name)
                if value is not None and value >= since:
                    moment = self._moment(value)
                    setattr(row, name, moment)
                    moved.append(moment)
            for name in dates:
                if getattr(row, name) == timezone.localdate(since) and moved:
                    setattr(row, name, timezone.localdate(max(moved)))
        model.objects.bulk_update(rows, times + dates, batch_size=500)

    def _mails(self):
        rows = list(OutboxEmail.objects.filter(created_at__gte=self.starts[0]).only("created_at"))
        if not rows:
            return
        for row in rows:
            row.created_at = self._moment(row.created_at)
            row.state = OutboxState.SENT
            row.sent_at = min(row.created_at + MAIL_DELAY, self.cut)
        OutboxEmail.objects.bulk_update(rows, ["created_at", "state", "sent_at"], batch_size=500)
