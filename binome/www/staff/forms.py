from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.organisations.models import Organisation
from binome.pairs.enums import (
    ClosureType,
    DeclineReason,
    ExitReason,
    FirstMeetingItem,
    Outcome,
    Signatory,
)
from binome.people.enums import STATES_NEEDING_REASON, InterviewDecision, SessionKind
from binome.people.models import Mentee, Mentor, Session
from binome.people.vocab import Expectation, Function, Hobby, Language, Sector, Support
from binome.programmes.enums import MentoringKind
from binome.programmes.models import Programme
from binome.www.fields import PlaceField, checkboxes

# Nothing is ever chosen for the staff: every list starts on this empty, required option.
CHOOSE = _("Choose…")


def choose(choices):
    return [("", CHOOSE), *choices]


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


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


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["programme", "kind", "starts_at", "duration_minutes", "location"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_organisation(organisation)
        self.fields["programme"].empty_label = CHOOSE
        self.fields["kind"].choices = choose(SessionKind.choices)


class AttendanceForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Who took part"),
        queryset=Mentor.objects.none(),
        required=True,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = queryset


class PairCreateForm(forms.Form):
    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=Mentee.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.none())
    note = forms.CharField(
        label=_("Why this pair"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, mentors, mentees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].empty_label = self.fields["mentee"].empty_label = CHOOSE
        self.fields["mentor"].label_from_instance = lambda m: f"{m.full_name} — {m.programme}"
        self.fields["mentee"].label_from_instance = lambda m: f"{m.full_name} — {m.programme}"


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=choose(DeclineReason.choices))
    note = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == DeclineReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Please say why."))
        return data


class FirstMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the first meeting"), widget=DateInput())
    checklist = checkboxes(FirstMeetingItem.choices, _("Points covered"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignatureForm(forms.Form):
    signatory = forms.ChoiceField(
        label=_("Who signed"), choices=Signatory.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, missing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory"].choices = [(s.value, s.label) for s in missing]


class ActivateForm(forms.Form):
    started_on = forms.DateField(label=_("Start date"), widget=DateInput())


class CloseForm(forms.Form):
    """Nothing pre-selected: the staff state the kind, the reason and the situation."""

    closure_type = forms.ChoiceField(
        label=_("Kind of closure"), choices=ClosureType.choices, widget=forms.RadioSelect
    )
    exit_reason = forms.ChoiceField(label=_("Reason"), choices=choose(ExitReason.choices))
    outcome = forms.ChoiceField(
        label=_("Mentee's situation at the end"), choices=choose(Outcome.choices)
    )
    mentor_continues = forms.TypedChoiceField(
        label=_("And the mentor?"),
        choices=[
            ("yes", _("Stays available for another mentee")),
            ("no", _("Stops mentoring (former mentor)")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("End date"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("exit_reason") == ExitReason.OTHER and not data.get("notes", "").strip():
            self.add_error("notes", _("Please say why."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ProgrammeForm(forms.ModelForm):
    mentoring_kinds = checkboxes(MentoringKind.choices, _("Kinds of mentoring"))

    class Meta:
        model = Programme
        fields = [
            "name",
            "public",
            "goals",
            "duration_months",
            "meetings_per_month",
            "meeting_minutes",
            "checkin_interval_days",
            "max_mentees_per_mentor",
            "eligibility_criteria",
            "mentoring_kinds",
            "charter_version",
            "is_active",
        ]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Programme.objects.for_organisation(self.organisation).filter(name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A programme with this name already exists."))
        return name
