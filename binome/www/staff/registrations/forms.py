"""Forms of the staff registration pages: the association's answer (accept, decline), the
federation's routing and support access, and the declarations (offers)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.organisations.enums import OrganisationKind
from binome.organisations.models import Organisation
from binome.people.vocab import Situation
from binome.programmes.enums import MentoringKind
from binome.programmes.models import Programme
from binome.registrations import services
from binome.registrations.enums import DeclineReason, PriorityPublic, SupportPurpose
from binome.registrations.models import Offer
from binome.www.fields import checkboxes, resolve_place_text
from binome.www.staff.forms import CHOOSE, DateInput
from binome.www.staff.registrations.presenters import place_label

# --- the association's answer --------------------------------------------------------------------


class AcceptForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme that takes the request"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )

    def __init__(self, *args, organisation, attempt, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        field.queryset = Programme.objects.for_organisation(organisation).active()
        if attempt.offer_id:
            field.initial = attempt.offer.programme_id
        if attempt.registration.kind != "company":
            field.required = True
            field.error_messages["required"] = _("Choose the programme that takes this request.")


class DeclineForm(forms.Form):
    """The one decline form of registrations (the pairs have theirs, with their own reasons)."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Details (optional, no personal data)"), required=False, max_length=300
    )


# --- the queue's owner (federation, or an association without one) ------------------------------


class RouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Member association"),
        queryset=Organisation.objects.none(),
        empty_label=CHOOSE,
    )

    def __init__(self, *args, federation, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.queue_targets(federation, registration)
        if federation.kind != OrganisationKind.FEDERATION:
            self.fields["organisation"].label = gettext_lazy("Association")


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (no personal data)"), max_length=300)


class SupportAccessForm(forms.Form):
    purpose = forms.ChoiceField(
        label=gettext_lazy("Why do you need the identity?"),
        choices=SupportPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the purpose of this access.")},
    )
    note = forms.CharField(
        label=gettext_lazy('Details, required for "Other" (a few words, no personal data)'),
        required=False,
        max_length=services.SUPPORT_NOTE_MAX,
    )

    # The rules (a note for "Other") live in ``services.reveal_for_support``; its errors come
    # back on the field they name.


# --- declarations (offers) -----------------------------------------------------------------------


def _codes(text):
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


class OfferForm(forms.ModelForm):
    departments = forms.CharField(
        label=gettext_lazy("Départements"),
        required=False,
        help_text=gettext_lazy("Codes separated by commas, for example 59, 62. Empty: none."),
    )
    communes = forms.CharField(
        label=gettext_lazy("Towns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Postcodes or names separated by semicolons."),
    )
    radius_places = forms.CharField(
        label=gettext_lazy("Centres of a radius"),
        required=False,
        help_text=gettext_lazy(
            "Postcodes or names separated by semicolons, with the radius below."
        ),
    )
    situations = checkboxes(Situation.choices, gettext_lazy("Situations (none ticked: all)"))
    publics = checkboxes(PriorityPublic.choices, gettext_lazy("Priority publics"))
    kinds = checkboxes(MentoringKind.choices, gettext_lazy("Kinds of mentoring (none ticked: all)"))

    class Meta:
        model = Offer
        fields = [
            "programme",
            "side",
            "departments",
            "communes",
            "radius_places",
            "radius_km",
            "age_min",
            "age_max",
            "situations",
            "publics",
            "publics_only",
            "kinds",
            "capacity",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_organisation(organisation)
        self.fields["programme"].empty_label = CHOOSE
        # The lists are typed as text: a new declaration starts empty (not "[]").
        offer = self.instance
        self.initial["departments"] = ", ".join(offer.departments or [])
        self.initial["communes"] = "; ".join(place_label(k) or k for k in offer.communes or [])
        self.initial["radius_places"] = "; ".join(
            place_label(k) or k for k in offer.radius_places or []
        )

    def _places(self, name):
        keys = []
        for text in self.cleaned_data[name].split(";"):
            if text.strip():
                try:
                    keys.append(resolve_place_text(text))
                except forms.ValidationError as exc:
                    raise forms.ValidationError(exc.messages) from exc
        return keys

    def clean_departments(self):
        return _codes(self.cleaned_data["departments"])

    def clean_communes(self):
        return self._places("communes")

    def clean_radius_places(self):
        return self._places("radius_places")
