from django import forms
from django.utils.translation import gettext_lazy as _


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The one the association has for you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
