"""Declarations (offers) through their services: saved and journaled together, only by an
association, for its own programmes, with the model's rules checked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binome.core.models import ActivityLog
from binome.registrations.models import Offer
from binome.registrations.services import offers as offer_services
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.registrations.factories import FederationFactory, member_with_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    member, offer, membership = member_with_offer(FederationFactory())
    return member, offer, membership.user


def journal(offer):
    return list(
        ActivityLog.objects.for_object(offer)
        .order_by("id")
        .values_list("verb", "organisation", "actor")
    )


def test_create_saves_and_journals_in_one_step(member):
    organisation, _, user = member
    programme = ProgrammeFactory(organisation=organisation)
    offer = offer_services.create_offer(
        acting_user=user,
        organisation=organisation,
        programme=programme,
        side="mentor",
        departments=["59", "62"],
        capacity=12,
    )
    offer.refresh_from_db()
    assert (offer.programme, offer.side, offer.departments, offer.capacity) == (
        programme,
        "mentor",
        ["59", "62"],
        12,
    )
    assert journal(offer) == [("created", organisation.pk, user.pk)]


def test_update_changes_the_fields_given_and_journals(member):
    organisation, offer, user = member
    updated = offer_services.update_offer(
        offer, acting_user=user, organisation=organisation, capacity=3, is_active=False
    )
    offer.refresh_from_db()
    assert (offer.capacity, offer.is_active, offer.departments) == (3, False, ["59"])
    assert updated.pk == offer.pk
    assert journal(offer) == [("updated", organisation.pk, user.pk)]


def test_only_an_association_declares_and_only_for_its_programmes(member):
    organisation, offer, user = member
    federation = organisation.federation
    fed_user = MembershipFactory(organisation=federation).user
    with pytest.raises(PermissionDenied):
        offer_services.create_offer(
            acting_user=fed_user,
            organisation=federation,
            programme=ProgrammeFactory(organisation=federation),
        )
    with pytest.raises(PermissionDenied):
        offer_services.update_offer(
            offer, acting_user=fed_user, organisation=federation, capacity=1
        )
    _, other_offer, _ = member_with_offer(federation)
    with pytest.raises(PermissionDenied):
        offer_services.create_offer(
            acting_user=user, organisation=organisation, programme=other_offer.programme
        )
    with pytest.raises(PermissionDenied):
        offer_services.update_offer(other_offer, acting_user=user, organisation=organisation)
    with pytest.raises(PermissionDenied):  # moved to another association's programme
        offer_services.update_offer(
            offer, acting_user=user, organisation=organisation, programme=other_offer.programme
        )
    offer.refresh_from_db()
    assert offer.programme.organisation == organisation
    assert offer.capacity == 10
    assert not ActivityLog.objects.filter(object_type="registrations.offer").exists()


def test_the_models_rules_are_checked_and_nothing_is_written(member):
    organisation, offer, user = member
    with pytest.raises(ValidationError):  # one offer per programme and side
        offer_services.create_offer(
            acting_user=user, organisation=organisation, programme=offer.programme, side="mentee"
        )
    with pytest.raises(ValidationError):
        offer_services.update_offer(
            offer, acting_user=user, organisation=organisation, age_min=30, age_max=20
        )
    with pytest.raises(ValidationError):
        offer_services.update_offer(offer, acting_user=user, organisation=organisation, side="x")
    offer.refresh_from_db()
    assert (offer.age_min, offer.age_max, offer.side) == (None, None, "mentee")
    assert Offer.objects.filter(programme=offer.programme).count() == 1
    assert not ActivityLog.objects.filter(object_type="registrations.offer").exists()
