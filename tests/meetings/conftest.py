import datetime

import pytest
from django.utils import timezone

from binome.meetings.enums import MeetingState
from binome.meetings.models import Meeting
from binome.pairs.enums import PairState
from tests.factories import MembershipFactory, PairFactory, UserFactory


@pytest.fixture
def staff():
    return MembershipFactory()


@pytest.fixture
def pair(staff):
    """An active pair started 60 days ago; the mentor and the mentee have portal accounts."""
    pair = PairFactory(
        programme__organisation=staff.organisation,
        state=PairState.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=60),
        first_meeting_on=timezone.localdate() - datetime.timedelta(days=65),
        mentor__first_name="Camille",
        mentor__last_name="Mentorlastname",
        mentee__first_name="Yanis",
        mentee__last_name="Menteelastname",
    )
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory()
        person.save(update_fields=["user"])
    return pair


def ago(days=0, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def make_meetings(pair, n, *, state=MeetingState.HELD, start_days_ago=55):
    """``n`` meetings written directly (services are tested on their own)."""
    rows = []
    for i in range(n):
        held = state == MeetingState.HELD
        rows.append(
            Meeting(
                pair=pair,
                state=state,
                starts_at=ago(days=start_days_ago) + datetime.timedelta(hours=i * 5),
                planned_minutes=90,
                place="Lille",
                held_minutes=90 if held else None,
                logged_at=timezone.now() if held else None,
                logged_side="mentor" if held else "",
            )
        )
    return Meeting.objects.bulk_create(rows)
