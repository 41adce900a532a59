"""Consents given on the public forms are kept (who, when, which text) and carried to the
mentee created when an association accepts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.registrations import services
from binome.registrations.enums import CONSENT_TEXT_VERSION, ConsentKind, ConsentParty
from binome.registrations.models import Registration, RegistrationConsent
from tests.registrations.factories import FederationFactory, member_with_offer
from tests.registrations.test_public_views import JOURNEY_STEPS, YOUNG_STEPS, walk

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def consents(registration):
    return {c.kind: c for c in RegistrationConsent.objects.filter(registration=registration)}


def test_a_prescriber_registers_a_minor_with_both_agreements(client):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed, age_min=10)
    steps = JOURNEY_STEPS["orienter"]
    young = {**steps[1], "birth_year": str(YEAR - 16), "guardian_consent": "on"}
    walk(client, "orienter", [steps[0], young])
    registration = Registration.objects.get()
    found = consents(registration)
    assert set(found) == {ConsentKind.PROCESSING, ConsentKind.YOUNG_PERSON, ConsentKind.GUARDIAN}
    processing = found[ConsentKind.PROCESSING]
    assert (processing.given_by, processing.stated_by) == (
        ConsentParty.REFERRER,
        ConsentParty.REFERRER,
    )
    young_person = found[ConsentKind.YOUNG_PERSON]
    assert (young_person.given_by, young_person.stated_by) == (
        ConsentParty.YOUNG_PERSON,
        ConsentParty.REFERRER,
    )
    assert young_person.text == "The young person knows about this registration and agrees to it."
    assert young_person.version == CONSENT_TEXT_VERSION
    assert young_person.at is not None
    guardian = found[ConsentKind.GUARDIAN]
    assert (guardian.given_by, guardian.stated_by) == (
        ConsentParty.GUARDIAN,
        ConsentParty.REFERRER,
    )

    # Accepted: the consents follow the mentee created in the association's pipeline.
    services.route_registration(registration)
    registration = services.accept(registration, organisation=member, acting_user=membership.user)
    mentee = registration.mentee
    assert set(mentee.registration_consents.values_list("kind", flat=True)) == set(found)
    # The association sees them on the request once accepted.
    client.force_login(membership.user)
    html = client.get(reverse("staff:registrations:detail", args=[registration.pk])).content
    assert b"The young person agrees to be registered" in html
    # And on the mentee's own page, where the staff follow her.
    page = client.get(reverse("staff:mentees:detail", args=[mentee.pk])).content.decode()
    assert "Agreements given on the form" in page
    assert "The young person agrees to be registered" in page
    assert "A parent or guardian agrees (minor)" in page


def test_a_parent_registering_their_child_is_the_guardian(client):
    steps = JOURNEY_STEPS["orienter"]
    parent = {**steps[0], "referrer_role": "parent", "referrer_structure": ""}
    walk(client, "orienter", [parent, {**steps[1], "birth_year": str(YEAR - 15)}])
    guardian = consents(Registration.objects.get())[ConsentKind.GUARDIAN]
    assert (guardian.given_by, guardian.stated_by) == (
        ConsentParty.REFERRER,
        ConsentParty.REFERRER,
    )


def test_a_young_person_registering_keeps_their_own_agreement(client):
    client.cookies["django_language"] = "fr"
    first = {**YOUNG_STEPS[0], "birth_year": str(YEAR - 15)}
    walk(client, "jeune", [first, YOUNG_STEPS[1]], guardian_consent="on")
    found = consents(Registration.objects.get())
    assert set(found) == {ConsentKind.PROCESSING, ConsentKind.GUARDIAN}
    assert found[ConsentKind.PROCESSING].given_by == ConsentParty.REGISTRANT
    assert found[ConsentKind.PROCESSING].text.startswith("J’accepte")  # the text shown, in French
    assert found[ConsentKind.GUARDIAN].stated_by == ConsentParty.REGISTRANT


def test_an_adult_has_only_the_processing_agreement(client):
    walk(client, "jeune", YOUNG_STEPS)
    assert set(consents(Registration.objects.get())) == {ConsentKind.PROCESSING}


def test_the_migration_backfills_requests_made_before_the_records(client):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "binome.registrations.migrations.0005_registration_consents"
    )
    steps = JOURNEY_STEPS["orienter"]
    walk(
        client,
        "orienter",
        [steps[0], {**steps[1], "birth_year": str(YEAR - 16)}],
        guardian_consent="on",
    )
    registration = Registration.objects.get()
    RegistrationConsent.objects.all().delete()  # as before the records existed
    migration.backfill(apps, None)
    found = consents(registration)
    assert set(found) == {ConsentKind.PROCESSING, ConsentKind.YOUNG_PERSON, ConsentKind.GUARDIAN}
    assert {c.version for c in found.values()} == {"before-2026-11"}
    assert found[ConsentKind.YOUNG_PERSON].stated_by == ConsentParty.REFERRER
