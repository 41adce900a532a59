import datetime

import pytest
from django.utils import timezone, translation

from binome.pairs.enums import PairState
from binome.plans.enums import Owner, Support
from binome.plans.models import Action, Goal
from tests.factories import MembershipFactory, PairFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def staff():
    return MembershipFactory()


@pytest.fixture
def partner(staff):
    return MembershipFactory(organisation=staff.organisation, partner=True)


_n = iter(range(10**6))


def make_pair(staff, **kwargs):
    """An active pair whose mentor and mentee have portal accounts."""
    n = next(_n)
    kwargs.setdefault("state", PairState.ACTIVE)
    pair = PairFactory(
        programme__organisation=staff.organisation,
        started_on=timezone.localdate() - datetime.timedelta(days=30),
        first_meeting_on=timezone.localdate() - datetime.timedelta(days=35),
        mentor__first_name="Camille",
        mentor__email=f"mentor{n}@example.net",
        mentee__first_name="Yanis",
        mentee__email=f"mentee{n}@example.net",
        **kwargs,
    )
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory()
        person.save(update_fields=["user"])
    return pair


@pytest.fixture
def pair(staff):
    return make_pair(staff)


def make_plan(pair, actions, goals=5):
    """A plan written directly (the services are tested on their own)."""
    supports = Support.values
    made = [
        Goal.objects.create(pair=pair, support=supports[i % 5], title=f"Goal {i}")
        for i in range(goals)
    ]
    Action.objects.bulk_create(
        Action(
            goal=made[i % goals],
            what=f"Action {i}",
            owner=Owner.MENTEE if i % 2 else Owner.MENTOR,
            due_on=timezone.localdate() + datetime.timedelta(days=i - 10),
        )
        for i in range(actions)
    )
    return made
