"""REQ-FED-04: federation staff see a registrant's identity only for a logged support purpose."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from binome.core.models import ActivityLog
from binome.registrations import services
from binome.registrations.enums import RegistrationState, SupportPurpose
from binome.registrations.services import support
from tests.factories import MembershipFactory
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = pytest.mark.django_db

IDENTITY = ("Awa", "Diallo", "awa.diallo@example.net", "06 12 34 56 78")
VERB = "identity_viewed_for_support"


@pytest.fixture
def setup():
    fed = FederationFactory()
    member, _, member_staff = member_with_offer(fed)
    registration = services.route_registration(submit())
    assert registration.state == RegistrationState.ROUTED
    staff = MembershipFactory(
        organisation=fed, user__first_name="Camille", user__last_name="Martin"
    )
    return fed, member_staff, staff, registration


def support_url(registration):
    return reverse("staff:registrations:support_identity", args=[registration.pk])


def detail_url(registration):
    return reverse("staff:registrations:routing_detail", args=[registration.pk])


def support_logs(registration):
    return ActivityLog.objects.for_object(registration).filter(verb=VERB)


def assert_no_identity(html):
    for value in IDENTITY:
        assert value not in html, value


def test_detail_page_offers_the_form_but_shows_no_identity(client, setup):
    _, _, staff, registration = setup
    client.force_login(staff.user)
    response = client.get(detail_url(registration))
    assert response.status_code == 200
    html = response.content.decode()
    assert support_url(registration) in html
    assert "<legend" in html  # the purposes are radios in a fieldset
    assert 'for="id_note"' in html
    assert_no_identity(html)
    assert not support_logs(registration).exists()


def test_post_shows_identity_once_logs_the_purpose_and_is_not_cached(client, setup):
    fed, _, staff, registration = setup
    client.force_login(staff.user)
    response = client.post(support_url(registration), {"purpose": "help_requested"})
    assert response.status_code == 200
    html = response.content.decode()
    for value in IDENTITY:
        assert value in html, value
    assert "Appelez-moi au 06 12 34 56 78" in html  # the need, unredacted
    assert "no-store" in response["Cache-Control"]
    assert response.context["identity"] == registration
    log = support_logs(registration).get()
    assert log.actor == staff.user
    assert log.organisation == fed
    assert log.data == {"purpose": "help_requested", "note": ""}
    assert_no_identity(json.dumps(log.data))
    # Neither the detail page nor a GET of the support page shows it again, or logs.
    assert_no_identity(client.get(detail_url(registration)).content.decode())
    again = client.get(support_url(registration), {"purpose": "help_requested"})
    assert again.status_code == 200
    assert again.context["identity"] is None
    assert_no_identity(again.content.decode())
    assert "no-store" in again["Cache-Control"]
    assert support_logs(registration).count() == 1
    # A second POST is a second, logged access.
    client.post(support_url(registration), {"purpose": "queue_handling"})
    assert support_logs(registration).count() == 2


def test_other_purpose_keeps_the_note_without_personal_data(client, setup):
    _, _, staff, registration = setup
    client.force_login(staff.user)
    note = "Awa Diallo a appelé depuis le 06 12 34 56 78 pour un rendez-vous"
    response = client.post(support_url(registration), {"purpose": "other", "note": note})
    assert response.status_code == 200
    assert "Diallo" in response.content.decode()
    log = support_logs(registration).get()
    assert log.data["purpose"] == "other"
    assert "rendez-vous" in log.data["note"]
    assert_no_identity(json.dumps(log.data))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "purpose"),
        ({"purpose": "nope"}, "purpose"),
        ({"purpose": "other"}, "note"),
        ({"purpose": "other", "note": "   "}, "note"),
        ({"purpose": "help_requested", "note": "x" * 301}, "note"),
    ],
)
def test_invalid_form_shows_errors_no_identity_no_log(client, setup, data, field):
    _, _, staff, registration = setup
    client.force_login(staff.user)
    response = client.post(support_url(registration), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["identity"] is None
    assert_no_identity(response.content.decode())
    assert not support_logs(registration).exists()


def test_works_for_a_request_in_the_federations_queue(client):
    fed = FederationFactory()
    registration = services.route_registration(submit())
    assert registration.state == RegistrationState.QUEUED
    staff = MembershipFactory(organisation=fed, admin=True)
    client.force_login(staff.user)
    response = client.post(support_url(registration), {"purpose": "queue_handling"})
    assert response.status_code == 200
    assert "awa.diallo@example.net" in response.content.decode()
    assert support_logs(registration).get().data["purpose"] == "queue_handling"


def test_partner_is_refused_and_nothing_is_logged(client, setup):
    fed, _, _, registration = setup
    partner = MembershipFactory(organisation=fed, partner=True)
    client.force_login(partner.user)
    url = support_url(registration)
    assert client.post(url, {"purpose": "help_requested"}).status_code == 403
    assert client.get(url).status_code == 403
    # A partner sees only the people it referred: no registrant's request at all.
    assert client.get(detail_url(registration)).status_code == 403
    assert not support_logs(registration).exists()


def test_other_organisations_get_404_and_nothing_is_logged(client, setup):
    _, member_staff, _, registration = setup
    other_fed = MembershipFactory(organisation=FederationFactory())
    url = support_url(registration)
    for membership in (other_fed, member_staff):
        client.force_login(membership.user)
        assert client.post(url, {"purpose": "help_requested"}).status_code == 404
        assert client.get(url).status_code == 404
    assert not support_logs(registration).exists()


def test_audit_list_on_the_detail_page(client, setup):
    _, _, staff, registration = setup
    client.force_login(staff.user)
    client.post(support_url(registration), {"purpose": "registrant_request"})
    client.post(support_url(registration), {"purpose": "other", "note": "contrôle qualité"})
    response = client.get(detail_url(registration))
    accesses = response.context["support_accesses"]
    assert [a["actor"] for a in accesses] == [staff.user, staff.user]
    assert [a["purpose"] for a in accesses] == [
        SupportPurpose.OTHER.label,
        SupportPurpose.REGISTRANT_REQUEST.label,
    ]
    assert accesses[0]["note"] == "contrôle qualité"
    html = response.content.decode()
    assert "Camille Martin" in html
    assert str(SupportPurpose.REGISTRANT_REQUEST.label) in html
    assert "contrôle qualité" in html
    assert_no_identity(html)


@pytest.mark.parametrize("count", [1, 5])
def test_detail_query_count_does_not_grow_with_the_accesses(
    client, setup, django_assert_num_queries, count
):
    fed, _, staff, registration = setup
    for _ in range(count):
        services.reveal_for_support(
            registration, federation=fed, acting_user=staff.user, purpose="help_requested"
        )
    for _ in range(count):
        other = MembershipFactory(organisation=fed)
        services.reveal_for_support(
            registration, federation=fed, acting_user=other.user, purpose="queue_handling"
        )
    client.force_login(staff.user)
    client.get(detail_url(registration))  # warm up
    # session, user, membership, registration, attempts, transitions, support log
    with django_assert_num_queries(7):
        response = client.get(detail_url(registration))
    assert len(response.context["support_accesses"]) == 2 * count


def test_service_refuses_out_of_scope_and_invalid_calls(setup):
    fed, member_staff, staff, registration = setup
    partner = MembershipFactory(organisation=fed, partner=True)
    with pytest.raises(PermissionDenied):
        services.reveal_for_support(
            registration,
            federation=FederationFactory(),
            acting_user=staff.user,
            purpose="help_requested",
        )
    for user in (partner.user, member_staff.user):
        with pytest.raises(PermissionDenied):
            services.reveal_for_support(
                registration, federation=fed, acting_user=user, purpose="help_requested"
            )
    for purpose, note in (("nope", ""), ("other", ""), ("help_requested", "x" * 301)):
        with pytest.raises(ValidationError):
            services.reveal_for_support(
                registration, federation=fed, acting_user=staff.user, purpose=purpose, note=note
            )
    assert not support_logs(registration).exists()


def test_support_accesses_lists_the_federations_log_newest_first(setup, django_assert_num_queries):
    fed, member_staff, staff, registration = setup
    services.reveal_for_support(
        registration, federation=fed, acting_user=staff.user, purpose="help_requested"
    )
    services.reveal_for_support(
        registration, federation=fed, acting_user=staff.user, purpose="other", note="audit"
    )
    # Another verb, or another organisation's row, is not a support access of this federation.
    services.log_identity_view(
        registration, acting_user=member_staff.user, organisation=member_staff.organisation
    )
    with django_assert_num_queries(1):
        accesses = support.support_accesses(registration, federation=fed)
    assert [(a["purpose"], a["note"]) for a in accesses] == [
        (SupportPurpose.OTHER.label, "audit"),
        (SupportPurpose.HELP_REQUESTED.label, ""),
    ]
    assert {a["actor"] for a in accesses} == {staff.user}
    assert support.support_accesses(registration, federation=FederationFactory()) == []


def test_identity_is_revealed_only_to_the_association_that_took_the_request(setup):
    _, member_staff, _, registration = setup
    member = member_staff.organisation
    attempt = registration.attempts.get()
    assert not support.identity_revealed(attempt, member)  # pending: the card only
    services.accept(registration, organisation=member, acting_user=member_staff.user)
    attempt.refresh_from_db()
    registration.refresh_from_db()
    assert support.identity_revealed(attempt, member)
    assert not support.identity_revealed(attempt, MembershipFactory().organisation)
    services.record_first_contact(registration, organisation=member, acting_user=member_staff.user)
    attempt.refresh_from_db()
    assert support.identity_revealed(attempt, member)
