"""Every request no association can take lands in a queue that someone owns and sees: the
routing federation; with several federations, the one whose members' territory fits; with
none, the only association, or the one whose territory fits (else the first created)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.organisations.enums import OrganisationKind
from binome.registrations import services
from binome.registrations.enums import AttemptOutcome, RegistrationState
from binome.registrations.models import Registration
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory
from tests.registrations.factories import (
    FederationFactory,
    OfferFactory,
    member_with_offer,
    submit,
)
from tests.registrations.test_batch import per_request_then_rollback, snapshot

pytestmark = pytest.mark.django_db
LILLE = "fr-commune:59350"
MARSEILLE = "fr-commune:13055"


def association(**offer):
    org = OrganisationFactory(kind=OrganisationKind.ASSOCIATION)
    membership = MembershipFactory(organisation=org)
    if offer:
        OfferFactory(programme=ProgrammeFactory(organisation=org), **offer)
    return org, membership


def test_the_routing_federation_owns_its_queue():
    fed = FederationFactory()
    member_with_offer(fed, departments=["75"])
    registration = services.route_registration(submit(place=LILLE))
    assert registration.state == RegistrationState.QUEUED
    assert registration.queue_owner == fed


def test_single_association_without_federation_sees_and_handles_its_queue(client):
    only, membership = association()
    registration = services.route_registration(submit())
    assert registration.organisation == only
    services.decline(
        registration, organisation=only, acting_user=membership.user, reason="not_our_public"
    )
    registration.refresh_from_db()
    assert registration.state == RegistrationState.QUEUED
    assert registration.queue_owner == only

    client.force_login(membership.user)
    inbox = client.get(reverse("staff:registrations:inbox"))
    assert inbox.context["queue_count"] == 1
    queue = client.get(reverse("staff:registrations:queue"))
    assert [row["registration"] for row in queue.context["rows"]] == [registration]
    assert "Diallo" not in queue.content.decode()
    detail = client.get(reverse("staff:registrations:routing_detail", args=[registration.pk]))
    assert detail.status_code == 200
    assert "Diallo" not in detail.content.decode()
    assert "support_form" not in detail.context or detail.context["support_form"] is None
    # It declined: it cannot be sent to it again, only closed (the registrant is told).
    assert list(detail.context["route_form"].fields["organisation"].queryset) == []
    response = client.post(
        reverse("staff:registrations:close", args=[registration.pk]),
        {"reason": "Outside what we do"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CLOSED


def test_an_association_that_did_not_answer_can_take_it_back_from_its_queue(client):
    only, membership = association()
    registration = services.route_registration(submit())
    services.time_out(registration.attempts.get())
    registration.refresh_from_db()
    assert (registration.state, registration.queue_owner) == (RegistrationState.QUEUED, only)
    client.force_login(membership.user)
    response = client.post(
        reverse("staff:registrations:route", args=[registration.pk]), {"organisation": only.pk}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.state, registration.organisation) == (RegistrationState.ROUTED, only)
    outcomes = list(registration.attempts.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.TIMED_OUT, AttemptOutcome.PENDING]
    programme = ProgrammeFactory(organisation=only)
    registration = services.accept(
        registration, organisation=only, acting_user=membership.user, programme=programme
    )
    assert registration.mentee.programme == programme


def test_several_associations_the_territory_decides_else_the_first_created():
    first, _ = association(departments=["75"], capacity=0)
    near, _ = association(departments=["59"], capacity=0)
    lille = services.route_registration(submit(email="lille@example.net", place=LILLE))
    marseille = services.route_registration(submit(email="m@example.net", place=MARSEILLE))
    assert (lille.state, lille.queue_owner) == (RegistrationState.QUEUED, near)
    assert (marseille.state, marseille.queue_owner) == (RegistrationState.QUEUED, first)


def test_another_association_does_not_see_the_queue(client):
    first, _ = association(departments=["75"], capacity=0)
    _near, _ = association(departments=["59"], capacity=0)
    _other, stranger = association()
    registration = services.route_registration(submit(place=MARSEILLE))
    assert registration.queue_owner == first
    client.force_login(stranger.user)
    url = reverse("staff:registrations:routing_detail", args=[registration.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("staff:registrations:queue")).context["rows"] == []


def test_several_federations_the_one_whose_members_cover_the_place(client):
    north, south = FederationFactory(), FederationFactory()
    member_with_offer(north, departments=["59"], capacity=0)
    south_member, _, _ = member_with_offer(south, departments=["13"], capacity=0)
    registration = services.route_registration(submit(place=MARSEILLE))
    assert registration.federation is None
    assert (registration.state, registration.queue_owner) == (RegistrationState.QUEUED, south)
    staff = MembershipFactory(organisation=south)
    client.force_login(staff.user)
    listing = client.get(reverse("staff:registrations:routing") + "?state=queued")
    assert [r["registration"] for r in listing.context["rows"]] == [registration]
    response = client.post(
        reverse("staff:registrations:route", args=[registration.pk]),
        {"organisation": south_member.pk},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.organisation == south_member
    # The other federation sees nothing of it.
    client.force_login(MembershipFactory(organisation=north).user)
    url = reverse("staff:registrations:routing_detail", args=[registration.pk])
    assert client.get(url).status_code == 404


def test_several_federations_and_no_territory_the_first_created():
    first = FederationFactory()
    FederationFactory()
    registration = services.route_registration(submit(place=MARSEILLE))
    assert registration.queue_owner == first


def test_the_batch_picks_the_same_owners():
    first, _ = association(departments=["75"], capacity=0)
    near, _ = association(departments=["59"], capacity=0)
    registrations = [
        submit(email="lille@example.net", place=LILLE),
        submit(email="m@example.net", place=MARSEILLE),
    ]
    expected = per_request_then_rollback(registrations, timezone.now())
    report = services.route_pending_batch()
    assert report.queued == 2
    assert snapshot(registrations) == expected
    owners = dict(Registration.objects.values_list("email", "queue_owner"))
    assert owners == {"lille@example.net": near.pk, "m@example.net": first.pk}
