from django import forms
from django.utils.translation import gettext_lazy as _

from binome.programmes.enums import MentoringKind
from binome.programmes.models import InterviewCriterion, Programme
from binome.www.fields import checkboxes


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


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.answers.exists():
                form.add_error(None, _("This criterion is used in interviews; keep it."))
                raise forms.ValidationError(_("A criterion used in interviews cannot be removed."))


CriterionFormSet = forms.inlineformset_factory(
    Programme,
    InterviewCriterion,
    formset=BaseCriterionFormSet,
    fields=["side", "label", "order", "is_required"],
    extra=2,
    can_delete=True,
    labels={"label": _("Criterion")},
)
