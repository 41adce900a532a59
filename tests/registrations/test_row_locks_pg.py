"""Row locks of the registrations services lock their own rows only (PostgreSQL): a lock on a
query with joins says ``FOR UPDATE OF`` its table, else PostgreSQL also locks the joined rows
(the association, the federation, the programme) and unrelated writers wait."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binome.registrations import services
from binome.registrations.models import RoutingAttempt
from tests.registrations.factories import FederationFactory, member_with_offer, submit, young_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]


def registration_locks(queries):
    """The ``FOR UPDATE`` queries on the registrations tables."""
    return [
        q["sql"]
        for q in queries
        if " FOR UPDATE" in q["sql"] and re.search(r'FROM "registrations_\w+"', q["sql"])
    ]


def test_locks_with_joins_lock_their_own_table_only():
    federation = FederationFactory()
    a, _, ma = member_with_offer(federation, departments=["59"])
    b, offer_b, mb = member_with_offer(federation, departments=[])
    with CaptureQueriesContext(connection) as captured:
        registration = services.route_registration(submit())
        services.submit_registration(kind="young", data=young_data(need="Autre chose"))
        registration = services.decline(
            registration, organisation=a, acting_user=ma.user, reason="full"
        )
        start = RoutingAttempt.objects.get(organisation=b).routed_at
        services.send_reminders(now=start + datetime.timedelta(days=8))
        registration = services.route_to(
            registration, b, acting_user=mb.user, federation=federation
        )
        registration = services.accept(
            registration, organisation=b, acting_user=mb.user, programme=offer_b.programme
        )
        services.withdraw(registration, reason="found a job")
        submit(email="other@example.net")
        services.route_pending_batch()
    locks = registration_locks(captured.captured_queries)
    assert any(" JOIN " in sql for sql in locks), locks
    joined = [sql for sql in locks if " JOIN " in sql]
    assert [sql for sql in joined if " FOR UPDATE OF " not in sql] == []
