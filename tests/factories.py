"""Factories for every domain model, with traits for roles and states."""

import factory
from django.utils import timezone

from binome.organisations.enums import Role
from binome.organisations.models import Membership, Organisation
from binome.pairs.enums import LIVE_STATES, PairState
from binome.pairs.models import Pair
from binome.people.enums import MenteeState, MentorState, SessionKind
from binome.people.models import Mentee, Mentor, Session
from binome.programmes.models import InterviewCriterion, Programme
from binome.users.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"asso-{n}")
    email = "contact@example.org"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        partner = factory.Trait(role=Role.PARTNER)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    public = "Job seekers"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewCriterion

    programme = factory.SubFactory(ProgrammeFactory)
    side = "mentee"
    label = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(int)


class PersonFactory(factory.django.DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"person{n}@example.net")
    place = "fr-commune:59350"
    languages = factory.LazyFunction(lambda: ["fr"])
    mother_tongue = "fr"


class MentorFactory(PersonFactory):
    class Meta:
        model = Mentor

    birth_year = 1980
    employer = "Exemple SA"

    class Params:
        ready = factory.Trait(state=MentorState.READY)


class MenteeFactory(PersonFactory):
    class Meta:
        model = Mentee

    birth_year = 2002
    waiting_since = factory.LazyFunction(timezone.localdate)

    class Params:
        ready = factory.Trait(state=MenteeState.READY)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    kind = SessionKind.INFORMATION
    starts_at = factory.LazyFunction(timezone.now)
    location = "Lille"


class PairFactory(factory.django.DjangoModelFactory):
    """A pair in a given state, written directly (services are tested on their own)."""

    class Meta:
        model = Pair
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    mentor = factory.SubFactory(
        MentorFactory, programme=factory.SelfAttribute("..programme"), ready=True
    )
    mentee = factory.SubFactory(
        MenteeFactory, programme=factory.SelfAttribute("..programme"), ready=True
    )

    @factory.post_generation
    def _people_states(pair, create, extracted, **kwargs):
        """People follow the pair, as the services do: in a live pair both are matched; after
        a closed one the mentee is done (alumni)."""
        if not create:
            return
        moves = []
        if pair.state in LIVE_STATES:
            moves = [(pair.mentee, MenteeState.MATCHED), (pair.mentor, MentorState.MATCHED)]
        elif pair.state == PairState.CLOSED:
            moves = [(pair.mentee, MenteeState.ALUMNI)]
        for person, state in moves:
            if person.state in {"ready", "matched"} and person.state != state:
                type(person).objects.filter(pk=person.pk).update(state=state)
                person.state = state
