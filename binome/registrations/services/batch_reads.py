"""Batch routing: the received requests read as light rows."""

import json
from collections import namedtuple

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast, ExtractYear

from binome.registrations.enums import RegistrationKind, RegistrationState
from binome.registrations.models import Registration

WAITING_FIELDS = (
    "pk",
    "public_id",
    "kind",
    "side",
    "language",
    "federation_id",
    "routed_at",
    "birth_year",
    "place",
    "situation",
    "publics",
    "kinds",
    "email",
    "referrer_email",
)


_Waiting = namedtuple("_Waiting", [*WAITING_FIELDS, "age", "notify_email"])


def _waiting_for_routing():
    """The received requests, oldest first, as light rows (no model instances: there may be
    hundreds of thousands), locked on PostgreSQL, where rows another routing holds are
    skipped, so two batches or a batch and the per-request task never route one twice.

    The JSON lists come as text and are decoded once per distinct value (a few dozen)."""
    columns = [name for name in WAITING_FIELDS if name not in ("publics", "kinds")]
    qs = (
        Registration.objects.filter(state=RegistrationState.RECEIVED)
        .order_by("created_at", "id")
        .annotate(
            publics_text=Cast("publics", TextField()),
            kinds_text=Cast("kinds", TextField()),
            # As ``Registration.age``: the local year the request was made (no datetime
            # decoded per row).
            created_year=ExtractYear("created_at"),
        )
        .values_list(*columns, "created_year", "publics_text", "kinds_text")
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    lists = {}

    def as_list(text):
        found = lists.get(text)
        if found is None:
            found = lists[text] = tuple(json.loads(text)) if text else ()
        return found

    referral = RegistrationKind.REFERRAL
    rows = []
    for pk, public_id, kind, side, language, federation_id, routed_at, *rest in qs:
        birth_year, place, situation, email, referrer_email, year, publics, kinds = rest
        age = int(year) - birth_year if birth_year else None
        # As ``Registration.notify_email``.
        notify = referrer_email if kind == referral and referrer_email else email
        rows.append(
            _Waiting(
                pk,
                public_id,
                kind,
                side,
                language,
                federation_id,
                routed_at,
                birth_year,
                place,
                situation,
                as_list(publics),
                as_list(kinds),
                email,
                referrer_email,
                age,
                notify,
            )
        )
    return rows


def _as_registration(row, organisation):
    """A registration built from a waiting row, for the context of the e-mails."""
    fields = {name: getattr(row, name) for name in WAITING_FIELDS if name != "pk"}
    return Registration(id=row.pk, organisation=organisation, **fields)
