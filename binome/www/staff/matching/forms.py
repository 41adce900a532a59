"""Forms of the staff matching pages: a programme's settings, one id picked on a page."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.matching.enums import CRITERIA, CRITERION_LABELS, MenteeField
from binome.matching.models import MatchingSettings
from binome.www.fields import checkboxes


class MatchingSettingsForm(forms.ModelForm):
    mentee_fields = checkboxes(
        MenteeField.choices,
        gettext_lazy("What the mentor sees of the mentee before accepting"),
        help_text=gettext_lazy("Contact details are never shown before both say yes."),
    )

    class Meta:
        model = MatchingSettings
        fields = [
            *(f"{name}_{part}" for name in CRITERIA for part in ("weight", "mandatory")),
            "max_km",
            "min_age_gap",
            "max_age_gap",
            "min_score",
            "waiting_bonus_per_month",
            "candidates_per_mentee",
            "mentee_fields",
            "reply_days",
            "link_valid_days",
        ]

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_age_gap"), data.get("max_age_gap")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_age_gap", _("The maximum gap must be at least the minimum gap."))
        return data

    def criteria_fields(self):
        return [
            (CRITERION_LABELS[name], self[f"{name}_weight"], self[f"{name}_mandatory"])
            for name in CRITERIA
        ]

    def other_fields(self):
        skip = {f"{name}_{part}" for name in CRITERIA for part in ("weight", "mandatory")}
        return [self[name] for name in self.fields if name not in skip]


class PickForm(forms.Form):
    """One id picked among a queryset scoped to the organisation."""

    def __init__(self, *args, queryset, field="pk", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field] = forms.ModelChoiceField(queryset=queryset)
