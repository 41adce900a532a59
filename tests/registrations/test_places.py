"""Places of an offer are given back when an accepted request is withdrawn or its person
leaves before any pair starts; the declarations page shows the true count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.pairs.enums import PairState
from binome.people import services as people_services
from binome.people.enums import MenteeState
from binome.registrations import services
from binome.registrations.enums import RegistrationState
from tests.factories import PairFactory
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def full():
    """An offer with one place, taken by an accepted request."""
    fed = FederationFactory()
    member, offer, membership = member_with_offer(fed, capacity=1)
    first = services.route_registration(submit(email="first@example.net"))
    first = services.accept(first, organisation=member, acting_user=membership.user)
    return member, offer, membership, first


def remaining(offer):
    (spec,) = services.candidate_offers(offer.programme.organisation.federation, "mentee")
    return spec.remaining


def test_the_accepted_request_holds_the_place(full):
    _member, offer, _membership, _first = full
    assert remaining(offer) == 0
    assert services.route_registration(submit(email="b@example.net")).state == "queued"


def test_withdrawing_an_accepted_request_gives_the_place_back(full):
    _member, offer, _membership, first = full
    services.withdraw(first, reason="found a job")
    assert remaining(offer) == 1
    second = services.route_registration(submit(email="b@example.net"))
    assert second.state == RegistrationState.ROUTED
    assert second.offer == offer


@pytest.mark.parametrize("exit_state", [MenteeState.NOT_RETAINED, MenteeState.REDIRECTED])
def test_the_person_leaving_before_a_pair_gives_the_place_back(full, exit_state):
    _member, offer, membership, first = full
    people_services.transition_person(
        first.mentee, exit_state, acting_user=membership.user, reason="not for now"
    )
    assert remaining(offer) == 1
    second = submit(email="b@example.net")
    report = services.route_pending_batch()
    assert report.routed == 1
    second.refresh_from_db()
    assert second.offer == offer


def test_a_place_used_by_a_started_pair_stays_used(full):
    _member, offer, membership, first = full
    mentee = first.mentee
    PairFactory(
        programme=mentee.programme,
        mentee=mentee,
        state=PairState.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    # The person left after the pair started (written directly: pairs are tested apart).
    type(mentee).objects.filter(pk=mentee.pk).update(state=MenteeState.WITHDRAWN)
    assert remaining(offer) == 0


def test_declarations_page_shows_places_left(client, full):
    _member, offer, membership, first = full
    client.force_login(membership.user)
    url = reverse("staff:registrations:offers")
    row = client.get(url).context["rows"][0]
    assert (row["left"], row["offer"].capacity) == (0, 1)
    services.withdraw(first)
    assert client.get(url).context["rows"][0]["left"] == 1
