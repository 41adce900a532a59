"""Demo of the federation: its member associations, their offers and public registrations
in every routing state, replayed through ``binome.registrations.services`` (the registrations
are in ``registrations``, the fixed data in ``data_federation``).
"""

import datetime
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Q

from binome.core.services import log_activity
from binome.demo.clock import Clock
from binome.demo.data import PROGRAMMES
from binome.demo.data import STAFF as MAIN_STAFF
from binome.demo.data_federation import (
    FEDERATION,
    FEDERATION_LOGIN,
    MEMBER_SLUGS,
    NEW_MEMBERS,
    OFFERS,
    ORG_SLUGS,
    STAFF,
    TANDEM,
    TANDEM_CRITERIA,
    TANDEM_SESSIONS,
    A,
    S,
)
from binome.demo.registrations import RegistrationsBuilder
from binome.notifications.models import OutboxEmail
from binome.organisations.enums import OrganisationKind, Role
from binome.organisations.models import Membership, Organisation
from binome.pairs.models import Pair
from binome.people.models import Mentee, Mentor, Session
from binome.programmes.models import InterviewCriterion, Programme
from binome.registrations import services as reg_services
from binome.registrations.enums import (
    AttemptOutcome,
    RegistrationState,
)
from binome.registrations.models import (
    Offer,
    Registration,
    RoutingAttempt,
)


def build(base):
    FederationDemo(base).build()


def delete():
    """Delete the federation's demo: its registrations, new members and logins."""
    orgs = Organisation.objects.filter(slug__in=ORG_SLUGS)
    fed = orgs.filter(kind=OrganisationKind.FEDERATION)
    members = Organisation.objects.filter(Q(federation__in=fed) | Q(slug__in=ORG_SLUGS))
    Registration.objects.filter(Q(federation__in=fed) | Q(organisation__in=members)).delete()
    OutboxEmail.objects.filter(organisation__in=orgs).delete()
    Pair.objects.filter(programme__organisation__in=orgs).delete()
    Mentor.objects.filter(programme__organisation__in=orgs).delete()
    Mentee.objects.filter(programme__organisation__in=orgs).delete()
    Organisation.objects.filter(federation__in=fed).update(federation=None)
    orgs.delete()
    get_user_model().objects.filter(email__in=[s[0] for s in STAFF]).delete()


def summary(write):
    fed = Organisation.objects.filter(slug=FEDERATION["slug"]).first()
    if fed is None:
        return
    members = list(fed.members.order_by("name"))
    offers = Offer.objects.filter(programme__organisation__federation=fed)
    write(
        f"Federation {fed.name}: {len(members)} members ("
        + ", ".join(m.name for m in members)
        + f"), {offers.count()} offers"
    )
    registrations = Registration.objects.for_federation(fed)
    states = Counter(registrations.values_list("state", flat=True))
    write(
        f"Registrations ({sum(states.values())}): "
        + ", ".join(f"{s.value} {states.get(s.value, 0)}" for s in RegistrationState)
    )
    outcomes = Counter(
        RoutingAttempt.objects.filter(registration__federation=fed).values_list(
            "outcome", flat=True
        )
    )
    rerouted = registrations.filter(
        attempts__outcome__in=[A.DECLINED, A.TIMED_OUT],
        state__in=[S.ROUTED, S.ACCEPTED, S.CONTACTED],
    ).distinct()
    write(
        "  associations asked: "
        + ", ".join(f"{o.value} {outcomes.get(o.value, 0)}" for o in AttemptOutcome)
        + f"; rerouted after a decline or no answer: {rerouted.count()}"
    )
    samples = (
        ("taken in charge", registrations.filter(state=S.ACCEPTED)),
        ("form sent again", registrations.filter(repeat__isnull=False).exclude(repeat__answers={})),
    )
    for what, qs in samples:
        sample = qs.order_by("created_at", "pk").first()
        if sample is not None:
            write(f"  a registrant's status page ({what}): {reg_services.status_url(sample)}")


class FederationDemo(RegistrationsBuilder):
    def __init__(self, base):
        self.base = base
        self.rng = random.Random(base.rng.random())
        self.clock = Clock(latest=base.now - datetime.timedelta(minutes=1))
        self.full = base.size == "full"

    # -- set-up -------------------------------------------------------------------------

    def build(self):
        self.users = {
            email: self.base.account(email, first, last) for email, first, last, *_rest in STAFF
        }
        self.federation = Organisation.objects.create(
            kind=OrganisationKind.FEDERATION, **FEDERATION
        )
        Organisation.objects.filter(slug__in=MEMBER_SLUGS).update(federation=self.federation)
        self.orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=MEMBER_SLUGS)}
        for spec in NEW_MEMBERS:
            self.orgs[spec["slug"]] = Organisation.objects.create(
                kind=OrganisationKind.ASSOCIATION, federation=self.federation, **spec
            )
        self.orgs[self.federation.slug] = self.federation
        for email, _first, _last, slug, role, _what in STAFF:
            Membership.objects.create(
                user=self.users[email], organisation=self.orgs[slug], role=role
            )
        self.fed_user = self.users[FEDERATION_LOGIN]
        self._tandem()
        self._staff_by_programme()
        self._offers()
        self._run(self._stories())

    def _tandem(self):
        base = self.base
        programme = Programme.objects.create(
            organisation=self.orgs["tandem-littoral"],
            created_at=base.at(-300),
            **TANDEM,
        )
        for side, rows in TANDEM_CRITERIA.items():
            for order, (label, required) in enumerate(rows, start=1):
                InterviewCriterion.objects.create(
                    programme=programme, side=side, label=label, order=order, is_required=required
                )
        for day, hour, kind, length, place in TANDEM_SESSIONS:
            Session.objects.create(
                programme=programme,
                kind=kind,
                starts_at=base.at(day, hour, 0),
                duration_minutes=length,
                location=place,
                created_at=base.at(-5),
            )

    def _offers(self):
        programmes = {
            (p.organisation.slug, p.name): p
            for p in Programme.objects.filter(
                organisation__in=[o for o in self.orgs.values()]
            ).select_related("organisation")
        }
        today = self.base.today
        for slug, name, side, fields in OFFERS:
            fields = dict(fields)
            for key in ("starts_on", "ends_on"):
                if key in fields:
                    fields[key] = today + datetime.timedelta(days=fields[key])
            offer = Offer.objects.create(
                programme=programmes[(slug, name)],
                side=side,
                created_at=self.base.at(-360),
                **fields,
            )
            log_activity(
                offer,
                "created",
                acting_user=self._staff(offer.programme),
                organisation=offer.programme.organisation,
            )

    def _staff_by_programme(self):
        """Who answers for each programme: its coordinator, else the association's editor."""
        users = {u.email: u for u in get_user_model().objects.filter(
            email__in=[s[0] for s in MAIN_STAFF] + [s[0] for s in STAFF]
        )}  # fmt: skip
        self.by_programme = {spec["name"]: users[spec["coordinator"]] for spec in PROGRAMMES}
        self.by_org = {}
        for email, _first, _last, slug, role, _what in [*MAIN_STAFF, *STAFF]:
            if role in (Role.ADMIN, Role.COORDINATOR):
                self.by_org.setdefault(slug, users[email])

    def _staff(self, programme):
        return self.by_programme.get(programme.name) or self.by_org[programme.organisation.slug]
