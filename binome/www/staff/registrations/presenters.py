"""What the staff registration pages show of a request or a declaration: the semi-anonymised
card (no identity, no contact details), a coarse place, an offer's territory."""

from django.utils import timezone

from binome.geo import places
from binome.people.vocab import Situation
from binome.programmes.enums import MentoringKind
from binome.registrations.enums import PriorityPublic

SITUATIONS = dict(Situation.choices)
KINDS = dict(MentoringKind.choices)
PUBLICS = dict(PriorityPublic.choices)


def place_label(key, *, coarse=True):
    """The town (and its département) of a place key; never more precise than a town."""
    place = places.resolve(key) if key else None
    if place is None:
        return ""
    return place.label if coarse else place.name


def card(registration, now=None):
    """What an association may see before accepting: no identity, no contact details."""
    now = now or timezone.now()
    return {
        "pk": registration.pk,
        "kind": registration.get_kind_display(),
        "age_band": registration.age_band,
        "situation": SITUATIONS.get(registration.situation, ""),
        "place": place_label(registration.place),
        "kinds": [KINDS.get(k, k) for k in registration.kinds],
        "publics": [PUBLICS.get(p, p) for p in registration.publics],
        "need": registration.need_redacted,
        "waiting_days": (now - registration.created_at).days,
    }


def card_rows(registrations, now=None):
    """One row per request of a list page: the request and its card."""
    now = now or timezone.now()
    return [{"registration": r, "card": card(r, now)} for r in registrations]


def offer_territory(offer):
    """Départements, towns, then the radius and its centres, on one line."""
    parts = [*offer.departments, *(place_label(k) for k in offer.communes)]
    if offer.radius_places:
        centres = ", ".join(place_label(k) for k in offer.radius_places)
        parts.append(f"{offer.radius_km} km: {centres}")
    return ", ".join(parts)


def offer_row(offer):
    """A declaration in the list: ``offer.held`` is annotated (places held by attempts)."""
    return {
        "offer": offer,
        "territory": offer_territory(offer),
        "kinds": [KINDS.get(k, k) for k in offer.kinds],
        "left": max(offer.capacity - offer.held, 0),
    }
