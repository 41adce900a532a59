"""More list pages with a constant number of queries as rows grow (offers, the federation's
SLA dashboard per association, the matching home with its runs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binome.registrations import services as registrations
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.matching.app_helpers import done_run, people
from tests.registrations.factories import (
    FederationFactory,
    OfferFactory,
    member_with_offer,
    submit,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_offer_list(client):
    member, offer, membership = member_with_offer()
    client.force_login(membership.user)
    url = reverse("staff:registrations:offers")
    one = queries(client, url)
    for _ in range(20):
        OfferFactory(programme=ProgrammeFactory(organisation=member))
    assert queries(client, url) == one


def test_sla_dashboard_per_association(client):
    federation = FederationFactory()
    member_with_offer(federation, capacity=100)
    registrations.route_registration(submit(email="first@example.net"))
    staff = MembershipFactory(organisation=federation)
    client.force_login(staff.user)
    url = reverse("staff:registrations:dashboard")
    one = queries(client, url)
    for i in range(20):
        member_with_offer(federation, capacity=100)
        registrations.route_registration(submit(email=f"p{i}@example.net"))
    assert queries(client, url) == one


def test_matching_home_with_runs(client, django_capture_on_commit_callbacks):
    membership = MembershipFactory()
    programme = ProgrammeFactory(organisation=membership.organisation)
    people(programme, 3, 3)
    client.force_login(membership.user)
    done_run(programme, django_capture_on_commit_callbacks, user=membership.user)
    url = reverse("staff:matching:home")
    one = queries(client, url)
    for _ in range(10):
        done_run(programme, django_capture_on_commit_callbacks, user=membership.user)
    assert queries(client, url) == one
