"""The portal's forms of a pair's meetings: the staff forms without "who does it" (the
mentor or the mentee acts for themselves), and the "report a problem" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.portal.models import MAX_PROBLEM_TEXT, ProblemCategory
from binome.www.staff.pairs import meeting_forms as staff


class _ForThemselves:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("on_behalf_of", None)


class PlanForm(_ForThemselves, staff.PlanForm):
    pass


class LogForm(_ForThemselves, staff.LogForm):
    pass


class ConfirmForm(_ForThemselves, staff.ConfirmForm):
    pass


class CancelForm(_ForThemselves, staff.CancelForm):
    pass


class ProblemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is wrong?"), choices=ProblemCategory.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Tell us more"),
        help_text=_("Only the association's team reads it."),
        max_length=MAX_PROBLEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
