"""Two staff acting at once on the same pair or mentee: exactly one wins."""

import threading
import time

import pytest
from django.db import connection, connections

from binome.pairs import services
from binome.pairs.enums import DeclineReason, PairState
from binome.pairs.models import Pair
from binome.people.enums import MentorState
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


def _held(pairs, calls):
    """Run the calls in parallel while another connection holds the pairs' rows, then let go
    once both wait on them: they start again at the same instant."""
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Pair._meta.db_table} WHERE id = ANY(%s) FOR UPDATE",
            [[p.pk for p in pairs]],
        )
    out = []
    thread = threading.Thread(target=lambda: out.append(race(*calls)))
    thread.start()
    try:
        with holder.cursor() as cursor:
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] >= len(calls):
                    break
                time.sleep(0.05)
    finally:
        holder.rollback()
        holder.close()
    thread.join()
    return out[0]


def test_the_last_two_pairs_of_a_mentor_ending_at_once_leave_the_mentor_ready():
    # The pair's lock holds its people too (``of=("self", "mentor", "mentee")``): the second
    # ending waits for the first before asking whether the mentor still has a live pair.
    mentor = MentorFactory(ready=True, capacity=2)
    first = PairFactory(state=PairState.PROPOSED, programme=mentor.programme, mentor=mentor)
    second = PairFactory(state=PairState.PROPOSED, programme=mentor.programme, mentor=mentor)
    mentor.refresh_from_db()
    assert mentor.state == MentorState.MATCHED
    user = UserFactory()
    results, errors = _held(
        [first, second],
        [
            lambda: services.decline_by_mentor(
                first, acting_user=user, reason=DeclineReason.PERSONAL
            ),
            lambda: services.decline_by_mentor(
                second, acting_user=user, reason=DeclineReason.PERSONAL
            ),
        ],
    )
    assert (len(results), len(errors)) == (2, 0)
    mentor.refresh_from_db()
    assert mentor.state == MentorState.READY
