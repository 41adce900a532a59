"""Form fields shared by the staff and public areas."""

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.geo import places


def checkboxes(choices, label, help_text=""):
    """An optional multiple choice shown as checkboxes (works without JavaScript)."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class PlaceInput(forms.TextInput):
    """Shows a stored place key as its label; the browser suggests names (datalist)."""

    def format_value(self, value):
        if value and (place := places.resolve(value)):
            return place.label
        return super().format_value(value)


class PlaceField(forms.CharField):
    """A commune or postcode picked by name or code; cleans to a place key (never coordinates)."""

    widget = PlaceInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text", _("Type the name of the town or its postcode, then pick it in the list.")
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"list": "place-options", "autocomplete": "off", "data-binome-places": "1"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return resolve_place_text(value)


def resolve_place_text(text):
    """Turn what a person typed (a key, a label, a name, a postcode) into one place key."""
    text = text.strip()
    if places.resolve(text):
        return text
    if text.isdigit() and len(text) == 5 and places.resolve(f"fr-postcode:{text}"):
        return f"fr-postcode:{text}"
    if text.isdigit() and len(text) == 4 and places.resolve(f"be-postcode:{text}"):
        return f"be-postcode:{text}"
    found = places.search(text, limit=10)
    exact = [p for p in found if p.label.casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0].key
    named = [p for p in found if p.name.casefold() == text.casefold()]
    if len(named) == 1:
        return named[0].key
    if not found:
        raise forms.ValidationError(
            _("We do not know this town or postcode. Check the spelling, or type the postcode."),
            code="unknown_place",
        )
    raise forms.ValidationError(
        _("Several places match “%(text)s”: pick one in the list, or type the postcode."),
        code="ambiguous_place",
        params={"text": text},
    )
