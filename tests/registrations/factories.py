"""Factories for registrations, reusing the foundation's factories."""

import factory
from django.utils import timezone

from binome.organisations.enums import OrganisationKind
from binome.registrations import services
from binome.registrations.models import Offer, Registration
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory


class FederationFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Fédération {n}")
    slug = factory.Sequence(lambda n: f"fede-{n}")
    kind = OrganisationKind.FEDERATION


class MemberFactory(OrganisationFactory):
    """A member association of a federation."""

    federation = factory.SubFactory(FederationFactory)
    email = factory.Sequence(lambda n: f"asso{n}@example.org")
    phone = "03 20 00 00 00"
    city = "Lille"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    programme = factory.SubFactory(ProgrammeFactory)
    side = "mentee"
    departments = factory.LazyFunction(lambda: ["59"])
    capacity = 10


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly (services are tested on their own)."""

    class Meta:
        model = Registration

    kind = "young"
    side = "mentee"
    first_name = "Awa"
    last_name = "Diallo"
    email = factory.Sequence(lambda n: f"young{n}@example.net")
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 20)
    place = "fr-commune:59350"
    situation = "job_seeker"
    dedup_key = factory.Sequence(lambda n: f"key-{n}")


def young_data(**overrides):
    data = {
        "birth_year": timezone.localdate().year - 20,
        "place": "fr-commune:59350",
        "situation": "job_seeker",
        "kinds": ["professional_insertion"],
        "publics": [],
        "first_name": "Awa",
        "last_name": "Diallo",
        "email": "awa.diallo@example.net",
        "phone": "06 12 34 56 78",
        "need": "Je cherche un emploi dans la logistique. Appelez-moi au 06 12 34 56 78, Awa.",
        "guardian_consent": False,
    }
    data.update(overrides)
    return data


def submit(kind="young", **overrides):
    registration, _created = services.submit_registration(kind=kind, data=young_data(**overrides))
    return registration


def member_with_offer(federation=None, *, staff=True, **offer_fields):
    """A member association with one programme, one offer and (optionally) a coordinator."""
    federation = federation or FederationFactory()
    member = MemberFactory(federation=federation)
    programme = ProgrammeFactory(organisation=member)
    offer = OfferFactory(programme=programme, **offer_fields)
    membership = MembershipFactory(organisation=member) if staff else None
    return member, offer, membership
