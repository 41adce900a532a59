from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.pairs.enums import FirstMeetingItem
from binome.www.fields import checkboxes


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The one the association has for you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class FirstMeetingForm(forms.Form):
    """The first meeting, filled in by the pair: when, and the points of the guide covered."""

    held_on = forms.DateField(
        label=_("Date of the first meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    checklist = checkboxes(FirstMeetingItem.choices, _("What you went over"))
    notes = forms.CharField(
        label=_("Anything to tell the association (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
