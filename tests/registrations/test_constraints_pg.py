"""The "one open request per person and role" index exists on PostgreSQL, and twenty
simultaneous duplicate submissions end with one request."""

import pytest
from django.db import connection

from binome.registrations import services
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration, RoutingAttempt
from tests.races import race
from tests.registrations.factories import FederationFactory, member_with_offer, young_data

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL catalog and row locks"
)


@pytest.mark.django_db
def test_the_partial_unique_index_is_in_the_catalog():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indisunique, pg_get_expr(i.indpred, i.indrelid), a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE c.relname = 'registration_one_open_per_person_role'
            """
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    unique, predicate, column = rows[0]
    assert unique is True
    assert column == "dedup_key"
    for state in ("received", "routed", "queued", "accepted"):
        assert f"'{state}'" in predicate
    assert "withdrawn" not in predicate
    assert "closed" not in predicate


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_duplicates_end_with_one_request(settings):
    settings.BINOME_REGISTRATION_MAX_PER_EMAIL_PER_DAY = 0
    fed = FederationFactory()
    member_with_offer(fed)
    data = young_data(email="same@example.net")

    def submit_and_route():
        registration, _created = services.submit_registration(kind="young", data=dict(data))
        return services.route_registration(registration)

    results, errors = race(*[submit_and_route for _ in range(20)])
    assert not errors
    assert len(results) == 20
    assert Registration.objects.count() == 1
    assert Registration.objects.get().state == RegistrationState.ROUTED
    assert RoutingAttempt.objects.count() == 1


@pytest.mark.django_db
def test_the_migration_closes_the_duplicates_let_in_before():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "binome.registrations.migrations.0003_close_duplicate_open_requests"
    )
    fed = FederationFactory()
    member_with_offer(fed)
    first, _ = services.submit_registration(kind="young", data=young_data())
    services.route_registration(first)
    with connection.cursor() as cursor:  # as on a database migrated by 0002 (rolled back)
        cursor.execute("DROP INDEX registration_one_open_per_person_role")
    second = Registration.objects.create(
        kind="young", side="mentee", first_name="A", last_name="B", dedup_key=first.dedup_key
    )
    migration.close_duplicates(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == RegistrationState.ROUTED
    assert second.state == RegistrationState.CLOSED
    assert second.transitions.get().reason == f"duplicate of request #{first.pk}"
