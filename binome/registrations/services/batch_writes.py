"""Batch routing: bulk writes and the e-mails of the batch."""

import datetime
import time

from django.conf import settings
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.models import ActivityLog
from binome.notifications.models import OutboxEmail
from binome.organisations.models import Organisation
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration, RegistrationTransition, RoutingAttempt
from binome.registrations.services.batch_reads import _as_registration
from binome.registrations.services.deadlines import answer_days
from binome.registrations.services.emails import _addresses_by_organisation, _registrant_context
from binome.registrations.services.route import QUEUED_FIELDS, _queued_reason
from binome.registrations.services.tokens import _inbox_url, _site_url, _status_token_maker

STATUS_URL_MARK = "@@binome-status-url@@"


def _render_email(template, context, language=None):
    """Subject and body as ``notifications.services.queue_email`` renders them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}/subject.txt", context).split())
        body = render_to_string(f"{template}/body.txt", context)
    return subject[:255], body


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_rows(model, columns, rows, **constants):
    """INSERT many rows of ``model`` without building model instances (the batch writes
    hundreds of thousands). ``columns``: attnames given per row, values ready for the database
    (ints, strings, floats, None, or values already prepared by the field); ``constants``:
    attname → value, prepared once; every other column gets its field default. One statement
    per table: ``COPY`` on PostgreSQL (psycopg 3), ``executemany`` on SQLite (elsewhere: one
    INSERT per 1,000 rows)."""
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    by_attname = {f.attname: f for f in fields}
    fixed = {}
    for f in fields:
        if f.attname in columns:
            continue
        value = constants[f.attname] if f.attname in constants else f.get_default()
        fixed[f.attname] = f.get_db_prep_save(value, connection)
    names = [*columns, *fixed]
    tail = tuple(fixed.values())
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(by_attname[n].column) for n in names)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) VALUES "
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    rows = [(*row, *tail) for row in rows]
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            # psycopg 3: COPY, far faster than parsing huge INSERTs with client-side binding.
            copy_sql = f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        elif connection.vendor == "sqlite":
            cursor.executemany(head + one, rows)
        else:
            for part in _chunks(rows, 1000):
                params = [value for row in part for value in row]
                cursor.execute(head + ", ".join([one] * len(part)), params)
    return len(rows)


def _write_batch(routed, queued, *, user, now, parts):
    """Bulk writes of ``route_pending_batch``; returns the number of e-mails queued."""
    clock = time.perf_counter()
    stamp = timezone.now()
    chunk = max(100, min(2000, (connection.features.max_query_params or 2000) - 50))
    organisation_ids = {row[1] for row in routed} | {owner for _r, owner in queued}
    organisation_ids |= {row[0].federation_id for row in routed}
    organisations = Organisation.objects.in_bulk(organisation_ids - {None})
    user_id = user.pk if user else None

    # 1. The requests: one conditional UPDATE per (association, offer, reason) and id chunk.
    same = {}
    for registration, organisation_id, offer_id, reason, _score in routed:
        same.setdefault((organisation_id, offer_id, reason), []).append(registration.pk)
    received = Registration.objects.filter(state=RegistrationState.RECEIVED)
    changed = {"state_changed_at": stamp, "updated_at": stamp}
    for (organisation_id, offer_id, reason), ids in same.items():
        for part in _chunks(ids, chunk):
            count = received.filter(pk__in=part).update(
                state=RegistrationState.ROUTED,
                organisation_id=organisation_id,
                offer_id=offer_id,
                routing_reason=reason,
                routed_at=Coalesce(F("routed_at"), Value(now)),
                **changed,
            )
            if count != len(part):
                raise RuntimeError("batch routing: a request changed state during the batch")
    by_owner = {}
    for registration, owner in queued:
        by_owner.setdefault(owner, []).append(registration.pk)
    for owner, ids in by_owner.items():
        for part in _chunks(ids, chunk):
            count = received.filter(pk__in=part).update(
                state=RegistrationState.QUEUED, **QUEUED_FIELDS, queue_owner_id=owner, **changed
            )
            if count != len(part):
                raise RuntimeError("batch routing: a request changed state during the batch")

    parts["requests"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # 2. Attempts, transitions and activity log rows (as ``_send_to`` / ``_transition``).
    _insert_rows(
        RoutingAttempt,
        ("registration_id", "organisation_id", "offer_id", "reason", "score"),
        (
            (registration.pk, organisation_id, offer_id, reason, float(score))
            for registration, organisation_id, offer_id, reason, score in routed
        ),
        routed_at=now,
        routed_by_id=user_id,
    )
    moves = [
        (r.pk, RegistrationState.ROUTED.value, reason, r.federation_id or organisation_id)
        for r, organisation_id, _offer, reason, _score in routed
    ]
    queued_reason = _queued_reason()
    moves += [(r.pk, RegistrationState.QUEUED.value, queued_reason, o) for r, o in queued]
    _insert_rows(
        RegistrationTransition,
        ("subject_id", "to_state", "reason"),
        ((pk, to_state, reason) for pk, to_state, reason, _organisation in moves),
        from_state=RegistrationState.RECEIVED.value,
        at=stamp,
        by_id=user_id,
    )
    # The journal: one row per organisation the batch sent requests to (and one for the
    # queue's owner), not one per request: each request's own history is its transitions.
    counts = {}
    reached = [(o, RegistrationState.ROUTED.value) for _r, o, _offer, _reason, _s in routed]
    for key in reached + [(owner, RegistrationState.QUEUED.value) for _r, owner in queued]:
        counts[key] = counts.get(key, 0) + 1
    ActivityLog.objects.bulk_create(
        ActivityLog(
            at=stamp,
            actor_id=user_id,
            organisation_id=organisation_id,
            verb="batch_routed",
            object_type=Organisation._meta.label_lower,
            object_id=organisation_id or 0,
            data={"to_state": to_state, "requests": count},
        )
        for (organisation_id, to_state), count in sorted(
            counts.items(), key=lambda item: (item[0][0] or 0, item[0][1])
        )
    )

    parts["log rows"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # 3. E-mails, left queued in the outbox (see ``_batch_emails``).
    emails = _batch_emails(routed, queued, organisations, now=now)
    count = _insert_rows(
        OutboxEmail,
        ("to", "subject", "body", "category", "organisation_id"),
        emails,
        created_at=stamp,
    )
    parts["e-mails"] = time.perf_counter() - clock
    return count


def _batch_emails(routed, queued, organisations, *, now):
    """The e-mails ``route_registration`` would queue, as outbox rows
    ``(to, subject, body, category, organisation id)``.

    These e-mails carry no identity and differ only by the status link, so each is rendered
    once per (template, language, association or federation, rerouted) with a marker in
    place of the link, which is then substituted per registrant."""
    token = _status_token_maker()
    url_pattern = _site_url() + reverse("public:status", args=[STATUS_URL_MARK])
    rendered = {}
    emails = []

    def to_registrant(registration, name, organisation, sender, **extra):
        # ``organisation``: the association now holding the request (None when queued);
        # ``sender``: the outbox row's organisation (the association, else the federation).
        to = registration.notify_email
        if not to:
            return
        key = (name, registration.language, sender.pk if sender else None, *extra.values())
        found = rendered.get(key)
        if found is None:
            context = _registrant_context(
                _as_registration(registration, organisation), STATUS_URL_MARK, **extra
            )
            found = rendered[key] = _render_email(
                f"emails/registration_{name}", context, registration.language
            )
        subject, body = found
        url = url_pattern.replace(STATUS_URL_MARK, token(registration.public_id))
        body = body.replace(STATUS_URL_MARK, url)
        emails.append((to, subject, body, f"registration_{name}", sender.pk if sender else None))

    received = {}
    for registration, organisation_id, _offer_id, _reason, _score in routed:
        organisation = organisations[organisation_id]
        rerouted = registration.routed_at is not None
        to_registrant(registration, "routed", organisation, organisation, rerouted=rerouted)
        received[organisation_id] = received.get(organisation_id, 0) + 1
    # One e-mail per association for the whole batch, with the count (not one per request).
    addresses = _addresses_by_organisation([organisations[i] for i in received])
    for organisation_id, count in sorted(received.items()):
        context = {
            "organisation": organisations[organisation_id],
            "count": count,
            "inbox_url": _inbox_url(),
            "due_on": now + datetime.timedelta(days=answer_days()),
        }
        subject, body = _render_email("emails/registration_new_requests", context)
        for to in addresses.get(organisation_id, []):
            emails.append((to, subject, body, "registration_new_requests", organisation_id))
    for registration, owner in queued:
        to_registrant(registration, "queued", None, organisations.get(owner))
    return emails
