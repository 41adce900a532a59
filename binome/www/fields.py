"""Form fields shared by the staff and public areas."""

from django import forms
from django.urls import reverse_lazy
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
    """A town or postcode: a text box that suggests places as one types (binome.js turns it
    into a combobox fed by the search view); a stored key shows as its label. When the text
    names several places, the candidates follow as radio buttons under the same name: the
    chosen key wins over the text it belongs to (no JavaScript needed, nothing typed is lost).
    """

    template_name = "components/place_input.html"

    def format_value(self, value):
        if value and (place := places.resolve(value)):
            return place.label
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [v for v in values if isinstance(v, str)]
        if not values:
            return None
        text, chosen = values[0], values[1:]
        if chosen and places.pick(text) is None:
            offered = {p.key for p in places.candidates(text)}
            for key in chosen:
                if key in offered:
                    return key
        return text

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = value if isinstance(value, str) else ""
        choices = []
        if text.strip() and places.pick(text) is None:
            base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
            choices = [
                {"key": p.key, "label": p.label, "id": f"{base_id}_choice_{i}"}
                for i, p in enumerate(places.candidates(text))
            ]
        context["widget"]["place_choices"] = choices
        context["widget"]["typed"] = text.strip()
        return context


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
        attrs.update(
            {
                "autocomplete": "off",
                "data-binome-places": reverse_lazy("place_search"),  # binome.js: combobox
                "data-suggestions-count": _("%s suggestions: use the arrow keys to choose."),
            }
        )
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return resolve_place_text(value, choices_shown=True)


def resolve_place_text(text, *, choices_shown=False):
    """Turn what a person typed or picked (a key, a label from the suggestion list, a name,
    a postcode) into one place key. `choices_shown`: the form shows the candidates of an
    ambiguous name as choices (PlaceInput), and the error says so."""
    place = places.pick(text)
    if place is not None:
        return place.key
    if not places.candidates(text):
        raise forms.ValidationError(
            _("We do not know this town or postcode. Check the spelling, or type the postcode."),
            code="unknown_place",
        )
    if choices_shown:
        message = _("Several places match “%(text)s”: choose yours below.")
    else:
        message = _("Several places match “%(text)s”: pick one in the list, or type the postcode.")
    raise forms.ValidationError(message, code="ambiguous_place", params={"text": text.strip()})
