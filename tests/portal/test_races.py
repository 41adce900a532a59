"""Two clicks or requests at the same instant (PostgreSQL: row locks)."""

import pytest
from django.db import connection

from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.portal import services as portal
from tests.portal.conftest import ask_link, make_pair
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are meaningful on PostgreSQL; SQLite serialises writers",
    ),
]


def test_a_link_used_twice_at_once_opens_one_session():
    pair = make_pair(state=PairState.MENTOR_ACCEPTED)
    token = ask_link(pair.mentee).split("sesame=")[1]
    results, _errors = race(
        lambda: portal.user_from_link(token, use=True),
        lambda: portal.user_from_link(token, use=True),
    )
    pair.mentee.refresh_from_db()
    assert sorted(results, key=bool) == [None, pair.mentee.user]


def test_the_limit_per_address_holds_when_asked_at_once():
    pair = make_pair()
    n = portal.LINKS_PER_HOUR + 2
    results, _errors = race(
        *[lambda: portal.request_login_link(pair.mentor.email, site_url="http://t/")] * n
    )
    assert sorted(results) == [False, False] + [True] * portal.LINKS_PER_HOUR
    assert OutboxEmail.objects.filter(category=portal.LINK_CATEGORY).count() == (
        portal.LINKS_PER_HOUR
    )


def test_the_mentee_saying_yes_and_no_at_once_gives_one_answer():
    pair = make_pair(state=PairState.MENTOR_ACCEPTED)
    user = portal.portal_account(pair.mentee)
    results, errors = race(
        lambda: portal.answer_pair(pair, acting_user=user, accept=True),
        lambda: portal.answer_pair(pair, acting_user=user, accept=False, reason="personal"),
    )
    assert (len(results), len(errors)) == (1, 1)
    pair.refresh_from_db()
    assert pair.state in {PairState.MENTEE_ACCEPTED, PairState.MENTEE_DECLINED}
    assert pair.transitions.count() == 1
