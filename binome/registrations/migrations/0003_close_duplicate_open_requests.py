"""Before the "one open request per person and role" index is restored (0004): close the
duplicates that PostgreSQL let in while ``0002_fewer_indexes`` had dropped it.

Per person and role (``dedup_key``), the most advanced open request is kept (accepted, then
routed, queued, received; the oldest among equals); the others are closed, with a transition
saying which request they duplicate, and their pending attempts cancelled. SQLite kept the
index, so there it finds nothing."""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

OPEN = ["received", "routed", "queued", "accepted"]
RANK = {"accepted": 0, "routed": 1, "queued": 2, "received": 3}


def close_duplicates(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    Transition = apps.get_model("registrations", "RegistrationTransition")
    Attempt = apps.get_model("registrations", "RoutingAttempt")
    keys = (
        Registration.objects.filter(state__in=OPEN)
        .values("dedup_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("dedup_key", flat=True)
    )
    now = timezone.now()
    for key in list(keys):
        rows = list(
            Registration.objects.filter(dedup_key=key, state__in=OPEN).order_by("created_at", "id")
        )
        kept = min(rows, key=lambda r: (RANK[r.state], r.created_at, r.id))
        for row in rows:
            if row.pk == kept.pk:
                continue
            Attempt.objects.filter(registration=row, outcome="pending").update(
                outcome="cancelled", answered_at=now
            )
            Transition.objects.create(
                subject=row,
                from_state=row.state,
                to_state="closed",
                at=now,
                reason=f"duplicate of request #{kept.pk}",
            )
            Registration.objects.filter(pk=row.pk).update(
                state="closed", state_changed_at=now, updated_at=now
            )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0002_fewer_indexes")]

    operations = [migrations.RunPython(close_duplicates, migrations.RunPython.noop)]
