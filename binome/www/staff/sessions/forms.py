from django import forms
from django.utils.translation import gettext_lazy as _

from binome.people.enums import SessionKind
from binome.people.models import Mentor, Session
from binome.programmes.models import Programme
from binome.www.staff.forms import CHOOSE, DateTimeInput, choose


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
