"""Routing one request: to the best eligible association, else to a queue and its owner."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.organisations.enums import OrganisationKind
from binome.organisations.models import Organisation
from binome.registrations import routing
from binome.registrations.enums import AttemptOutcome, RegistrationState
from binome.registrations.models import Offer, Registration, RoutingAttempt
from binome.registrations.services.emails import _email_association, _email_registrant
from binome.registrations.services.specs import (
    candidate_offers,
    describe_choice,
    offer_spec,
    place_point,
    request_spec,
)
from binome.registrations.services.transitions import _lock, _transition


def routing_root():
    """The federation owning the public queue, or None on a single-organisation instance.

    ``BINOME_ROUTING_FEDERATION`` (a slug) picks one when several federations exist."""
    slug = getattr(settings, "BINOME_ROUTING_FEDERATION", "")
    federations = Organisation.objects.filter(kind=OrganisationKind.FEDERATION)
    if slug:
        return federations.filter(slug=slug).first()
    found = list(federations[:2])
    return found[0] if len(found) == 1 else None


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


def routed_fields(routed_at, organisation, offer, reason, now):
    """What a request sent to an association holds (both paths: ids or instances)."""
    return {
        "organisation": organisation,
        "offer": offer,
        "routing_reason": reason,
        "routed_at": routed_at or now,
    }


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
        fields=routed_fields(registration.routed_at, organisation, offer, reason, now),
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
