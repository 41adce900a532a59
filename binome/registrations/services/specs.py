"""Rows → the routing solver's input (``routing.OfferSpec``, ``routing.RequestSpec``) and
the routing reason shown to staff."""

import datetime

from django.db.models import Avg, F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.geo import places
from binome.organisations.enums import OrganisationKind
from binome.registrations import routing
from binome.registrations.enums import AttemptOutcome, PriorityPublic
from binome.registrations.models import Offer, RoutingAttempt


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
