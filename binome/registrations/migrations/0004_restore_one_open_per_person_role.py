"""Restore the partial unique index ``registration_one_open_per_person_role``.

``0002_fewer_indexes`` altered ``dedup_key`` (``db_index=True`` → ``False``); on PostgreSQL
Django then drops every plain b-tree index on the column that is not in ``Meta.indexes``,
which included this partial unique index (SQLite rebuilds the table with it). Dropping it
again is harmless (``DROP INDEX IF EXISTS`` on PostgreSQL; it exists on SQLite), then it is
created from the model's definition. ``tests/registrations/test_constraints_pg.py`` reads
the catalog."""

from django.db import migrations, models


def constraint():
    return models.UniqueConstraint(
        condition=models.Q(("state__in", ["accepted", "queued", "received", "routed"])),
        fields=("dedup_key",),
        name="registration_one_open_per_person_role",
    )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0003_close_duplicate_open_requests")]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration", name="registration_one_open_per_person_role"
        ),
        migrations.AddConstraint(model_name="registration", constraint=constraint()),
    ]
