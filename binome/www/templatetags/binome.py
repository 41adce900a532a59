import re

from django import template

from binome.geo import places
from binome.people import vocab

register = template.Library()
_FORMSET_PREFIX = re.compile(r"-(\d+|__prefix__)$")

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


def _error_ids(field):
    return [f"{field.auto_id}_error" + (f"_{n}" if n else "") for n in range(len(field.errors))]


@register.filter
def describedby(field):
    """Ids of the field's help text and error paragraphs (see components/field.html)."""
    if not field.auto_id:
        return ""
    return " ".join(([f"{field.auto_id}_helptext"] if field.help_text else []) + _error_ids(field))


@register.filter
def described(field):
    """The field's widget tied to its help text and to each of its errors (screen readers
    read them with the input)."""
    ids = describedby(field)
    return field.as_widget(attrs={"aria-describedby": ids} if ids else None)


@register.filter
def errors_with_ids(field):
    """(message, id) of each error of the field."""
    return list(zip(field.errors, _error_ids(field), strict=True))


@register.filter
def error_summary(form):
    """What the summary at the top of a form lists: each non-field error, then each field
    error with the id of the input it links to."""
    if not form.errors or _FORMSET_PREFIX.search(form.prefix or ""):
        return []  # a formset's form: its errors show on its fields
    items = [{"target": "", "label": "", "message": e} for e in form.non_field_errors()]
    for field in form.hidden_fields():
        items += [{"target": "", "label": field.label, "message": e} for e in field.errors]
    for field in form.visible_fields():
        target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        items += [{"target": target, "label": field.label, "message": e} for e in field.errors]
    return items
