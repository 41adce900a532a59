"""Forms of a pair's in-take and action plan (the portal's; the staff's add "who does it")."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binome.plans.enums import ActionState, Owner, Support
from binome.plans.models import MAX_TEXT, MAX_TITLE, MAX_WHAT
from binome.plans.services import LABELS, next_states


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form, exc):
    """A service's ``ValidationError`` on the form: on its field when it names one."""
    if not isinstance(exc, ValidationError):
        raise exc
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class IntakeForm(forms.Form):
    strengths = forms.CharField(
        label=_("Strengths of the job search"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("What already works: skills, experience, motivation, support around."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    weaknesses = forms.CharField(
        label=_("Weaknesses of the job search"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("What holds the search back: tools, knowledge of the sector, confidence…"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GoalForm(forms.Form):
    support = forms.ChoiceField(
        label=_("Kind of support"), choices=Support.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Goal"),
        max_length=MAX_TITLE,
        help_text=_("For instance: a CV that fits the jobs aimed at."),
    )


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=MAX_WHAT)
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=Owner.choices, widget=forms.RadioSelect
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        if action is not None:
            choices = [(action.state, LABELS[action.state]), *next_states(action)]
            self.fields["state"] = forms.ChoiceField(
                label=_("Status"), choices=choices, initial=action.state
            )


class ActionStateForm(forms.Form):
    state = forms.ChoiceField(choices=ActionState.choices)
