"""Route N synthetic registrations across M associations in one batch and time it.

    python bench/route_batch_benchmark.py [--registrations 160000] [--associations 74]
        [--seed 4] [--in-database [--keep]]

Run by ``make bench`` (``bench/bench_registrations.py``), with ``DJANGO_SETTINGS_MODULE`` set
(default here: ``config.settings.test``).

By default in memory (``routing.solve_batch`` only). With ``--in-database`` the same synthetic
data is written to the database (a federation, its associations with programmes and offers,
the waiting registrations), routed by ``services.route_pending_batch`` (what
``route_registrations --batch`` runs), then deleted. Use a throw-away database: the batch
routes every waiting registration it finds, not only the synthetic ones.
"""

import hashlib
import os
import random
import sys
import time
import uuid
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.core.management.base import BaseCommand  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from binome.core.models import ActivityLog  # noqa: E402
from binome.geo import places  # noqa: E402
from binome.notifications.models import OutboxEmail  # noqa: E402
from binome.organisations.enums import OrganisationKind  # noqa: E402
from binome.organisations.models import Organisation  # noqa: E402
from binome.programmes.models import Programme  # noqa: E402
from binome.registrations import routing, services  # noqa: E402
from binome.registrations.management.commands.route_registrations import (  # noqa: E402
    format_report,
)
from binome.registrations.models import (  # noqa: E402
    Offer,
    Registration,
    RegistrationTransition,
    RoutingAttempt,
)

SITUATIONS = ["job_seeker", "student", "high_school", "vocational", "neet", "employed", "other"]
KINDS = [
    "professional_insertion",
    "orientation",
    "school_support",
    "business_creation",
    "job_application",
]
PUBLICS = ["ase", "disability", "qpv", "rural"]
NEED = (
    "Je cherche un apprentissage dans la logistique et quelqu'un pour m'aider à préparer "
    "mes entretiens et mon CV."
)


def communes(limit):
    """The most populated mainland communes: (key, department, lat, lon)."""
    rows = []
    for line in places.tables().communes.values():
        code, _name, dep, _cps, _pop, lat, lon = line.split(",")
        if len(dep) == 2 and dep.isdigit() or dep in {"2A", "2B"}:
            rows.append((f"fr-commune:{code}", dep, float(lat), float(lon)))
        if len(rows) >= limit:
            break
    return rows


def synthetic(n_requests, n_associations, seed):
    rng = random.Random(seed)
    towns = communes(4000)
    weights = [1 / (rank + 10) ** 0.9 for rank in range(len(towns))]
    departments = sorted({t[1] for t in towns})
    offers = []
    n_national = 3
    total_capacity = int(n_requests * 0.92)
    shares = [rng.uniform(0.7, 1.3) for _ in range(n_associations)]
    for i in range(n_associations):
        capacity = int(total_capacity * shares[i] / sum(shares))
        common = {
            "id": i + 1,
            "organisation_id": i + 1,
            "side": "mentee",
            "capacity": capacity,
            "remaining": capacity,
            "response_days": rng.uniform(0.5, 10),
        }
        if i < n_national:
            offers.append(routing.OfferSpec(**common, kinds=frozenset(rng.sample(KINDS, 2))))
            continue
        territory = {}
        if i % 3 == 0:
            centres = tuple((t[2], t[3]) for t in rng.sample(towns[:300], rng.randint(1, 5)))
            territory = {"centres": centres, "radius_km": 50.0}
        else:
            territory = {"departments": frozenset(rng.sample(departments, rng.randint(1, 5)))}
        restriction = {}
        if i % 5 == 1:
            restriction = {"age_min": 16, "age_max": 25}
        elif i % 5 == 2:
            restriction = {"situations": frozenset(rng.sample(SITUATIONS, 3))}
        elif i % 5 == 3:
            restriction = {"kinds": frozenset(rng.sample(KINDS, 2))}
        elif i % 7 == 4:
            restriction = {"publics": frozenset({rng.choice(PUBLICS)}), "publics_only": True}
        offers.append(routing.OfferSpec(**common, **territory, **restriction))
    chosen = rng.choices(towns, weights=weights, k=n_requests)
    requests = []
    for key, dep, lat, lon in chosen:
        kinds = frozenset(rng.sample(KINDS, rng.choice((0, 1, 1, 2))))
        publics = frozenset({rng.choice(PUBLICS)}) if rng.random() < 0.15 else frozenset()
        requests.append(
            routing.RequestSpec(
                side="mentee",
                place_key=key,
                department=dep,
                lat=lat,
                lon=lon,
                age=rng.randint(15, 30),
                situation=rng.choice(SITUATIONS),
                publics=publics,
                kinds=kinds,
            )
        )
    return requests, offers


class Command(BaseCommand):
    help = "Time the batch router: N registrations across M associations (synthetic data)."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=160_000)
        parser.add_argument("--associations", type=int, default=74)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument(
            "--in-database",
            action="store_true",
            help="write the synthetic data, route it with route_pending_batch, delete it",
        )
        parser.add_argument(
            "--keep", action="store_true", help="with --in-database: do not delete the data"
        )

    def handle(self, *args, registrations, associations, seed, in_database, keep, **options):
        places.load()
        requests, offers = synthetic(registrations, associations, seed)
        if in_database:
            self.in_database(requests, offers, keep=keep)
            return
        start = time.perf_counter()
        result = routing.solve_batch(requests, offers)
        elapsed = time.perf_counter() - start
        capacity = sum(o.capacity for o in offers)
        self.stdout.write(
            f"batch routing: {len(requests)} registrations, {len(offers)} associations "
            f"({capacity} places): routed {result.routed} in {elapsed:.2f} s "
            f"({result.groups} groups, {result.arcs} arcs)"
        )

    def in_database(self, requests, offers, *, keep):
        start = time.perf_counter()
        created = create_synthetic(requests, offers)
        self.stdout.write(
            f"created {len(requests)} waiting registrations and {len(offers)} associations "
            f"in {time.perf_counter() - start:.1f} s"
        )
        try:
            start = time.perf_counter()
            report = services.route_pending_batch()
            elapsed = time.perf_counter() - start
            self.stdout.write(f"batch routing in the database: {format_report(report)}")
            # What ``route_registrations --batch`` costs: reads, solve, every write and the
            # commit (the transaction is closed when ``route_pending_batch`` returns).
            self.stdout.write(
                f"END TO END (route_registrations --batch, {report.waiting} registrations, "
                f"{len(offers)} associations, incl. writes and commit): {elapsed:.2f} s "
                f"(load average {os.getloadavg()[0]:.2f})"
            )
            start = time.perf_counter()
            report = services.route_pending_batch()
            self.stdout.write(
                f"second run: {report.waiting} waiting, {report.routed} routed "
                f"({time.perf_counter() - start:.2f} s)"
            )
        finally:
            if not keep:
                start = time.perf_counter()
                delete_synthetic(created)
                self.stdout.write(
                    f"deleted the synthetic data in {time.perf_counter() - start:.1f} s"
                )


def create_synthetic(requests, offers):
    """Write the synthetic federation, associations, offers and waiting registrations."""
    run = uuid.uuid4().hex[:8]
    key_of_centre = {(lat, lon): key for key, _dep, lat, lon in communes(4000)}
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        federation = Organisation.objects.create(
            name=f"Bench federation {run}", slug=f"bench-{run}", kind=OrganisationKind.FEDERATION
        )
        members = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench association {run} {o.id}",
                slug=f"bench-{run}-{o.id}",
                kind=OrganisationKind.ASSOCIATION,
                federation=federation,
                email=f"bench-{o.id}@example.org",
            )
            for o in offers
        )
        programmes = Programme.objects.bulk_create(
            Programme(organisation=m, name=f"Programme {o.id}", public="Young people")
            for m, o in zip(members, offers, strict=True)
        )
        Offer.objects.bulk_create(
            Offer(
                programme=p,
                side=o.side,
                departments=sorted(o.departments),
                communes=sorted(o.communes),
                radius_places=[key_of_centre[c] for c in o.centres],
                radius_km=int(o.radius_km),
                age_min=o.age_min,
                age_max=o.age_max,
                situations=sorted(o.situations),
                publics=sorted(o.publics),
                publics_only=o.publics_only,
                kinds=sorted(o.kinds),
                capacity=o.capacity,
            )
            for p, o in zip(programmes, offers, strict=True)
        )
    rows = (
        Registration(
            kind="young",
            side=r.side,
            federation=federation,
            first_name="Bench",
            last_name=f"Person {i}",
            email=f"bench-{run}-{i}@example.net",
            birth_year=today.year - r.age,
            place=r.place_key,
            situation=r.situation,
            publics=sorted(r.publics),
            kinds=sorted(r.kinds),
            dedup_key=f"bench-{run}-{i}",
            # As real requests: a keyed hash of the source address and a short need.
            source_hash=hashlib.sha256(f"{run}-{i % 50_000}".encode()).hexdigest(),
            need=NEED,
            need_redacted=NEED,
            consent_at=now,
            created_at=now,
        )
        for i, r in enumerate(requests)
    )
    Registration.objects.bulk_create(rows, batch_size=5000)
    # Fresh planner statistics, as a live table has (else PostgreSQL picks the state index for
    # the batch's UPDATE ... WHERE id IN (...) AND state = 'received').
    with connection.cursor() as cursor:
        for model in (Registration, RoutingAttempt, Offer):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    ids = Registration.objects.filter(federation=federation)
    return {"federation": federation, "members": members, "registrations": ids}


def delete_synthetic(created):
    """Delete what ``create_synthetic`` wrote, with raw DELETEs for the bulk rows (the activity
    log is append-only through the ORM; these synthetic rows are removed on purpose)."""
    organisation_ids = [created["federation"].pk, *(m.pk for m in created["members"])]
    registrations = created["registrations"]
    bounds = [r for r in registrations.order_by("pk").values_list("pk", flat=True)[:1]]
    bounds += [r for r in registrations.order_by("-pk").values_list("pk", flat=True)[:1]]
    with transaction.atomic():
        if bounds:
            low, high = bounds
            logs = ActivityLog.objects.filter(
                object_type=Registration._meta.label_lower, object_id__range=(low, high)
            )
            logs._raw_delete(logs.db)  # noqa: SLF001
        logs = ActivityLog.objects.filter(organisation_id__in=organisation_ids)
        logs._raw_delete(logs.db)  # noqa: SLF001
        if bounds:
            for model in (RegistrationTransition, RoutingAttempt):
                field = "subject" if model is RegistrationTransition else "registration"
                rows = model.objects.filter(**{f"{field}__gte": low, f"{field}__lte": high})
                rows._raw_delete(rows.db)  # noqa: SLF001
            rows = Registration.objects.filter(pk__range=(low, high))
            rows._raw_delete(rows.db)  # noqa: SLF001
        emails = OutboxEmail.objects.filter(organisation_id__in=organisation_ids)
        emails._raw_delete(emails.db)  # noqa: SLF001
        Offer.objects.filter(programme__organisation_id__in=organisation_ids).delete()
        Programme.objects.filter(organisation_id__in=organisation_ids).delete()
        Organisation.objects.filter(pk__in=organisation_ids[1:]).delete()
        created["federation"].delete()


if __name__ == "__main__":
    # The command's own parser and output (``--help``), without registering it in the product.
    Command().run_from_argv(["python", "bench/route_batch_benchmark.py", *sys.argv[1:]])
