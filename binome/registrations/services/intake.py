"""Intake: a public registration, and the same form sent again for an open request."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from binome.core.services import log_activity
from binome.registrations.anonymise import redact
from binome.registrations.enums import (
    CONSENT_TEXT_VERSION,
    CONSENT_TEXTS,
    CORRECTABLE_STATES,
    KIND_SIDE,
    OPEN_STATES,
    ConsentKind,
    ConsentParty,
    ReferrerRole,
    RegistrationKind,
)
from binome.registrations.models import (
    Registration,
    RegistrationConsent,
    RegistrationTransition,
    RepeatSubmission,
)
from binome.registrations.services.emails import _email_registrant
from binome.registrations.services.keys import dedup_key, source_hash
from binome.registrations.services.route import routing_root

# Fields the registrant types; the identity ones stay hidden until an association accepts.
INTAKE_FIELDS = (
    "birth_year",
    "place",
    "situation",
    "publics",
    "kinds",
    "need",
    "first_name",
    "last_name",
    "email",
    "phone",
    "employer",
    "guardian_consent",
    "referrer_role",
    "referrer_name",
    "referrer_structure",
    "referrer_email",
    "referrer_phone",
    "company_name",
    "company_size",
)


def _names(registration):
    """The names a registrant typed, masked wherever free text may repeat them."""
    return [
        registration.first_name,
        registration.last_name,
        registration.referrer_name,
        registration.company_name,
        registration.employer,
    ]


def _redacted_need(registration):
    return redact(registration.need, _names(registration))


def submit_registration(*, kind, data, language="fr", source_ip=""):
    """Record a public registration. Returns ``(registration, created)``.

    The same person in the same role with an open request (``dedup_key``) gets no second
    one, and **nothing of the open request changes**: whoever sends the form may not be its
    owner (anyone who knows an e-mail address can). The status link is e-mailed to the
    address on file, and the new answers wait in ``RepeatSubmission`` until the owner applies
    or ignores them from that link (``apply_repeat``, ``ignore_repeat``). The caller shows the
    same page either way. A new request is routed in the background once the transaction
    commits (``tasks.route_registration_task``)."""
    key = dedup_key(kind, data)
    fields = {name: data[name] for name in INTAKE_FIELDS if name in data}
    for attempt in range(2):
        try:
            with transaction.atomic():
                # The newest request of this person in this role: the open one if any (there
                # is at most one: a partial unique index), else the one a new request links to.
                latest = (
                    Registration.objects.select_for_update()
                    .filter(dedup_key=key)
                    .order_by("-created_at", "-id")
                    .first()
                )
                if latest is not None and latest.state in OPEN_STATES:
                    return _repeat(latest, fields), False
                created = _create(kind, key, fields, data, language, source_ip, previous=latest)
                return created, True
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _create(kind, key, fields, data, language, source_ip, previous):
    now = timezone.now()
    registration = Registration(
        kind=kind,
        side=KIND_SIDE[kind],
        language=language,
        federation=routing_root(),
        dedup_key=key,
        source_hash=source_hash(source_ip),
        consent_at=now,
        created_at=now,
        state_changed_at=now,
        **fields,
    )
    registration.need_redacted = _redacted_need(registration)
    registration.previous = previous
    registration.save()
    _record_consents(registration, data, now)
    RegistrationTransition.objects.create(
        subject=registration, from_state="", to_state=registration.state
    )
    log_activity(registration, "created", acting_user=None, organisation=registration.federation)
    _email_registrant(registration, "received")
    transaction.on_commit(lambda: _enqueue_routing(registration.pk))
    return registration


def _record_consents(registration, data, now):
    """The agreements ticked on the form (``consent``, ``young_consent``,
    ``guardian_consent``): what, given by whom, stated by whom, when, the text shown (in the
    registrant's language) and its version."""
    referral = registration.kind == RegistrationKind.REFERRAL
    stated_by = ConsentParty.REFERRER if referral else ConsentParty.REGISTRANT
    rows = []

    def add(kind, given_by, text):
        with translation.override(registration.language):
            shown = str(CONSENT_TEXTS[text])
        rows.append(
            RegistrationConsent(
                registration=registration,
                kind=kind,
                given_by=given_by,
                stated_by=stated_by,
                at=now,
                version=CONSENT_TEXT_VERSION,
                text=shown,
            )
        )

    if data.get("consent", True):
        add(ConsentKind.PROCESSING, stated_by, "processing")
    if referral and data.get("young_consent"):
        add(ConsentKind.YOUNG_PERSON, ConsentParty.YOUNG_PERSON, "young_person")
    if registration.guardian_consent:
        if referral and registration.referrer_role == ReferrerRole.PARENT:
            add(ConsentKind.GUARDIAN, ConsentParty.REFERRER, "guardian_parent")
        else:
            add(
                ConsentKind.GUARDIAN,
                ConsentParty.GUARDIAN,
                "guardian_referral" if referral else "guardian_self",
            )
    RegistrationConsent.objects.bulk_create(rows)


def _enqueue_routing(registration_id):
    from binome.registrations.tasks import route_registration_task

    route_registration_task.enqueue(registration_id)


# Answers a repeat may offer the owner: not the e-mail addresses (they are the key) nor the
# agreements (recorded with the request).
REPEAT_FIELDS = tuple(
    name for name in INTAKE_FIELDS if name not in {"email", "referrer_email", "guardian_consent"}
)


def repeat_limit():
    """``BINOME_REGISTRATION_MAX_PER_EMAIL_PER_DAY`` (default 5): repeats of one request a
    day that e-mail its link (0: no limit); beyond, nothing is recorded or sent."""
    return getattr(settings, "BINOME_REGISTRATION_MAX_PER_EMAIL_PER_DAY", 5)


def _repeat(registration, fields):
    """The form sent again for an open request (locked by the caller): its link goes by
    e-mail to the address on file, the differing answers wait for the owner."""
    now = timezone.now()
    repeat, _created = RepeatSubmission.objects.select_for_update().get_or_create(
        registration=registration, defaults={"window_started_at": now}
    )
    if repeat.window_started_at < now - datetime.timedelta(days=1):
        repeat.count, repeat.window_started_at = 0, now
    limit = repeat_limit()
    if limit and repeat.count >= limit:
        return registration  # same page for the sender; nothing recorded, nothing sent
    answers = {}
    if registration.state in CORRECTABLE_STATES:
        for name in REPEAT_FIELDS:
            value = fields.get(name)
            if value not in ("", None, []) and getattr(registration, name) != value:
                answers[name] = value
    repeat.answers = answers
    repeat.count += 1
    repeat.submitted_at = now
    repeat.save()
    log_activity(
        registration,
        "resubmitted",
        acting_user=None,
        organisation=registration.queue_owner or registration.federation,
        fields=sorted(answers),
    )
    _email_registrant(registration, "repeated", new_answers=bool(answers))
    return registration


def pending_answers(registration):
    """The answers of a repeat waiting for the owner's decision (``{}`` when none, or once
    nobody may change the request from its link any more)."""
    if registration.state not in CORRECTABLE_STATES:
        return {}
    repeat = RepeatSubmission.objects.filter(registration=registration).first()
    return dict(repeat.answers) if repeat else {}


def _forget_repeat(registration):
    RepeatSubmission.objects.filter(registration=registration).exclude(answers={}).update(
        answers={}
    )
