"""Association inbox (semi-anonymised), answers, federation routing, dashboard, declarations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.people.models import Mentee
from binome.registrations import services
from binome.registrations.enums import AttemptOutcome, RegistrationState
from binome.registrations.models import Offer, Registration
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.registrations.factories import (
    FederationFactory,
    OfferFactory,
    RegistrationFactory,
    member_with_offer,
    submit,
)

pytestmark = pytest.mark.django_db

IDENTITY = ("Awa", "Diallo", "awa.diallo@example.net", "06 12 34 56 78", "12 34 56 78")


@pytest.fixture
def setup():
    fed = FederationFactory()
    member, offer, membership = member_with_offer(fed)
    registration = services.route_registration(submit())
    return fed, member, offer, membership, registration


def test_inbox_and_card_show_no_identity_before_acceptance(client, setup):
    _, member, _, membership, registration = setup
    client.force_login(membership.user)
    for url in (
        reverse("staff:registrations:inbox"),
        reverse("staff:registrations:detail", args=[registration.pk]),
        reverse("staff:registrations:accept", args=[registration.pk]),
        reverse("staff:registrations:decline", args=[registration.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for value in IDENTITY:
            assert value not in html, (url, value)
        assert str(registration.birth_year) not in html
    assert (
        "registration"
        not in client.get(reverse("staff:registrations:detail", args=[registration.pk])).context
        or not client.get(reverse("staff:registrations:detail", args=[registration.pk])).context[
            "registration"
        ]
    )


def test_accepting_reveals_identity_creates_the_candidate_and_logs(client, setup):
    _, member, offer, membership, registration = setup
    client.force_login(membership.user)
    url = reverse("staff:registrations:accept", args=[registration.pk])
    response = client.post(url, {"programme": offer.programme.pk})
    assert response.status_code == 302
    detail = client.get(reverse("staff:registrations:detail", args=[registration.pk]))
    html = detail.content.decode()
    assert "Diallo" in html
    assert "awa.diallo@example.net" in html
    mentee = Mentee.objects.get()
    assert reverse("staff:mentees:detail", args=[mentee.pk]) in html
    verbs = list(ActivityLog.objects.for_object(registration).values_list("verb", flat=True))
    assert "identity_revealed" in verbs
    assert "viewed" in verbs
    # Accepted tab lists it with the name.
    listing = client.get(reverse("staff:registrations:inbox") + "?show=accepted")
    assert "Diallo" in listing.content.decode()


def test_second_accept_gets_a_clear_message(client, setup):
    _, member, offer, membership, registration = setup
    colleague = MembershipFactory(organisation=member)
    services.accept(registration, organisation=member, acting_user=membership.user)
    client.force_login(colleague.user)
    response = client.post(
        reverse("staff:registrations:accept", args=[registration.pk]),
        {"programme": offer.programme.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Mentee.objects.count() == 1


def test_decline_removes_access(client, setup):
    fed, member, _, membership, registration = setup
    other, _, _ = member_with_offer(fed, departments=[])
    client.force_login(membership.user)
    response = client.post(
        reverse("staff:registrations:decline", args=[registration.pk]), {"reason": "full"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.organisation == other
    detail = reverse("staff:registrations:detail", args=[registration.pk])
    assert client.get(detail).status_code == 404


def test_decline_without_reason_is_refused(client, setup):
    _, _, _, membership, registration = setup
    client.force_login(membership.user)
    response = client.post(reverse("staff:registrations:decline", args=[registration.pk]), {})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_other_associations_and_partners(client, setup):
    fed, _, _, _, registration = setup
    _, _, stranger = member_with_offer(fed, departments=["75"])
    client.force_login(stranger.user)
    for name in ("detail", "accept", "decline"):
        url = reverse(f"staff:registrations:{name}", args=[registration.pk])
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("staff:registrations:accept", args=[registration.pk])).status_code
        == 404
    )
    partner = MembershipFactory(organisation=registration.organisation, partner=True)
    client.force_login(partner.user)
    url = reverse("staff:registrations:accept", args=[registration.pk])
    assert client.post(url, {}).status_code == 403


def test_first_contact_button(client, setup):
    _, member, _, membership, registration = setup
    services.accept(registration, organisation=member, acting_user=membership.user)
    client.force_login(membership.user)
    response = client.post(reverse("staff:registrations:contacted", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONTACTED


def test_federation_routing_view_shows_reasons_not_identity(client, setup):
    fed, member, _, _, registration = setup
    staff = MembershipFactory(organisation=fed)
    client.force_login(staff.user)
    response = client.get(reverse("staff:registrations:routing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert registration.routing_reason[:20] in html
    assert member.name in html
    for value in IDENTITY:
        assert value not in html
    detail = client.get(reverse("staff:registrations:routing_detail", args=[registration.pk]))
    assert detail.status_code == 200
    for value in IDENTITY:
        assert value not in detail.content.decode()


def test_federation_routes_from_its_queue_and_closes(client):
    fed = FederationFactory()
    queued = services.route_registration(submit())
    assert queued.state == RegistrationState.QUEUED
    member, _, _ = member_with_offer(fed, capacity=0)
    staff = MembershipFactory(organisation=fed)
    client.force_login(staff.user)
    response = client.get(reverse("staff:registrations:routing") + "?state=queued")
    assert [r["registration"] for r in response.context["rows"]] == [queued]
    response = client.post(
        reverse("staff:registrations:route", args=[queued.pk]), {"organisation": member.pk}
    )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.organisation == member
    second = services.route_registration(submit(email="b@example.net"))
    assert second.state == RegistrationState.QUEUED
    response = client.post(
        reverse("staff:registrations:close", args=[second.pk]), {"reason": "Outside our area"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == RegistrationState.CLOSED


def test_association_cannot_open_federation_pages(client, setup):
    _, _, _, membership, registration = setup
    client.force_login(membership.user)
    assert client.get(reverse("staff:registrations:routing")).status_code == 404
    url = reverse("staff:registrations:routing_detail", args=[registration.pk])
    assert client.get(url).status_code == 404
    other_fed = MembershipFactory(organisation=FederationFactory())
    client.force_login(other_fed.user)
    assert client.get(url).status_code == 404


def test_dashboard_figures(client, setup):
    fed, member, _, membership, registration = setup
    now = timezone.now()
    Registration.objects.filter(pk=registration.pk).update(
        created_at=now - datetime.timedelta(days=10)
    )
    services.accept(registration, organisation=member, acting_user=membership.user)
    old = submit(email="old@example.net")
    Registration.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=40))
    staff = MembershipFactory(organisation=fed)
    client.force_login(staff.user)
    response = client.get(reverse("staff:registrations:dashboard"))
    assert response.status_code == 200
    overall = response.context["overall"]
    assert overall["accepted"] == 1
    assert 9.9 < overall["accept_p50"] < 10.1
    assert overall["share_over_7"] == 1.0
    assert overall["share_over_30"] == 0.5
    assert overall["backlog"] == [0, 0, 0, 1]
    rows = dict(response.context["rows"])
    assert rows[member]["accepted"] == 1
    client.force_login(membership.user)
    own = client.get(reverse("staff:registrations:dashboard"))
    assert own.status_code == 200
    # The association counts the request it holds, not the one still waiting elsewhere.
    assert own.context["overall"]["accepted"] == 1
    assert list(Registration.objects.counted_by(member)) == [registration]


def test_association_declares_an_offer(client):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    programme = ProgrammeFactory(organisation=member)
    client.force_login(membership.user)
    url = reverse("staff:registrations:offer_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "programme": programme.pk,
            "side": "mentee",
            "departments": "59, 62",
            "communes": "75001",
            "radius_places": "59000",
            "radius_km": "30",
            "age_min": "16",
            "age_max": "25",
            "situations": ["job_seeker", "neet"],
            "publics": ["qpv"],
            "kinds": ["orientation"],
            "capacity": "40",
            "starts_on": "2025-01-01",
            "ends_on": "2030-12-31",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get(programme=programme)
    assert offer.departments == ["59", "62"]
    assert offer.communes == ["fr-postcode:75001"]
    assert offer.radius_places == ["fr-postcode:59000"]
    listing = client.get(reverse("staff:registrations:offers"))
    assert programme.name in listing.content.decode()
    fed_staff = MembershipFactory(organisation=fed)
    client.force_login(fed_staff.user)
    assert programme.name in client.get(reverse("staff:registrations:offers")).content.decode()
    assert client.get(url).status_code == 403
    edit = reverse("staff:registrations:offer_edit", args=[offer.pk])
    client.force_login(MembershipFactory().user)
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize("count", [1, 50])
def test_inbox_query_count_is_constant(client, django_assert_num_queries, count):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed, capacity=100)
    for i in range(count):
        services.route_registration(submit(email=f"p{i}@example.net"))
    assert Registration.objects.filter(organisation=member).count() == count
    client.force_login(membership.user)
    # session, user, membership, count, page, the association's own queue
    with django_assert_num_queries(6):
        response = client.get(reverse("staff:registrations:inbox"))
    assert len(response.context["items"]) == min(count, 25)


@pytest.mark.parametrize("count", [1, 50])
def test_routing_list_query_count_is_constant(client, django_assert_num_queries, count):
    fed = FederationFactory()
    member_with_offer(fed, capacity=100)
    for i in range(count):
        services.route_registration(submit(email=f"p{i}@example.net"))
    staff = MembershipFactory(organisation=fed)
    client.force_login(staff.user)
    with django_assert_num_queries(5):
        client.get(reverse("staff:registrations:routing"))


@pytest.mark.parametrize("count", [1, 30])
def test_offer_list_query_count_is_constant(client, django_assert_num_queries, count):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    for _ in range(count - 1):
        OfferFactory(programme=ProgrammeFactory(organisation=member))
    fed_staff = MembershipFactory(organisation=fed)
    # session, user, membership, count, page (offers, programmes, places held), and for the
    # association its own queue
    for user, queries in ((membership.user, 6), (fed_staff.user, 5)):
        client.force_login(user)
        with django_assert_num_queries(queries):
            response = client.get(reverse("staff:registrations:offers"))
        assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_queue_query_count_is_constant(client, django_assert_num_queries, count):
    member, _, membership = member_with_offer(FederationFactory())
    for i in range(count):
        RegistrationFactory(
            email=f"q{i}@example.net", state=RegistrationState.QUEUED, queue_owner=member
        )
    client.force_login(membership.user)
    # session, user, membership, count, page, the association's own queue
    with django_assert_num_queries(6):
        response = client.get(reverse("staff:registrations:queue"))
    assert len(response.context["rows"]) == min(count, 25)


def test_attempt_outcomes_after_timeout_hide_the_card(client, setup):
    _, member, _, membership, registration = setup
    attempt = registration.attempts.get()
    services.time_out(attempt)
    attempt.refresh_from_db()
    assert attempt.outcome == AttemptOutcome.TIMED_OUT
    client.force_login(membership.user)
    url = reverse("staff:registrations:detail", args=[registration.pk])
    assert client.get(url).status_code == 404


def _as_browser_posts(form, **changes):
    """The POST a browser sends for the form as rendered, with ``changes`` typed in."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.name] = [str(v) for v in value]
            continue
        data[bound.name] = "" if value is None else bound.field.widget.format_value(value) or ""
    data.update(changes)
    return data


def test_new_declaration_starts_empty_and_saves_first_time(client):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    programme = ProgrammeFactory(organisation=member)
    client.force_login(membership.user)
    url = reverse("staff:registrations:offer_create")
    response = client.get(url)
    html = response.content.decode()
    assert "[]" not in html
    form = response.context["form"]
    for name in ("departments", "communes", "radius_places"):
        assert form[name].value() in ("", None), name
    data = _as_browser_posts(form, programme=str(programme.pk), capacity="5")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get(programme=programme)
    assert (offer.departments, offer.communes, offer.radius_places) == ([], [], [])
    # Editing it again shows empty fields too and saves unchanged.
    edit = reverse("staff:registrations:offer_edit", args=[offer.pk])
    response = client.get(edit)
    assert "[]" not in response.content.decode()
    assert client.post(edit, _as_browser_posts(response.context["form"])).status_code == 302


BAD_PARAMS = [
    "page=%C2%B2",
    "page=999",
    "page=-1",
    "page=a%00b",
    "state=a%00b",
    "state=%C2%B2",
    "show=a%00b",
    "show=%C2%B2",
    "q=a%00b",
]


@pytest.mark.parametrize("params", BAD_PARAMS)
def test_bad_query_parameters_are_ignored(client, setup, params):
    fed, _member, _offer, membership, _registration = setup
    fed_staff = MembershipFactory(organisation=fed)
    pages = {
        membership.user: ["inbox", "dashboard", "offers"],
        fed_staff.user: ["routing", "dashboard", "offers"],
    }
    for user, names in pages.items():
        client.force_login(user)
        for name in names:
            response = client.get(reverse(f"staff:registrations:{name}") + "?" + params)
            assert response.status_code == 200, (name, params, response.status_code)
