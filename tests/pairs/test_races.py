"""Two staff acting at once on the same pair or mentee: exactly one wins."""

import pytest
from django.db import connection

from binome.pairs import services
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from tests.factories import MenteeFactory, MentorFactory, PairFactory, UserFactory
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are meaningful on PostgreSQL; SQLite serialises writers",
    ),
]


def test_two_staff_accepting_the_same_proposal():
    pair = PairFactory(state=PairState.PROPOSED)
    a, b = UserFactory(), UserFactory()
    results, errors = race(
        lambda: services.accept_by_mentor(pair, acting_user=a),
        lambda: services.accept_by_mentor(pair, acting_user=b),
    )
    assert (len(results), len(errors)) == (1, 1)
    pair.refresh_from_db()
    assert pair.state == PairState.MENTOR_ACCEPTED
    assert pair.transitions.count() == 1


def test_two_staff_proposing_the_same_mentee_to_two_mentors():
    mentee = MenteeFactory(ready=True)
    m1 = MentorFactory(ready=True, programme=mentee.programme)
    m2 = MentorFactory(ready=True, programme=mentee.programme)
    user = UserFactory()
    results, errors = race(
        lambda: services.propose_pair(m1, mentee, acting_user=user),
        lambda: services.propose_pair(m2, mentee, acting_user=user),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert Pair.objects.filter(mentee=mentee).count() == 1


def test_last_place_of_a_mentor_goes_to_one_mentee():
    mentor = MentorFactory(ready=True, capacity=1)
    e1 = MenteeFactory(ready=True, programme=mentor.programme)
    e2 = MenteeFactory(ready=True, programme=mentor.programme)
    user = UserFactory()
    results, errors = race(
        lambda: services.propose_pair(mentor, e1, acting_user=user),
        lambda: services.propose_pair(mentor, e2, acting_user=user),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert mentor.pairs.count() == 1
