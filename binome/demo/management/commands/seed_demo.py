"""``manage.py seed_demo``: build the demo (``binome.demo.builder``) and print what it holds."""

import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from binome.demo import domains as demo
from binome.demo.builder import DemoBuilder, delete_demo
from binome.demo.data import (
    DEFAULT_SEED,
    DEMO_SLUGS,
    MAIN_SLUG,
    NO_TASKS,
    PASSWORD,
    ROOT_EMAIL,
    STAFF,
)
from binome.organisations.models import Organisation
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, Mentor
from binome.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Create demo data: a federation of three associations, four programmes, ~200 mentors, "
        "~250 mentees, ~80 pairs in every state, public registrations in every routing state, "
        "matching runs, plus staff logins. Does nothing if the demo is present."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisations and accounts, then rebuild.",
        )
        parser.add_argument(
            "--small", action="store_true", help="A few people per state only (fast; for tests)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, reset, small, seed, **options):
        if Organisation.objects.filter(slug=MAIN_SLUG).exists() and not reset:
            self.stdout.write("Demo data already present (use --reset to rebuild it).")
            return
        started = time.monotonic()
        # The demo's e-mails are history (marked sent): enqueue no delivery task for them.
        with override_settings(TASKS=NO_TASKS), transaction.atomic():
            delete_demo()
            DemoBuilder(seed=seed, size="small" if small else "full").build()
        elapsed = time.monotonic() - started
        self._summary()
        self.stdout.write(self.style.SUCCESS(f"Demo data built in {elapsed:.1f} s."))

    def _summary(self):
        orgs = Organisation.objects.filter(slug__in=[*DEMO_SLUGS, *demo.ORG_SLUGS])
        w = self.stdout.write
        for title, model, states in (
            ("Mentors", Mentor, MentorState),
            ("Mentees", Mentee, MenteeState),
            ("Pairs", Pair, PairState),
        ):
            rows = model.objects.filter(programme__organisation__in=orgs)
            counts = Counter(rows.values_list("state", flat=True))
            w(
                f"{title} ({sum(counts.values())}): "
                + ", ".join(f"{s.value} {counts.get(s.value, 0)}" for s in states)
            )
        for programme in Programme.objects.filter(organisation__in=orgs).select_related(
            "organisation"
        ):
            w(
                f"  {programme.organisation.name} / {programme.name}: "
                f"{programme.mentors.count()} mentors, {programme.mentees.count()} mentees, "
                f"{programme.pairs.count()} pairs, {programme.sessions.count()} sessions"
            )
        demo.summary(w, DEMO_SLUGS)
        w(f"Logins (password “{PASSWORD}”):")
        for email, _first, _last, _org, _role, what in STAFF:
            w(f"  {email:32} {what}")
        for email, what in demo.LOGINS:
            w(f"  {email:32} {what}")
        w(f"  {ROOT_EMAIL:32} superuser (Django admin)")
