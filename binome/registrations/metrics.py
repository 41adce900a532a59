"""SLA metrics of the federation dashboard (definitions in docs/registrations.md)."""

import datetime
import math
from collections import defaultdict

from django.utils import timezone

from binome.registrations.enums import WAITING_STATES, RegistrationState

BACKLOG_BUCKETS = ((0, 3), (3, 7), (7, 30), (30, None))
WINDOW_DAYS = 365


def _percentile(values, q):
    """Nearest-rank percentile of a sorted list (days), or None."""
    if not values:
        return None
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[rank - 1]


def _days(delta):
    return delta.total_seconds() / 86400


class Stats:
    def __init__(self):
        self.to_accept = []
        self.to_contact = []
        self.counted = 0
        self.over_7 = 0
        self.over_30 = 0
        self.backlog = [0] * len(BACKLOG_BUCKETS)
        self.total = 0

    def add(self, created_at, accepted_at, contacted_at, state, now):
        self.total += 1
        if accepted_at:
            wait = _days(accepted_at - created_at)
            self.to_accept.append(wait)
            if contacted_at:
                self.to_contact.append(_days(contacted_at - created_at))
        elif state in WAITING_STATES:
            wait = _days(now - created_at)
            for i, (low, high) in enumerate(BACKLOG_BUCKETS):
                if wait >= low and (high is None or wait < high):
                    self.backlog[i] += 1
        else:
            return  # withdrawn or closed before anybody accepted: not in the shares
        self.counted += 1
        self.over_7 += wait > 7
        self.over_30 += wait > 30

    def summary(self):
        accept = sorted(self.to_accept)
        contact = sorted(self.to_contact)
        return {
            "total": self.total,
            "accepted": len(accept),
            "accept_p50": _percentile(accept, 50),
            "accept_p90": _percentile(accept, 90),
            "contact_p50": _percentile(contact, 50),
            "contact_p90": _percentile(contact, 90),
            "share_over_7": self.over_7 / self.counted if self.counted else None,
            "share_over_30": self.over_30 / self.counted if self.counted else None,
            "backlog": self.backlog,
            "backlog_total": sum(self.backlog),
        }


def sla_report(registrations, *, now=None):
    """Overall and per-association figures over the registrations of the last year.

    A request counts for the association that accepted it, or that holds it now; requests
    waiting in the federation's queue count only overall."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    rows = (
        registrations.filter(created_at__gte=since)
        .exclude(state=RegistrationState.CLOSED, accepted_at__isnull=True)
        .values_list("organisation_id", "created_at", "accepted_at", "contacted_at", "state")
    )
    overall = Stats()
    per_org = defaultdict(Stats)
    for org_id, created_at, accepted_at, contacted_at, state in rows.iterator(chunk_size=5000):
        overall.add(created_at, accepted_at, contacted_at, state, now)
        if org_id is not None:
            per_org[org_id].add(created_at, accepted_at, contacted_at, state, now)
    return overall.summary(), {org_id: s.summary() for org_id, s in per_org.items()}
