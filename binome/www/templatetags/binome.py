from django import template

from binome.geo import places
from binome.people import vocab

register = template.Library()

VOCABULARIES = {
    "sector": vocab.Sector,
    "function": vocab.Function,
    "language": vocab.Language,
    "hobby": vocab.Hobby,
    "expectation": vocab.Expectation,
    "support": vocab.Support,
}


@register.filter
def place_label(key):
    """The human label of a stored place key (``fr-commune:59350`` → ``Lille (59000)``)."""
    if not key:
        return "—"
    place = places.resolve(key)
    return place.label if place else key


@register.filter
def vocab(codes, name):
    """Labels of vocabulary codes, comma-separated (one code or a list)."""
    labels = dict(VOCABULARIES[name].choices)
    if isinstance(codes, str):
        return labels.get(codes, codes)
    return ", ".join(str(labels.get(c, c)) for c in codes or [])
