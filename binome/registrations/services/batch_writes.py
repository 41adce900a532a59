"""Batch routing: bulk writes and the e-mails of the batch."""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.statemachine import insert_rows
from binome.notifications.models import OutboxEmail
from binome.organisations.models import Organisation
from binome.registrations.enums import RegistrationState
from binome.registrations.models import RoutingAttempt
from binome.registrations.services.batch_reads import _as_registration
from binome.registrations.services.deadlines import answer_days
from binome.registrations.services.emails import _addresses_by_organisation, _registrant_context
from binome.registrations.services.route import QUEUED_FIELDS, _queued_reason, routed_fields
from binome.registrations.services.tokens import _inbox_url, _site_url, _status_token_maker
from binome.registrations.services.transitions import _transition_bulk

STATUS_URL_MARK = "@@binome-status-url@@"


def _render_email(template, context, language=None):
    """Subject and body as ``notifications.services.queue_email`` renders them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}/subject.txt", context).split())
        body = render_to_string(f"{template}/body.txt", context)
    return subject[:255], body


class _Move:
    """A request the batch moves, as ``apply_transitions_bulk`` reads it (no model instance)."""

    __slots__ = ("pk", "state", "organisation_id", "offer_id", "routing_reason", "routed_at")
    __slots__ += ("queue_owner_id", "state_changed_at", "journal_id")

    def __init__(self, pk, fields, journal_id):
        self.pk = pk
        self.state = RegistrationState.RECEIVED.value
        self.queue_owner_id = None
        self.routed_at = None
        for name, value in fields.items():
            setattr(self, ATTNAMES.get(name, name), value)
        self.journal_id = journal_id


# Field name → attribute of a ``_Move`` (the foreign keys' ids).
ATTNAMES = {"organisation": "organisation_id", "offer": "offer_id", "queue_owner": "queue_owner_id"}


def _write_batch(routed, queued, *, user, now, parts):
    """Bulk writes of ``route_pending_batch``; returns the number of e-mails queued.

    The requests move through ``_transition_bulk`` (the same table as ``_transition``, with
    the fields of ``routed_fields`` / ``QUEUED_FIELDS``, set-based writes); the attempts are
    inserted as ``_send_to`` creates them."""
    clock = time.perf_counter()
    stamp = timezone.now()
    organisation_ids = {row[1] for row in routed} | {owner for _r, owner in queued}
    organisation_ids |= {row[0].federation_id for row in routed}
    organisations = Organisation.objects.in_bulk(organisation_ids - {None})
    user_id = user.pk if user else None

    # The e-mails are built in a thread (Python only, no query) while the database writes:
    # the connection waits without holding the GIL.
    addresses = _addresses_by_organisation([organisations[i] for i in {row[1] for row in routed}])
    language = translation.get_language()
    executor = ThreadPoolExecutor(max_workers=1)

    def build_emails():
        try:
            with translation.override(language):
                return _batch_emails(routed, queued, organisations, addresses, now=now)
        finally:
            connections.close_all()  # this thread's own, should a template ever query

    emails = executor.submit(build_emails)
    executor.shutdown(wait=False)

    # 1. The requests, their transition rows and the journal (one row per organisation).
    timings = {}
    moves = [
        _Move(
            r.pk,
            routed_fields(r.routed_at, organisation_id, offer_id, reason, now),
            organisation_id,
        )
        for r, organisation_id, offer_id, reason, _score in routed
    ]
    _transition_bulk(
        moves,
        RegistrationState.ROUTED,
        acting_user=user,
        reason=lambda move: move.routing_reason,
        fields=list(routed_fields(None, None, None, "", now)),
        summary_organisation=lambda move: move.journal_id,
        timings=timings,
    )
    queued_fields = {**QUEUED_FIELDS, "queue_owner": None}
    moves = [_Move(r.pk, {**queued_fields, "queue_owner": o}, o) for r, o in queued]
    _transition_bulk(
        moves,
        RegistrationState.QUEUED,
        acting_user=user,
        reason=_queued_reason(),
        fields=list(queued_fields),
        summary_organisation=lambda move: move.journal_id,
        timings=timings,
    )
    parts["requests"] = time.perf_counter() - clock
    parts.update({f"requests: {name}": seconds for name, seconds in timings.items()})
    clock = time.perf_counter()

    # 2. The attempts (as ``_send_to`` creates them).
    insert_rows(
        RoutingAttempt,
        ("registration_id", "organisation_id", "offer_id", "reason", "score"),
        [
            (registration.pk, organisation_id, offer_id, reason, float(score))
            for registration, organisation_id, offer_id, reason, score in routed
        ],
        routed_at=now,
        routed_by_id=user_id,
    )
    parts["attempts"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # 3. E-mails, left queued in the outbox (see ``_batch_emails``).
    count = insert_rows(
        OutboxEmail,
        ("to", "subject", "body", "category", "organisation_id"),
        emails.result(),
        created_at=stamp,
    )
    parts["e-mails"] = time.perf_counter() - clock
    return count


def _batch_emails(routed, queued, organisations, addresses, *, now):
    """The e-mails ``route_registration`` would queue, as outbox rows
    ``(to, subject, body, category, organisation id)``.

    These e-mails carry no identity and differ only by the status link, so each is rendered
    once per (template, language, association or federation, rerouted) with a marker in
    place of the link, which is then substituted per registrant. No query (``addresses``:
    ``_addresses_by_organisation`` of the associations reached): it runs in a thread while
    the requests are written."""
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
