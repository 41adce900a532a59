from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.organisations.models import Organisation
from binome.people.enums import STATES_NEEDING_REASON, InterviewDecision
from binome.people.models import Mentee, Mentor
from binome.people.vocab import Expectation, Function, Hobby, Language, Sector, Support
from binome.programmes.models import Programme
from binome.www.fields import PlaceField, checkboxes
from binome.www.staff.forms import CHOOSE, DateInput, choose


class PersonForm(forms.ModelForm):
    """Profile of a mentor or mentee candidate, with the matching attributes."""

    place = PlaceField(label=_("Town or postcode"), required=False)
    sectors = checkboxes(Sector.choices, _("Sectors"))
    functions = checkboxes(Function.choices, _("Job functions"))
    languages = checkboxes(Language.choices, _("Languages spoken"))
    mother_tongue = forms.ChoiceField(
        label=_("Mother tongue"), choices=[("", "—"), *Language.choices], required=False
    )
    hobbies = checkboxes(Hobby.choices, _("Hobbies and interests"))
    expectations = checkboxes(Expectation.choices, _("Expectations"))
    support = checkboxes(Support.choices, _("Kinds of support"))

    common_fields = [
        "programme",
        "first_name",
        "last_name",
        "email",
        "phone",
        "birth_year",
        "place",
        "max_km",
        "remote_ok",
        "sectors",
        "functions",
        "languages",
        "mother_tongue",
        "hobbies",
        "expectations",
        "support",
        "recruitment_channel",
        "motivation",
        "notes",
    ]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_organisation(organisation)
        self.fields["programme"].empty_label = CHOOSE
        if self.instance.pk:
            # Moving a person between programmes would orphan their pipeline history.
            self.fields["programme"].disabled = True


class MentorForm(PersonForm):
    class Meta:
        model = Mentor
        fields = [
            *PersonForm.common_fields,
            "employer",
            "job_title",
            "skills_sponsorship",
            "capacity",
        ]


class MenteeForm(PersonForm):
    class Meta:
        model = Mentee
        fields = [*PersonForm.common_fields, "situation", "referred_by", "referrer_name"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["referred_by"].queryset = referring_partners(
            organisation, keep=self.instance.referred_by_id
        )
        self.fields["referred_by"].empty_label = _("No referring partner")


def referring_partners(organisation, *, keep=None):
    """The organisations that may refer mentees to ``organisation``: those its partner members
    represent, and those that already referred its mentees (plus ``keep``, the current value),
    never the whole instance."""
    linked = Q(
        partner_memberships__organisation=organisation, partner_memberships__is_active=True
    ) | Q(referred_mentees__programme__organisation=organisation)
    if keep:
        linked |= Q(pk=keep)
    ids = Organisation.objects.filter(linked).exclude(pk=organisation.pk).values("pk")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New step"))
    reason = forms.CharField(
        label=_("Reason or comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices, rematch=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rematch = rematch
        self.fields["to_state"].choices = choose(
            (c.value, _("Match again") if rematch and c == "ready" else c.label) for c in choices
        )

    def clean(self):
        data = super().clean()
        needs_reason = data.get("to_state") in STATES_NEEDING_REASON or self.rematch
        if needs_reason and not data.get("reason", "").strip():
            self.add_error("reason", _("Please give a reason."))
        return data


class InterviewForm(forms.Form):
    """The programme's grid: one yes/no + comment per criterion, then the decision."""

    held_on = forms.DateField(label=_("Date of the interview"), widget=DateInput())
    decision = forms.ChoiceField(
        label=_("Decision"), choices=InterviewDecision.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["held_on"].initial = timezone.localdate()
        for c in self.criteria:
            self.fields[f"met_{c.pk}"] = forms.TypedChoiceField(
                label=c.label,
                choices=[("yes", _("Met")), ("no", _("Not met"))],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=300
            )

    def grid_rows(self):
        return [(c, self[f"met_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The interview cannot be in the future."))
        return held_on

    def answers(self):
        return {
            c: (self.cleaned_data[f"met_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }
