"""The meetings demo runs through the services on top of the associations' demo."""

import pytest
from django.db import transaction
from django.utils import timezone

from binome.demo import meetings as meetings_demo
from binome.demo.builder import DemoBuilder
from binome.demo.data import DEFAULT_SEED
from binome.meetings.enums import MeetingState
from binome.meetings.models import CalendarFeed, Meeting

pytestmark = pytest.mark.django_db


def test_demo_meetings():
    base = DemoBuilder(seed=DEFAULT_SEED, size="small")
    with transaction.atomic():
        base.build()
        meetings_demo.build(base)
    states = set(Meeting.objects.values_list("state", flat=True))
    assert {MeetingState.HELD, MeetingState.PLANNED} <= states
    assert Meeting.objects.filter(confirmed_at__isnull=False, confirmed_on_behalf=True).exists()
    assert Meeting.objects.filter(starts_at__gt=timezone.now(), state="planned").exists()
    assert not Meeting.objects.filter(logged_at__gt=timezone.now()).exists()
    assert CalendarFeed.objects.active().exists()
