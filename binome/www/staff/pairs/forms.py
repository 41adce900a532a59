from django import forms
from django.utils.translation import gettext_lazy as _

from binome.pairs.enums import (
    ClosureType,
    DeclineReason,
    ExitReason,
    FirstMeetingItem,
    Outcome,
    Signatory,
)
from binome.people.models import Mentee, Mentor
from binome.www.fields import checkboxes
from binome.www.staff.forms import CHOOSE, DateInput, choose


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
