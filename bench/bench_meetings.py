"""Benchmark of the meetings pages, on a throw-away test database (SQLite, or PostgreSQL when
DATABASE_URL is set).

    python bench/bench_meetings.py [--runs 30]

Prints the median and 95th-percentile times (ms) and the SQL query counts of:
- the ICS feed of a mentor with 3 pairs and 300 meetings (target < 200 ms);
- the staff pair page with 200 meetings (target < 300 ms), and its query count at 1 meeting
  (constant: the same at 1 and 200).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from binome.meetings.enums import MeetingState  # noqa: E402
from binome.meetings.models import CalendarFeed, Meeting  # noqa: E402
from tests.factories import MembershipFactory, PairFactory, ProgrammeFactory  # noqa: E402

STATES = [MeetingState.HELD] * 6 + [MeetingState.NOT_HELD, MeetingState.CANCELLED]


def meetings(pair, n):
    start = timezone.now() - datetime.timedelta(days=80)
    rows = []
    for i in range(n):
        when = start + datetime.timedelta(hours=9 * i)
        state = MeetingState.PLANNED if when > timezone.now() else STATES[i % len(STATES)]
        held = state == MeetingState.HELD
        rows.append(
            Meeting(
                pair=pair,
                state=state,
                starts_at=when,
                planned_minutes=90,
                place="Bureau du mentor, 12 rue Nationale, Lille",
                held_minutes=90 if held else None,
                topics="CV, lettre de motivation, préparation d'entretien" if held else "",
                logged_at=timezone.now() if held else None,
                logged_side="mentor" if held else "",
                sequence=i % 3,
            )
        )
    Meeting.objects.bulk_create(rows)


def timed(client, url, runs, before=None):
    client.get(url)  # warm (templates, translations)
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        membership = MembershipFactory()
        programme = ProgrammeFactory(organisation=membership.organisation)
        started = timezone.localdate() - datetime.timedelta(days=90)
        first = PairFactory(programme=programme, state="active", started_on=started)
        for _ in range(2):
            pair = PairFactory(
                programme=programme, mentor=first.mentor, state="active", started_on=started
            )
            meetings(pair, 100)
        meetings(first, 100)
        feed = CalendarFeed.objects.create(mentor=first.mentor)
        client = Client()
        url = reverse("calendar:feed", args=[feed.token])
        cold, cold_p95, _q = timed(client, url, args.runs, before=cache.clear)
        print(
            f"[{connection.vendor}] ICS feed, mentor with 3 pairs and 300 meetings, no event "
            f"cached (first poll): median {cold:.1f} ms, p95 {cold_p95:.1f} ms"
        )
        feed_median, p95, queries = timed(client, url, args.runs)
        vendor = connection.vendor
        print(
            f"[{vendor}] ICS feed, 3 pairs and 300 meetings, events cached (next polls): "
            f"median {feed_median:.1f} ms, p95 {p95:.1f} ms, {queries} queries (target < 200 ms)"
        )

        client.force_login(membership.user)
        one = PairFactory(programme=programme, state="active", started_on=started)
        meetings(one, 1)
        url_one = reverse("staff:pairs:detail", args=[one.pk])
        _m, _p, queries_one = timed(client, url_one, 3)
        big = PairFactory(programme=programme, state="active", started_on=started)
        meetings(big, 200)
        median, p95, queries = timed(
            client, reverse("staff:pairs:detail", args=[big.pk]), args.runs
        )
        print(
            f"[{vendor}] staff pair page with 200 meetings: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, {queries} queries (at 1 meeting: {queries_one}; "
            "target < 300 ms, constant)"
        )
        ok = cold < 200 and feed_median < 200 and median < 300 and queries == queries_one
        sys.exit(0 if ok else 1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
