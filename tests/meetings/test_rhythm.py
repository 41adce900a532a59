"""The rhythm against the programme's norm, for one pair and annotated on a list of pairs
(one query whatever the number of pairs and meetings)."""

import datetime

import pytest
from django.utils import timezone

from binome.meetings.enums import MeetingState
from binome.meetings.rhythm import monthly, rhythm_of, with_rhythm
from binome.pairs.models import Pair
from tests.factories import PairFactory
from tests.meetings.conftest import make_meetings

pytestmark = pytest.mark.django_db


def test_one_pair_against_the_norm(pair, django_assert_num_queries):
    make_meetings(pair, 3)  # held, 55 days ago
    make_meetings(pair, 1, state=MeetingState.CANCELLED, start_days_ago=20)
    (planned,) = make_meetings(pair, 1, state=MeetingState.PLANNED, start_days_ago=-3)
    with django_assert_num_queries(1):
        rhythm = rhythm_of(pair)
    assert rhythm.held == 3
    assert rhythm.held_minutes == 270
    assert rhythm.average_minutes == 90
    assert rhythm.norm_per_month == 2
    assert rhythm.norm_minutes == 90
    assert rhythm.expected == 3  # 60 days: 2 a month → 3.9, so 3 by now
    assert rhythm.on_track is True
    assert rhythm.long_enough is True
    assert rhythm.per_month == round(3 / (60 / 30.4375), 1)
    assert rhythm.next_planned == planned.starts_at
    assert rhythm.last_meeting is not None


def test_behind_and_before_the_start(pair, staff):
    make_meetings(pair, 1)
    assert rhythm_of(pair).on_track is False
    new = PairFactory(programme=pair.programme, state="first_meeting")
    rhythm = rhythm_of(new)
    assert (rhythm.start, rhythm.on_track, rhythm.per_month) == (None, None, None)
    assert monthly([], rhythm) == []


def test_monthly_rows(pair):
    meetings = make_meetings(pair, 4)
    rows = monthly(meetings, rhythm_of(pair))
    assert sum(n for _m, n, _min in rows) == 4
    assert rows[0][0] == timezone.localdate().replace(day=1)
    assert len(rows) in (2, 3)  # 60 days span two or three calendar months


@pytest.mark.parametrize("count", [1, 30])
def test_a_list_of_pairs_in_one_query(pair, django_assert_num_queries, count):
    pairs = [pair] + [
        PairFactory(
            programme=pair.programme,
            state="active",
            started_on=timezone.localdate() - datetime.timedelta(days=40),
        )
        for _ in range(count - 1)
    ]
    for p in pairs:
        make_meetings(p, 2)
        make_meetings(p, 1, state=MeetingState.PLANNED, start_days_ago=-2)
    qs = with_rhythm(Pair.objects.filter(programme=pair.programme).select_related("programme"))
    with django_assert_num_queries(1):
        rhythms = {p.pk: rhythm_of(p) for p in qs}
    assert len(rhythms) == count
    assert all(r.held == 2 for r in rhythms.values())
    assert all(r.next_planned is not None for r in rhythms.values())
    assert rhythms[pair.pk] == rhythm_of(Pair.objects.get(pk=pair.pk))


@pytest.mark.parametrize("count", [1, 30])
def test_pairs_list_shows_the_rhythm_with_constant_queries(
    client, staff, pair, django_assert_num_queries, count
):
    from django.urls import reverse

    for _ in range(count - 1):
        p = PairFactory(programme=pair.programme, state="active", started_on=pair.started_on)
        make_meetings(p, 1)
    make_meetings(pair, 5)
    client.force_login(staff.user)
    with django_assert_num_queries(6):  # as tests/www/test_query_counts.py
        response = client.get(reverse("staff:pairs:list"))
    rhythms = {p.pk: r for p, r in response.context["rows"]}
    assert len(rhythms) == min(count, 25)
    assert all(r.held >= 1 for r in rhythms.values())
    if count == 1:
        assert rhythms[pair.pk].held == 5
    assert "par mois" in response.content.decode()
