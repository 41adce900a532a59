"""The registrant withdraws from the status link: an accepted request's candidate leaves too,
through ``pairs.services.withdraw_person`` when they are in a pair."""

import pytest
from django.urls import reverse

from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.people.enums import MenteeState, MentorState
from binome.registrations import services
from binome.registrations.enums import RegistrationState
from tests.factories import MentorFactory, PairFactory
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted():
    fed = FederationFactory()
    member, offer, membership = member_with_offer(fed, capacity=1)
    registration = services.route_registration(submit())
    registration = services.accept(registration, organisation=member, acting_user=membership.user)
    return registration, offer, membership


def _in_a_pair(mentee, state, **fields):
    type(mentee).objects.filter(pk=mentee.pk).update(state=MenteeState.MATCHED)
    mentor = MentorFactory(programme=mentee.programme, state=MentorState.MATCHED)
    return PairFactory(
        programme=mentee.programme, mentee=mentee, mentor=mentor, state=state, **fields
    )


@pytest.mark.parametrize("state", [PairState.PROPOSED, PairState.MENTEE_ACCEPTED])
def test_withdrawing_a_mentee_in_a_pair_not_started_cancels_it(client, accepted, state):
    registration, offer, _membership = accepted
    pair = _in_a_pair(registration.mentee, state)
    token = services.status_token(registration)
    response = client.post(
        reverse("public:withdraw", args=[token]), {"confirm": "on", "reason": "Found a job"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    pair.refresh_from_db()
    assert registration.state == RegistrationState.WITHDRAWN
    assert registration.mentee.state == MenteeState.WITHDRAWN
    assert pair.state == PairState.CANCELLED
    # The place is free again: no pair had started.
    (spec,) = services.candidate_offers(offer.programme.organisation.federation, "mentee")
    assert spec.remaining == 1


def test_withdrawing_a_mentee_in_an_active_pair_closes_it(accepted):
    import datetime

    from django.utils import timezone

    registration, offer, _membership = accepted
    pair = _in_a_pair(
        registration.mentee,
        PairState.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    services.withdraw(registration, reason="moving away")
    pair.refresh_from_db()
    registration.refresh_from_db()
    assert pair.state == PairState.CLOSED
    assert registration.mentee.state == MenteeState.WITHDRAWN
    assert "registration_withdrawn" in OutboxEmail.objects.values_list("category", flat=True)
    # The mentoring had started: the place stays used.
    (spec,) = services.candidate_offers(offer.programme.organisation.federation, "mentee")
    assert spec.remaining == 0


def test_a_candidate_who_already_left_is_left_alone(accepted):
    registration, _offer, membership = accepted
    from binome.people import services as people_services

    people_services.transition_person(
        registration.mentee, MenteeState.NOT_RETAINED, acting_user=membership.user, reason="x"
    )
    services.withdraw(registration)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WITHDRAWN
    assert registration.mentee.state == MenteeState.NOT_RETAINED
