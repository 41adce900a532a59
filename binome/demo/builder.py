"""Demo data: two associations, their programmes, people and pairs in every state; the
federation, its routing and the matching runs come from ``binome.demo`` (one builder per domain).

Everything goes through the real services (``binome.people.services``,
``binome.pairs.services``), one step at a time in date order, so the transition and activity
logs are real; what each step wrote is then moved back to its planned moment over the last year
(``binome.demo.clock``; the activity log is append-only and keeps today's dates).
Deterministic for a given seed and day, and idempotent: a second run does nothing unless
``--reset`` is given. The e-mails the services queue are marked as sent, with
backdated times, so that a fresh demo never sends anything.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.utils import timezone

from binome.demo import domains as demo
from binome.demo.clock import Clock
from binome.demo.data import (
    DEMO_SLUGS,
    ORGANISATIONS,
    PARTNER_SLUG,
    PASSWORD,
    PROGRAMMES,
    ROOT_EMAIL,
    SIZES,
    STAFF,
)
from binome.demo.pairs import PairsBuilder
from binome.demo.people import FIRST_DAY, PeopleBuilder
from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.enums import OrganisationKind, Role
from binome.organisations.models import Membership, Organisation
from binome.pairs.models import Pair, PairTransition
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition
from binome.programmes.models import InterviewCriterion, Programme


class DemoBuilder(PeopleBuilder, PairsBuilder):
    def __init__(self, *, seed, size):
        self.rng = random.Random(seed)
        self.size = size
        self.sizes = SIZES[size]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.emails = set()
        self.actives = 0
        self.closures = 0
        self.password_hash = None

    # -- time helpers ---------------------------------------------------------------------

    def at(self, day, hour=None, minute=None):
        """An aware datetime ``day`` days from today, at office hours, never in the future."""
        date = self.today + datetime.timedelta(days=day)
        hour = self.rng.randint(9, 17) if hour is None else hour
        minute = self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)) if minute is None else minute
        moment = timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))
        if day <= 0 and moment >= self.now:
            moment = self.now - datetime.timedelta(minutes=self.rng.randint(30, 300))
        return moment

    def _between(self, start, end):
        """An office-hours moment strictly between ``start`` and ``end`` when possible."""
        moment = self.at(self.rng.randint(self.day(start), self.day(end)))
        if not start < moment < end:
            moment = start + (end - start) * self.rng.uniform(0.2, 0.8)
        return moment

    def day(self, moment):
        return (timezone.localtime(moment).date() - self.today).days

    def weighted(self, weights):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    # -- build ----------------------------------------------------------------------------

    def build(self):
        self.users = self._users()
        self.orgs = self._organisations()
        for spec in PROGRAMMES:
            self._programme(spec)
        OutboxEmail.objects.filter(
            organisation__slug__in=DEMO_SLUGS, state=OutboxState.QUEUED
        ).update(state=OutboxState.SENT, sent_at=self.now)
        demo.build(self)

    def account(self, email, first, last, *, superuser=False):
        """A demo login with the demo password, hashed once for all (hashing takes ~0.5 s)."""
        if self.password_hash is None:
            self.password_hash = make_password(PASSWORD)
        manager = get_user_model().objects
        create = manager.create_superuser if superuser else manager.create_user
        user = create(email=email, password=None, first_name=first, last_name=last)
        user.password = self.password_hash
        user.save(update_fields=["password"])
        return user

    def _users(self):
        users = {}
        for email, first, last, _org, _role, _what in STAFF:
            users[email] = self.account(email, first, last)
        users[ROOT_EMAIL] = self.account(ROOT_EMAIL, "Root", "Binôme", superuser=True)
        return users

    def _organisations(self):
        orgs = {
            o["slug"]: Organisation.objects.create(kind=OrganisationKind.ASSOCIATION, **o)
            for o in ORGANISATIONS
        }
        for email, _first, _last, slug, role, _what in STAFF:
            Membership.objects.create(
                user=self.users[email],
                organisation=orgs[slug],
                role=role,
                # The read-only partner works for the Mission Locale: it sees the mentees the
                # Mission Locale referred, nobody else.
                partner_organisation=orgs[PARTNER_SLUG] if role == Role.PARTNER else None,
            )
        return orgs

    def _programme(self, spec):
        sizes = self.sizes[spec["key"]]
        fields = {
            k: spec[k]
            for k in (
                "name",
                "public",
                "goals",
                "duration_months",
                "meetings_per_month",
                "meeting_minutes",
                "checkin_interval_days",
                "max_mentees_per_mentor",
                "eligibility_criteria",
                "charter_version",
            )
        }
        programme = Programme.objects.create(
            organisation=self.orgs[spec["org"]],
            mentoring_kinds=list(spec["mentoring_kinds"]),
            created_at=self.at(FIRST_DAY - 30),
            **fields,
        )
        criteria = {}
        for side, rows in spec["criteria"].items():
            criteria[side] = [
                InterviewCriterion.objects.create(
                    programme=programme, side=side, label=label, order=i, is_required=required
                )
                for i, (label, required) in enumerate(rows, start=1)
            ]
        admin = next(s[0] for s in STAFF if s[3] == spec["org"] and s[4] == Role.ADMIN)
        ctx = {
            "spec": spec,
            "programme": programme,
            "criteria": criteria,
            "coordinator": self.users[spec["coordinator"]],
            "admin": self.users[admin],
            "partner": self.orgs.get(spec["partner"]),
            "limit": min(programme.max_mentees_per_mentor, 10),
        }
        self._sessions(ctx)
        # Every step runs at its planned moment as far as the data say (binome.demo.clock).
        self.clock = Clock(latest=self.now - datetime.timedelta(minutes=1))

        pairs = [self._pair_plan(state) for state, n in sizes["pairs"].items() for _ in range(n)]
        pairs.sort(key=lambda p: p.start)
        mentors, mentees = self._assign(ctx, pairs)
        for state, n in sizes["mentors"].items():
            mentors += [self._person(ctx, "mentor", state) for _ in range(n)]
        for state, n in sizes["mentees"].items():
            mentees += [self._person(ctx, "mentee", state) for _ in range(n)]

        self._run_people(ctx, mentors + mentees)
        # Sessions nobody came to were cancelled: drop them, except the last week's.
        programme.sessions.filter(
            starts_at__lt=self.now - datetime.timedelta(days=7), attendances__isnull=True
        ).delete()
        self._run_pairs(ctx, pairs)
        self._run_departures(ctx, mentors + mentees)
        self.clock.apply(MentorTransition, MenteeTransition, Mentor, Mentee, Pair, PairTransition)
        self._check(mentors + mentees, pairs)

    # -- dates and checks -----------------------------------------------------------------

    def _check(self, people, pairs):
        """Everyone reached the planned state (read again: the pair services move people)."""
        states = {}
        for model in (Mentor, Mentee):
            pks = [p.obj.pk for p in people if isinstance(p.obj, model)]
            states.update(
                ((model, pk), state)
                for pk, state in model.objects.filter(pk__in=pks).values_list("pk", "state")
            )
        wrong = [p for p in people if states[(type(p.obj), p.obj.pk)] != p.final_state]
        wrong += [p for p in pairs if p.obj.state != p.state]
        if wrong:
            raise CommandError(f"{len(wrong)} demo records did not reach their planned state.")


def delete_demo():
    """Delete the demo organisations, everything in them and the demo accounts."""
    demo.delete()
    orgs = Organisation.objects.filter(slug__in=DEMO_SLUGS)
    Pair.objects.filter(programme__organisation__in=orgs).delete()
    Mentor.objects.filter(programme__organisation__in=orgs).delete()
    Mentee.objects.filter(programme__organisation__in=orgs).delete()
    OutboxEmail.objects.filter(organisation__in=orgs).delete()
    orgs.delete()
    get_user_model().objects.filter(email__in=[s[0] for s in STAFF] + [ROOT_EMAIL]).delete()
