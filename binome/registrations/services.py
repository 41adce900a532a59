"""Use cases of public registrations: intake, routing, answers, the registrant's own actions.

Every state change goes through ``_transition`` (``core.statemachine.apply_transition``)
under a row lock; e-mails are queued in the outbox in the same transaction.
"""

import base64
import datetime
import hashlib
import hmac
import json
import time
import uuid
from collections import namedtuple
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, F, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.models import ActivityLog
from binome.core.services import log_activity
from binome.core.statemachine import apply_transition
from binome.geo import places
from binome.notifications.models import OutboxEmail
from binome.notifications.services import queue_email
from binome.organisations.enums import EDITOR_ROLES, OrganisationKind
from binome.organisations.models import Membership, Organisation
from binome.pairs import services as pairs_services
from binome.people import services as people_services
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, Mentor
from binome.people.vocab import RecruitmentChannel
from binome.registrations import routing
from binome.registrations.anonymise import redact
from binome.registrations.enums import (
    CONSENT_TEXT_VERSION,
    CONSENT_TEXTS,
    CORRECTABLE_STATES,
    KIND_SIDE,
    OPEN_STATES,
    REGISTRATION_TRANSITIONS,
    AttemptOutcome,
    ConsentKind,
    ConsentParty,
    DeclineReason,
    PriorityPublic,
    ReferrerRole,
    RegistrationKind,
    RegistrationState,
    SupportPurpose,
)
from binome.registrations.models import (
    Offer,
    Registration,
    RegistrationConsent,
    RegistrationTransition,
    RepeatSubmission,
    RoutingAttempt,
)

LABELS = dict(RegistrationState.choices)
TOKEN_SALT = "binome.registrations.status"

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


def answer_days():
    """Days an association has to answer before the request moves on (default 7)."""
    return getattr(settings, "BINOME_ROUTING_ANSWER_DAYS", 7)


def reminder_days():
    return tuple(getattr(settings, "BINOME_ROUTING_REMINDER_DAYS", (3, 6)))


# --- the status link ---------------------------------------------------------------------------


def _signer():
    return signing.TimestampSigner(salt=TOKEN_SALT)


def status_token(registration):
    """An opaque signed token for the private status link (no id, no e-mail)."""
    return _signer().sign(registration.public_id.hex)


def _status_token_maker():
    """``status_token`` for many registrations at once: the same tokens as
    ``TimestampSigner.sign`` (a test checks it against Django's signer), with the key derived
    once and one timestamp for the batch (~4 times faster than signing one by one)."""
    signer = _signer()
    key = hashlib.sha256((signer.salt + "signer" + signer.key).encode()).digest()
    base = hmac.new(key, digestmod=hashlib.sha256)
    stamp = signer.sep + signer.timestamp()

    def token(public_id):
        value = public_id.hex + stamp
        mac = base.copy()
        mac.update(value.encode())
        return value + signer.sep + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()

    return token


class StatusLinkError(Exception):
    """A status link that is forged, incomplete, of a deleted request, or too old."""

    def __init__(self, *, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def registration_for_link(token):
    """The registration of a status token; raises :class:`StatusLinkError` (``expired`` set
    when the signature is right but older than ``BINOME_STATUS_LINK_DAYS``)."""
    max_age = datetime.timedelta(days=getattr(settings, "BINOME_STATUS_LINK_DAYS", 400))
    try:
        value = _signer().unsign(token, max_age=max_age)
        public_id = uuid.UUID(hex=value)
    except signing.SignatureExpired as exc:
        raise StatusLinkError(expired=True) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise StatusLinkError from exc
    registration = (
        Registration.objects.select_related("organisation").filter(public_id=public_id).first()
    )
    if registration is None:
        raise StatusLinkError
    return registration


def registration_from_token(token):
    """The registration of a status token, or None when the token is forged or too old."""
    try:
        return registration_for_link(token)
    except StatusLinkError:
        return None


def _site_url():
    return (settings.BINOME_SITE_URL or "http://localhost:8000").rstrip("/")


def _inbox_url():
    return _site_url() + reverse("staff:registrations:inbox")


def status_url(registration):
    return _site_url() + reverse("public:status", args=[status_token(registration)])


# --- helpers -------------------------------------------------------------------------------------


def _keyed_hash(*parts):
    key = settings.SECRET_KEY.encode()
    message = "\x1f".join(p.strip().casefold() for p in parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def dedup_key(kind, data):
    """Same person, same role → same key. A referral is keyed on the referrer and the
    young person's name, so a professional can register several young people."""
    side = KIND_SIDE[kind]
    if kind == RegistrationKind.REFERRAL:
        return _keyed_hash(
            side,
            data.get("referrer_email", ""),
            data.get("first_name", ""),
            data.get("last_name", ""),
        )
    if kind == RegistrationKind.COMPANY:
        return _keyed_hash("company", data.get("email", ""))
    return _keyed_hash(side, data.get("email", ""))


def source_hash(address):
    return _keyed_hash("source", address or "") if address else ""


def routing_root():
    """The federation owning the public queue, or None on a single-organisation instance.

    ``BINOME_ROUTING_FEDERATION`` (a slug) picks one when several federations exist."""
    slug = getattr(settings, "BINOME_ROUTING_FEDERATION", "")
    federations = Organisation.objects.filter(kind=OrganisationKind.FEDERATION)
    if slug:
        return federations.filter(slug=slug).first()
    found = list(federations[:2])
    return found[0] if len(found) == 1 else None


def _transition(registration, to_state, *, acting_user, reason="", fields=None, organisation=None):
    fields = fields or {}
    for name, value in fields.items():
        setattr(registration, name, value)
    return apply_transition(
        registration,
        to_state,
        transitions=REGISTRATION_TRANSITIONS,
        labels=LABELS,
        log_model=RegistrationTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=list(fields),
        organisation=organisation,
    )


def _lock(registration):
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organisation", "federation", "queue_owner", "offer__programme")
        .get(pk=registration.pk)
    )


def _registrant_context(registration, url, **extra):
    return {
        "registration": registration,
        "status_url": url,
        "organisation": registration.organisation,
        "answer_days": answer_days(),
        "rerouted": False,
        "new_answers": False,
        **extra,
    }


def _email_registrant(registration, name, **extra):
    to = registration.notify_email
    if not to:
        return None
    context = _registrant_context(registration, status_url(registration), **extra)
    return queue_email(
        to=to,
        template=f"emails/registration_{name}",
        context=context,
        category=f"registration_{name}",
        organisation=registration.organisation
        or registration.queue_owner
        or registration.federation,
        language=registration.language,
    )


def _addresses_by_organisation(organisations):
    """Where association e-mails go: the association's address, else its active editors'
    (at most one query for any number of associations)."""
    found = {o.pk: [o.email] for o in organisations if o.email}
    missing = [o.pk for o in organisations if not o.email]
    if missing:
        rows = Membership.objects.filter(
            organisation_id__in=missing, is_active=True, role__in=EDITOR_ROLES
        ).values_list("organisation_id", "user__email")
        for organisation_id, email in rows:
            found.setdefault(organisation_id, []).append(email)
    return found


def _association_addresses(organisation):
    return _addresses_by_organisation([organisation]).get(organisation.pk, [])


def _association_context(attempt, registration, **extra):
    return {
        "attempt": attempt,
        "registration": registration,
        "organisation": attempt.organisation,
        "inbox_url": _inbox_url(),
        "due_on": attempt.due_at(answer_days()),
        "days_waiting": 0,
        **extra,
    }


def _email_association(attempt, name, **extra):
    organisation = attempt.organisation
    context = _association_context(attempt, attempt.registration, **extra)
    for to in _association_addresses(organisation):
        queue_email(
            to=to,
            template=f"emails/registration_{name}",
            context=context,
            category=f"registration_{name}",
            organisation=organisation,
        )


# --- intake --------------------------------------------------------------------------------------


def is_rate_limited(*, source_ip):
    """Per client address: ``BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR`` new requests an hour
    (default 20; 0 turns it off, e.g. for the benchmark). The address is kept only as a keyed
    hash. The per-e-mail limit is checked by ``submit_registration``."""
    per_ip = getattr(settings, "BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR", 20)
    if not (per_ip and source_ip):
        return False
    recent = Registration.objects.filter(
        source_hash=source_hash(source_ip),
        created_at__gte=timezone.now() - datetime.timedelta(hours=1),
    ).count()
    return recent >= per_ip


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


def apply_repeat(registration):
    """The owner (from the status link) applies the answers of the last repeat."""
    with transaction.atomic():
        registration = _lock(registration)
        answers = pending_answers(registration)
        _forget_repeat(registration)
        if answers:
            registration = correct(registration, data=answers)
    return registration


def ignore_repeat(registration):
    """The owner (from the status link) ignores the answers of the last repeat."""
    with transaction.atomic():
        registration = _lock(registration)
        _forget_repeat(registration)
    return registration


def _forget_repeat(registration):
    RepeatSubmission.objects.filter(registration=registration).exclude(answers={}).update(
        answers={}
    )


# --- routing -------------------------------------------------------------------------------------


def _response_days(organisation_ids, now):
    """Mean days to answer (accept or decline) over the last 90 days, per association."""
    since = now - datetime.timedelta(days=90)
    rows = (
        RoutingAttempt.objects.filter(
            organisation_id__in=organisation_ids,
            routed_at__gte=since,
            answered_at__isnull=False,
            outcome__in=[AttemptOutcome.ACCEPTED, AttemptOutcome.DECLINED],
        )
        .values("organisation_id")
        .annotate(mean=Avg(F("answered_at") - F("routed_at")))
        .order_by()
    )
    return {r["organisation_id"]: r["mean"].total_seconds() / 86400 for r in rows if r["mean"]}


def candidate_offers(federation, side=None, *, now=None):
    """Open offers of the member associations (or of every association without a federation),
    as :class:`routing.OfferSpec` with their remaining places and response time."""
    now = now or timezone.now()
    qs = _open_offers(now)
    if federation is not None:
        qs = qs.filter(programme__organisation__federation=federation)
    if side:
        qs = qs.filter(side=side)
    return _offer_specs(_with_places(qs), now)


def _open_offers(now):
    """Offers open today of active programmes of associations (any federation)."""
    return Offer.objects.open_on(timezone.localdate(now)).filter(
        programme__is_active=True, programme__organisation__kind=OrganisationKind.ASSOCIATION
    )


def _with_places(qs):
    """Offers with ``held``, the places their requests hold (``RoutingAttempt.holding``)."""
    return qs.annotate(
        held=RoutingAttempt.objects.held_by_offer(),
        organisation_id=F("programme__organisation_id"),
    ).order_by("id")


def _offer_specs(offers, now):
    """Offers annotated by ``_with_places`` → :class:`routing.OfferSpec` (one more query)."""
    offers = list(offers)
    speeds = _response_days({o.organisation_id for o in offers}, now)
    return [
        offer_spec(o, remaining=o.capacity - o.held, response_days=speeds.get(o.organisation_id))
        for o in offers
    ]


def offer_spec(offer, *, remaining, response_days=None):
    centres = []
    for key in offer.radius_places:
        place = places.resolve(key)
        if place:
            centres.append((place.lat, place.lon))
    return routing.OfferSpec(
        id=offer.pk,
        organisation_id=offer.organisation_id,
        side=offer.side,
        departments=frozenset(offer.departments),
        communes=frozenset(offer.communes),
        centres=tuple(centres),
        radius_km=float(offer.radius_km or 0),
        age_min=offer.age_min,
        age_max=offer.age_max,
        situations=frozenset(offer.situations),
        publics=frozenset(offer.publics),
        publics_only=offer.publics_only,
        kinds=frozenset(offer.kinds),
        capacity=offer.capacity,
        remaining=max(remaining, 0),
        response_days=response_days,
    )


def place_point(key):
    """``(département, lat, lon)`` of a place key, ``(None, None, None)`` when unknown."""
    place = places.resolve(key) if key else None
    return (place.department, place.lat, place.lon) if place else (None, None, None)


def request_spec(registration, *, excluded=frozenset()):
    department, lat, lon = place_point(registration.place)
    return routing.RequestSpec(
        side=registration.side,
        place_key=registration.place,
        department=department,
        lat=lat,
        lon=lon,
        age=registration.age,
        situation=registration.situation,
        publics=frozenset(registration.publics),
        kinds=frozenset(registration.kinds),
        excluded_organisations=frozenset(excluded),
    )


def describe_choice(choice, *, rank_count):
    """The routing reason shown to federation staff (no personal data)."""
    offer = choice.offer
    territory = {
        "town": _("town listed"),
        "radius": _("within %(km)s km") % {"km": int(offer.radius_km)},
        "department": _("département listed"),
        "national": _("national programme"),
    }[choice.territory]
    parts = [
        _("territory: %(t)s") % {"t": territory},
        _("places left: %(left)s of %(cap)s") % {"left": offer.remaining, "cap": offer.capacity},
    ]
    if offer.response_days is not None:
        days = offer.response_days
        parts.append(
            ngettext(
                "answers in %(d)s day on average", "answers in %(d)s days on average", round(days)
            )
            % {"d": number_format(days, decimal_pos=1)}
        )
    if choice.shared_publics:
        labels = dict(PriorityPublic.choices)
        shared = ", ".join(str(labels.get(p, p)) for p in choice.shared_publics)
        parts.append(_("priority publics: %(p)s") % {"p": shared})
    if choice.kind_match:
        parts.append(_("kind of mentoring offered"))
    score = number_format(choice.score, decimal_pos=2)
    if rank_count <= 1:
        parts.append(_("score %(s)s, the only open declaration") % {"s": score})
    else:
        parts.append(
            ngettext(
                "score %(s)s, the best of %(n)s open declaration",
                "score %(s)s, the best of %(n)s open declarations",
                rank_count,
            )
            % {"s": score, "n": rank_count}
        )
    return "; ".join(parts)[:500]


def route_registration(registration, *, acting_user=None, now=None):
    """Send a received request to the best eligible association, or to the federation's queue.

    Idempotent: a request that is no longer "received" is left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock(registration)
        if registration.state != RegistrationState.RECEIVED:
            return registration
        asked = set(registration.attempts.values_list("organisation_id", flat=True))
        offers = candidate_offers(registration.federation, registration.side, now=now)
        spec = request_spec(registration, excluded=asked)
        for choice in routing.rank(offers, spec):
            # Lock the offer and count again: two routings never take its last place twice.
            offer = (
                Offer.objects.select_for_update(of=("self",))
                .select_related("programme")
                .get(pk=choice.offer.id)
            )
            held = offer.attempts.holding().count()
            if held >= offer.capacity:
                continue
            reason = describe_choice(choice, rank_count=len(offers))
            return _send_to(
                registration,
                offer.programme.organisation,
                offer=offer,
                reason=reason,
                score=choice.score,
                acting_user=acting_user,
                now=now,
            )
        single = _single_organisation(registration, asked)
        if single is not None:
            reason = _only_association_reason()
            return _send_to(
                registration,
                single,
                offer=None,
                reason=reason,
                score=0,
                acting_user=acting_user,
                now=now,
            )
        owner_id = QueueOwners()(
            registration.federation_id, registration.side, registration.place, asked
        )
        owner = Organisation.objects.filter(pk=owner_id).first() if owner_id else None
        _transition(
            registration,
            RegistrationState.QUEUED,
            acting_user=acting_user,
            reason=_queued_reason(),
            fields={**QUEUED_FIELDS, "queue_owner": owner},
            organisation=owner,
        )
        _email_registrant(registration, "queued")
        return registration


# What a request sent to a queue holds (and ``queue_owner``, see ``QueueOwners``).
QUEUED_FIELDS = {"organisation": None, "offer": None, "routing_reason": ""}
TERRITORY_PRECISION = {"town": 3, "radius": 3, "department": 2, "national": 1}


class QueueOwners:
    """Who owns the queue of a request that no association could take, so that someone
    sees and handles it (docs/registrations.md, "Queue owner"):

    1. the request's routing federation (the only one, or ``BINOME_ROUTING_FEDERATION``);
    2. otherwise, with several federations: the one whose member associations declare the
       most precise territory covering the request's place (town or radius, département,
       national; same side), else the federation of an association already asked, else the
       first federation created;
    3. with no federation: the only association, else the association whose own territory
       covers the place best, else the first association created.

    Ties go to the organisation created first (lowest id). One instance answers many
    requests with a constant number of queries (the batch uses one)."""

    def __init__(self):
        self._federations = None
        self._associations = None
        self._territories = None

    @property
    def federations(self):
        if self._federations is None:
            self._federations = list(
                Organisation.objects.filter(kind=OrganisationKind.FEDERATION)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        return self._federations

    @property
    def associations(self):
        """``{association id: federation id}`` in creation order."""
        if self._associations is None:
            self._associations = dict(
                Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
                .order_by("pk")
                .values_list("pk", "federation_id")
            )
        return self._associations

    def territories(self, by_federation):
        """``{(owner id, side): [OfferSpec]}``: the declared territories of open programmes."""
        if self._territories is None:
            offers = Offer.objects.filter(
                is_active=True,
                programme__is_active=True,
                programme__organisation__kind=OrganisationKind.ASSOCIATION,
            ).annotate(
                organisation_id=F("programme__organisation_id"),
                federation_id=F("programme__organisation__federation_id"),
            )
            found = {}
            for offer in offers.order_by("pk"):
                owner = offer.federation_id if by_federation else offer.organisation_id
                if owner is not None:
                    spec = offer_spec(offer, remaining=0)
                    found.setdefault((owner, offer.side), []).append(spec)
            self._territories = found
        return self._territories

    def __call__(self, federation_id, side, place_key, asked=()):
        if federation_id is not None:
            return federation_id
        by_federation = bool(self.federations)
        candidates = self.federations if by_federation else list(self.associations)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        territories = self.territories(by_federation)
        department, lat, lon = place_point(place_key)
        best, owner = 0, None
        for candidate in candidates:
            for spec in territories.get((candidate, side), ()):
                match = routing.territory_match(spec, place_key, department, lat, lon)
                precision = TERRITORY_PRECISION.get(match, 0)
                if precision > best:
                    best, owner = precision, candidate
        if owner is not None:
            return owner
        if by_federation:
            asked_federations = sorted(
                f for f in (self.associations.get(a) for a in asked) if f is not None
            )
            if asked_federations:
                return asked_federations[0]
        return candidates[0]


def _queued_reason():
    return _("no eligible association with open places")


def _only_association_reason():
    return _("the only association of this instance")


def _only_association():
    """The association of an instance that has exactly one, else None."""
    found = list(Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)[:2])
    return found[0] if len(found) == 1 else None


def _single_organisation(registration, asked):
    """Without a federation, an instance with one association routes everything to it."""
    if registration.federation_id is not None:
        return None
    found = _only_association()
    if found is not None and found.pk not in asked:
        return found
    return None


def _send_to(registration, organisation, *, offer, reason, score, acting_user, now):
    attempt = RoutingAttempt.objects.create(
        registration=registration,
        organisation=organisation,
        offer=offer,
        reason=reason,
        score=score,
        routed_at=now,
        routed_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    first = registration.routed_at is None
    _transition(
        registration,
        RegistrationState.ROUTED,
        acting_user=acting_user,
        reason=reason,
        fields={
            "organisation": organisation,
            "offer": offer,
            "routing_reason": reason,
            "routed_at": registration.routed_at or now,
        },
        organisation=registration.federation or organisation,
    )
    _email_registrant(registration, "routed", rerouted=not first)
    _email_association(attempt, "new_request")
    return registration


def route_pending(*, limit=None, now=None):
    """Route every received request, oldest first (the periodic safety net of the task)."""
    ids = list(
        Registration.objects.filter(state=RegistrationState.RECEIVED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    routed = 0
    for pk in ids:
        registration = route_registration(Registration(pk=pk), now=now)
        routed += registration.state == RegistrationState.ROUTED
    return len(ids), routed


def owns_queue_of(organisation, registration):
    """Whether ``organisation`` handles this request's queue (``QueueOwners``)."""
    if registration.queue_owner_id is not None:
        return registration.queue_owner_id == organisation.pk
    return registration.federation_id == organisation.pk


def queue_targets(owner, registration):
    """Associations the queue's owner may send the request to: a federation's members, or
    without federation every association; never one that declined it or holds it (one that
    did not answer in time may be asked again)."""
    if owner.kind == OrganisationKind.FEDERATION:
        qs = owner.members.all()
    else:
        qs = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION, federation=None)
    asked = registration.attempts.filter(outcome__in=ASKED_FOR_GOOD).values("organisation_id")
    return qs.exclude(pk__in=asked)


# An association with one of these attempts is not asked again for the request.
ASKED_FOR_GOOD = [AttemptOutcome.PENDING, AttemptOutcome.ACCEPTED, AttemptOutcome.DECLINED]


def route_to(registration, organisation, *, acting_user, federation):
    """The queue's owner (a federation, or an association of an instance without one) sends
    a queued request to an association (``queue_targets``)."""
    owner = federation
    with transaction.atomic():
        registration = _lock(registration)
        if not owns_queue_of(owner, registration):
            raise ValidationError(_("This request is not in your queue."))
        if registration.state != RegistrationState.QUEUED:
            raise ValidationError(_("This request is not waiting in the queue any more."))
        if not queue_targets(owner, registration).filter(pk=organisation.pk).exists():
            if owner.kind == OrganisationKind.FEDERATION and organisation.federation_id != owner.pk:
                raise ValidationError(_("This association is not a member of your federation."))
            raise ValidationError(_("This association has already been asked."))
        if owner.kind == OrganisationKind.FEDERATION:
            reason = _("sent by the federation team")
        else:
            reason = _("sent from the queue by %(org)s") % {"org": owner.name}
        return _send_to(
            registration,
            organisation,
            offer=None,
            reason=reason,
            score=0,
            acting_user=acting_user,
            now=timezone.now(),
        )


# --- the association's answer --------------------------------------------------------------------


def _pending_attempt(registration, organisation):
    attempt = (
        registration.attempts.select_for_update()
        .filter(organisation=organisation, outcome=AttemptOutcome.PENDING)
        .first()
    )
    if registration.state != RegistrationState.ROUTED or attempt is None:
        raise ValidationError(
            _("This request has already been answered (perhaps by a colleague just now)."),
            code="already_answered",
        )
    return attempt


def accept(registration, *, organisation, acting_user, programme=None):
    """The association takes the request in charge: identity revealed (logged), candidate
    created in its pipeline with the registration's data, registrant told who has it."""
    with transaction.atomic():
        registration = _lock(registration)
        attempt = _pending_attempt(registration, organisation)
        if programme is None and registration.offer is not None:
            programme = registration.offer.programme
        if programme is not None and programme.organisation_id != organisation.pk:
            raise ValidationError(_("This programme is not one of your association's."))
        now = timezone.now()
        attempt.outcome = AttemptOutcome.ACCEPTED
        attempt.answered_at = now
        attempt.answered_by = acting_user
        attempt.save(update_fields=["outcome", "answered_at", "answered_by"])
        fields = {"accepted_at": now}
        if registration.kind != RegistrationKind.COMPANY:
            if programme is None:
                raise ValidationError(_("Choose the programme that takes this request."))
            person = _create_candidate(registration, programme, acting_user=acting_user)
            fields[registration.side] = person
            if registration.side == "mentee":
                # The agreements given on the form follow the mentee (GDPR records).
                registration.consents.update(mentee=person)
        _transition(
            registration,
            RegistrationState.ACCEPTED,
            acting_user=acting_user,
            fields=fields,
            organisation=organisation,
        )
        log_activity(
            registration,
            "identity_revealed",
            acting_user=acting_user,
            organisation=organisation,
            attempt=attempt.pk,
        )
        _forget_repeat(registration)  # the identity is the association's now
        _email_registrant(registration, "accepted")
    return registration


def _create_candidate(registration, programme, *, acting_user):
    common = {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "phone": registration.phone,
        "birth_year": registration.birth_year,
        "place": registration.place,
        "motivation": registration.need,
        "recruitment_channel": RecruitmentChannel.PLATFORM,
    }
    if registration.side == "mentor":
        return people_services.create_person(
            Mentor, programme, acting_user=acting_user, employer=registration.employer, **common
        )
    referrer = ""
    if registration.kind == RegistrationKind.REFERRAL:
        referrer = ", ".join(
            p for p in (registration.referrer_name, registration.referrer_structure) if p
        )[:200]
    return people_services.create_person(
        Mentee,
        programme,
        acting_user=acting_user,
        situation=registration.situation if registration.situation else "",
        referrer_name=referrer,
        **common,
    )


def decline(registration, *, organisation, acting_user, reason, note=""):
    """The association declines (reason from a list): it loses the card and the request goes
    to the next eligible association, or to the federation's queue."""
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason."), code="reason_required")
    with transaction.atomic():
        registration = _lock(registration)
        attempt = _pending_attempt(registration, organisation)
        attempt.outcome = AttemptOutcome.DECLINED
        attempt.answered_at = timezone.now()
        attempt.answered_by = acting_user
        attempt.decline_reason = reason
        attempt.decline_note = note[:300]
        attempt.save(
            update_fields=[
                "outcome",
                "answered_at",
                "answered_by",
                "decline_reason",
                "decline_note",
            ]
        )
        _back_to_routing(
            registration,
            acting_user=acting_user,
            reason=_("declined: %(r)s") % {"r": DeclineReason(reason).label},
            organisation=organisation,
        )
        return route_registration(registration, acting_user=acting_user)


def _back_to_routing(registration, *, acting_user, reason, organisation):
    _transition(
        registration,
        RegistrationState.RECEIVED,
        acting_user=acting_user,
        reason=reason,
        fields={"organisation": None, "offer": None},
        organisation=organisation,
    )


def time_out(attempt, *, now=None):
    """No answer within the limit: the request moves on to the next association."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock(attempt.registration)
        attempt = RoutingAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.outcome != AttemptOutcome.PENDING:
            return registration
        attempt.outcome = AttemptOutcome.TIMED_OUT
        attempt.answered_at = now
        attempt.save(update_fields=["outcome", "answered_at"])
        days = answer_days()
        _back_to_routing(
            registration,
            acting_user=None,
            reason=ngettext("no answer within %(n)s day", "no answer within %(n)s days", days)
            % {"n": days},
            organisation=attempt.organisation,
        )
        return route_registration(registration, now=now)


def record_first_contact(registration, *, organisation, acting_user):
    with transaction.atomic():
        registration = _lock(registration)
        if registration.organisation_id != organisation.pk:
            raise ValidationError(_("This request is not yours."))
        _transition(
            registration,
            RegistrationState.CONTACTED,
            acting_user=acting_user,
            fields={"contacted_at": timezone.now()},
            organisation=organisation,
        )
        _email_registrant(registration, "contacted")
    return registration


def close_from_queue(registration, *, federation, acting_user, reason):
    """The queue's owner (``federation``: a federation, or an association without one) closes
    a request nobody can take; the registrant is told."""
    if not reason.strip():
        raise ValidationError(_("Please give a reason."), code="reason_required")
    with transaction.atomic():
        registration = _lock(registration)
        if not owns_queue_of(federation, registration):
            raise ValidationError(_("This request is not in your queue."))
        _transition(
            registration,
            RegistrationState.CLOSED,
            acting_user=acting_user,
            reason=reason,
            organisation=federation,
        )
        _forget_repeat(registration)
        _email_registrant(registration, "closed")
    return registration


# --- the registrant's own actions (from the status link) -----------------------------------------


def withdraw(registration, *, reason=""):
    """The registrant withdraws (from the status link): the association's card goes, and a
    candidate created on acceptance leaves the programme through
    ``pairs.services.withdraw_person`` (their pairs not yet started are cancelled, an active
    one is closed, the other person told). A candidate who already left is left alone."""
    with transaction.atomic():
        registration = _lock(registration)
        registration.attempts.filter(outcome=AttemptOutcome.PENDING).update(
            outcome=AttemptOutcome.CANCELLED, answered_at=timezone.now()
        )
        _transition(
            registration,
            RegistrationState.WITHDRAWN,
            acting_user=None,
            reason=reason[:500],
            organisation=registration.organisation
            or registration.queue_owner
            or registration.federation,
        )
        person = registration.mentee or registration.mentor
        if person is not None:
            withdrawn = MenteeState.WITHDRAWN if registration.mentee else MentorState.WITHDRAWN
            if withdrawn in people_services.allowed_transitions(person):
                pairs_services.withdraw_person(
                    person,
                    acting_user=None,
                    reason=reason.strip()[:500] or _("withdrawn by the registrant"),
                )
        _forget_repeat(registration)
        _email_registrant(registration, "withdrawn")
    return registration


def correct(registration, *, data):
    """The registrant corrects their data while nobody has their identity yet."""
    with transaction.atomic():
        registration = _lock(registration)
        if registration.state not in CORRECTABLE_STATES:
            raise ValidationError(
                _("Your request has been taken in charge: please contact the association."),
                code="not_correctable",
            )
        changed = []
        for name, value in data.items():
            if name in INTAKE_FIELDS and getattr(registration, name) != value:
                setattr(registration, name, value)
                changed.append(name)
        if not changed:
            return registration
        registration.need_redacted = _redacted_need(registration)
        registration.save(update_fields=[*changed, "need_redacted", "updated_at"])
        log_activity(
            registration,
            "corrected",
            acting_user=None,
            organisation=registration.federation,
            fields=sorted(changed),
        )
        _email_registrant(registration, "corrected")
    return registration


def log_identity_view(registration, *, acting_user, organisation):
    log_activity(registration, "viewed", acting_user=acting_user, organisation=organisation)


SUPPORT_VERB = "identity_viewed_for_support"
SUPPORT_NOTE_MAX = 300


def reveal_for_support(registration, *, federation, acting_user, purpose, note=""):
    """Federation staff open a registrant's identity for a stated support purpose (REQ-FED-04).

    Checks that the request belongs to ``federation`` and that ``acting_user`` edits for it,
    then writes one append-only ``ActivityLog`` row (``identity_viewed_for_support``: the
    purpose and the note, with any contact detail or name of the registrant masked). Returns
    the registration; the caller shows its identity for this response only.
    """
    if federation.pk not in (registration.federation_id, registration.queue_owner_id):
        raise PermissionDenied("This request is not in this federation.")
    is_editor = (
        acting_user is not None
        and acting_user.is_authenticated
        and Membership.objects.filter(
            user=acting_user, organisation=federation, is_active=True, role__in=EDITOR_ROLES
        ).exists()
    )
    if not is_editor:
        raise PermissionDenied("Only the federation's editors may open an identity.")
    if purpose not in SupportPurpose.values:
        raise ValidationError(_("Choose the purpose of this access."), code="purpose")
    note = " ".join((note or "").split())
    if purpose == SupportPurpose.OTHER and not note:
        raise ValidationError(_("Say in a few words why you need the identity."), code="note")
    if len(note) > SUPPORT_NOTE_MAX:
        raise ValidationError(
            _("Keep the note to %(max)d characters or fewer.") % {"max": SUPPORT_NOTE_MAX},
            code="note",
        )
    names = _names(registration)
    log_activity(
        registration,
        SUPPORT_VERB,
        acting_user=acting_user,
        organisation=federation,
        purpose=str(purpose),
        note=redact(note, names),
    )
    return registration


# --- SLA ----------------------------------------------------------------------------------------


def send_reminders(*, now=None):
    """Day-3 and day-6 reminders to the association, and the N-day timeout (idempotent)."""
    now = now or timezone.now()
    first, second = reminder_days()
    counts = {"reminded": 0, "timed_out": 0}
    pending = RoutingAttempt.objects.pending().select_related("registration", "organisation")
    for attempt in pending.filter(routed_at__lte=now - datetime.timedelta(days=first)):
        age = now - attempt.routed_at
        if age >= datetime.timedelta(days=answer_days()):
            time_out(attempt, now=now)
            counts["timed_out"] += 1
            continue
        wanted = 2 if age >= datetime.timedelta(days=second) else 1
        if attempt.reminders_sent >= wanted:
            continue
        with transaction.atomic():
            updated = RoutingAttempt.objects.filter(
                pk=attempt.pk, outcome=AttemptOutcome.PENDING, reminders_sent__lt=wanted
            ).update(reminders_sent=wanted)
            if updated:
                _email_association(attempt, "reminder", days_waiting=age.days)
                log_activity(
                    attempt.registration,
                    "reminder_sent",
                    acting_user=None,
                    organisation=attempt.organisation,
                    number=wanted,
                )
                counts["reminded"] += 1
    return counts


# --- batch routing -------------------------------------------------------------------------------

STATUS_URL_MARK = "@@binome-status-url@@"


@dataclass
class BatchReport:
    """What ``route_pending_batch`` did, and how long each phase took (seconds)."""

    waiting: int = 0
    routed: int = 0
    queued: int = 0
    groups: int = 0
    arcs: int = 0
    emails: int = 0
    load_seconds: float = 0.0
    solve_seconds: float = 0.0
    write_seconds: float = 0.0
    # Where the write goes: requests (UPDATE), log rows (attempts, transitions, activity),
    # e-mails (render + insert), commit (deferred foreign-key checks on PostgreSQL).
    write_parts: dict = field(default_factory=dict)

    @property
    def total_seconds(self):
        return self.load_seconds + self.solve_seconds + self.write_seconds


def _render_email(template, context, language=None):
    """Subject and body as ``notifications.services.queue_email`` renders them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}/subject.txt", context).split())
        body = render_to_string(f"{template}/body.txt", context)
    return subject[:255], body


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


WAITING_FIELDS = (
    "pk",
    "public_id",
    "kind",
    "side",
    "language",
    "federation_id",
    "routed_at",
    "created_at",
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
        .annotate(publics_text=Cast("publics", TextField()), kinds_text=Cast("kinds", TextField()))
        .values_list(*columns, "publics_text", "kinds_text")
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    tz = timezone.get_current_timezone()
    lists = {}

    def as_list(text):
        found = lists.get(text)
        if found is None:
            found = lists[text] = tuple(json.loads(text)) if text else ()
        return found

    referral = RegistrationKind.REFERRAL
    rows = []
    for pk, public_id, kind, side, language, federation_id, routed_at, created_at, *rest in qs:
        birth_year, place, situation, email, referrer_email, publics, kinds = rest
        age = None
        if birth_year:
            # As ``Registration.age``: the local year the request was made (the same as the
            # UTC year but around New Year).
            year = created_at.year
            if created_at.month in (1, 12):
                year = timezone.localtime(created_at, tz).year
            age = year - birth_year
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
                created_at,
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


def route_pending_batch(*, acting_user=None, now=None):
    """Route every received request at once (same selection as ``route_pending``).

    Same end state as ``route_registration`` for each request — state, association, offer,
    reason, attempt, transition, activity log, e-mails — but read in a constant number of
    queries, solved as one transportation problem (``routing.solve_batch``: maximum number
    routed, then best total score, places never exceeded) and written in bulk in one
    transaction. Differences: the reason shows the places left when the batch started;
    e-mails are left queued in the outbox for ``manage.py send_queued_emails`` (no task per
    e-mail). Idempotent: only "received" rows are read (locked) and updated.
    """
    now = now or timezone.now()
    report = BatchReport()
    user = acting_user if acting_user and acting_user.is_authenticated else None
    clock = time.perf_counter()
    with transaction.atomic():
        waiting = _waiting_for_routing()
        report.waiting = len(waiting)
        if not waiting:
            report.load_seconds = time.perf_counter() - clock
            return report
        asked = {}
        rows = RoutingAttempt.objects.filter(registration__state=RegistrationState.RECEIVED)
        for registration_id, organisation_id in rows.values_list(
            "registration_id", "organisation_id"
        ):
            asked.setdefault(registration_id, set()).add(organisation_id)
        if connection.features.has_select_for_update:
            # Places are counted under the offers' locks, as ``route_registration`` does.
            list(_open_offers(now).select_for_update(of=("self",)).values_list("pk", flat=True))
        offers = list(
            _with_places(_open_offers(now)).annotate(
                federation_id=F("programme__organisation__federation_id")
            )
        )
        specs = _offer_specs(offers, now)
        offer_federation = {o.pk: o.federation_id for o in offers}
        only = None
        if any(r.federation_id is None for r in waiting):
            only = _only_association()
        place_of, sets = {}, {}

        def spec_for(registration):
            # As ``request_spec``, with the place resolved once per place and the sets shared.
            found = place_of.get(registration.place)
            if found is None:
                found = place_of[registration.place] = place_point(registration.place)
            publics = sets.get(registration.publics)
            if publics is None:
                publics = sets[registration.publics] = frozenset(registration.publics)
            kinds = sets.get(registration.kinds)
            if kinds is None:
                kinds = sets[registration.kinds] = frozenset(registration.kinds)
            return routing.RequestSpec(
                side=registration.side,
                place_key=registration.place,
                department=found[0],
                lat=found[1],
                lon=found[2],
                age=registration.age,
                situation=registration.situation,
                publics=publics,
                kinds=kinds,
                excluded_organisations=frozenset(asked.get(registration.pk, ())),
            )

        by_federation = {}
        for registration in waiting:
            by_federation.setdefault(registration.federation_id, []).append(registration)
        report.load_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        remaining = {s.id: s.remaining for s in specs}
        routed = []  # (registration, organisation id, offer id or None, reason, score)
        queued = []  # (registration, queue owner id or None)
        owners = QueueOwners()
        # Federations one after the other (usually one); places taken are carried over.
        for federation_id in sorted(by_federation, key=lambda f: (f is None, f or 0)):
            members = by_federation[federation_id]
            candidates = [
                replace(s, remaining=remaining[s.id])
                for s in specs
                if federation_id is None or offer_federation[s.id] == federation_id
            ]
            by_id = {s.id: s for s in candidates}
            rank_count = {}
            for s in candidates:
                rank_count[s.side] = rank_count.get(s.side, 0) + 1
            requests = [spec_for(r) for r in members]
            choice_cache, reasons = {}, {}  # per federation: scores use its places left
            result = routing.solve_batch(requests, candidates)
            report.groups += result.groups
            report.arcs += result.arcs
            for registration, request, offer_id in zip(
                members, requests, result.assignments, strict=True
            ):
                if offer_id is None:
                    excluded = asked.get(registration.pk, ())
                    if federation_id is None and only is not None and only.pk not in excluded:
                        reason = _only_association_reason()
                        routed.append((registration, only.pk, None, reason, 0))
                    else:
                        owner = owners(
                            federation_id, registration.side, registration.place, excluded
                        )
                        queued.append((registration, owner))
                    continue
                remaining[offer_id] -= 1
                # The score depends on the offer, the place, the publics and the kinds only.
                key = (offer_id, request.place_key, request.publics, request.kinds)
                described = choice_cache.get(key)
                if described is None:
                    choice = routing.rank([by_id[offer_id]], request)[0]
                    reason_key = (offer_id, choice.territory, choice.shared_publics)
                    reason_key += (choice.kind_match,)
                    reason = reasons.get(reason_key)
                    if reason is None:
                        reason = describe_choice(choice, rank_count=rank_count[request.side])
                        reasons[reason_key] = reason
                    described = choice_cache[key] = (reason, choice.score)
                offer = by_id[offer_id]
                routed.append((registration, offer.organisation_id, offer_id, *described))
        report.routed, report.queued = len(routed), len(queued)
        report.solve_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        report.emails = _write_batch(routed, queued, user=user, now=now, parts=report.write_parts)
        commit = time.perf_counter()
    report.write_parts["commit"] = time.perf_counter() - commit
    # The commit (deferred foreign-key checks on PostgreSQL) is part of the write.
    report.write_seconds = time.perf_counter() - clock
    return report


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
