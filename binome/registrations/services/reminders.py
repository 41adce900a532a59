"""The answer deadline: reminders to the association, then the timeout."""

import datetime

from django.db import transaction
from django.utils import timezone

from binome.core.services import log_activity
from binome.registrations.enums import AttemptOutcome
from binome.registrations.models import RoutingAttempt
from binome.registrations.services.answers import time_out
from binome.registrations.services.deadlines import answer_days, reminder_days
from binome.registrations.services.emails import _email_association


def send_reminders(*, now=None):
    """Day-3 and day-6 reminders to the association, and the N-day timeout (idempotent)."""
    now = now or timezone.now()
    first, second = reminder_days()
    counts = {"reminded": 0, "timed_out": 0}
    pending = RoutingAttempt.objects.pending().select_related("registration", "organisation")
    for attempt in pending.filter(routed_at__lte=now - datetime.timedelta(days=first)):
        age = now - attempt.routed_at
        if age >= datetime.timedelta(days=answer_days()):
            time_out(attempt, now=now)
            counts["timed_out"] += 1
            continue
        wanted = 2 if age >= datetime.timedelta(days=second) else 1
        if attempt.reminders_sent >= wanted:
            continue
        with transaction.atomic():
            updated = RoutingAttempt.objects.filter(
                pk=attempt.pk, outcome=AttemptOutcome.PENDING, reminders_sent__lt=wanted
            ).update(reminders_sent=wanted)
            if updated:
                _email_association(attempt, "reminder", days_waiting=age.days)
                log_activity(
                    attempt.registration,
                    "reminder_sent",
                    acting_user=None,
                    organisation=attempt.organisation,
                    number=wanted,
                )
                counts["reminded"] += 1
    return counts
