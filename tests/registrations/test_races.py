"""Two staff accepting the same request at once; routing twice at once (PostgreSQL)."""

import pytest
from django.db import connection

from binome.people.models import Mentee
from binome.registrations import services
from binome.registrations.enums import RegistrationState
from binome.registrations.models import RoutingAttempt
from tests.factories import MembershipFactory
from tests.races import race
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are meaningful on PostgreSQL; SQLite serialises writers",
    ),
]


def test_two_staff_accepting_the_same_request():
    fed = FederationFactory()
    member, _, a = member_with_offer(fed)
    b = MembershipFactory(organisation=member)
    registration = services.route_registration(submit())
    results, errors = race(
        lambda: services.accept(registration, organisation=member, acting_user=a.user),
        lambda: services.accept(registration, organisation=member, acting_user=b.user),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert errors[0].code == "already_answered"
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ACCEPTED
    assert Mentee.objects.count() == 1
    assert registration.transitions.filter(to_state="accepted").count() == 1


def test_accept_and_decline_at_once():
    fed = FederationFactory()
    member, _, a = member_with_offer(fed)
    b = MembershipFactory(organisation=member)
    registration = services.route_registration(submit())
    results, errors = race(
        lambda: services.accept(registration, organisation=member, acting_user=a.user),
        lambda: services.decline(
            registration, organisation=member, acting_user=b.user, reason="full"
        ),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert registration.attempts.count() == 1


def test_routing_the_same_request_twice_at_once():
    fed = FederationFactory()
    member_with_offer(fed)
    registration = submit()
    results, errors = race(
        lambda: services.route_registration(registration),
        lambda: services.route_registration(registration),
    )
    assert len(results) == 2
    assert not errors
    assert RoutingAttempt.objects.count() == 1


def test_last_place_of_an_offer_goes_to_one_request():
    fed = FederationFactory()
    member_with_offer(fed, capacity=1)
    first, second = submit(email="a@example.net"), submit(email="b@example.net")
    race(
        lambda: services.route_registration(first),
        lambda: services.route_registration(second),
    )
    states = sorted(r.state for r in (first, second) if r.refresh_from_db() is None)
    assert states == [RegistrationState.QUEUED, RegistrationState.ROUTED]
