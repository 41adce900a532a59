"""Public registration forms: short, one screen per step, every error in plain words."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from binome.people.vocab import Situation
from binome.programmes.enums import MentoringKind
from binome.registrations.enums import (
    CONSENT_TEXTS,
    CompanySize,
    PriorityPublic,
    ReferrerRole,
)
from binome.www.fields import PlaceField, checkboxes

REQUIRED = {"required": _("Please fill in this field.")}
EMAIL_ERRORS = {
    "required": _("Please give your e-mail address: we send you the follow-up there."),
    "invalid": _("This e-mail address looks incomplete. Write it like name@example.org."),
}
YOUNG_SITUATIONS = Situation.choices  # "Other" last


def _now_year():
    return timezone.localdate().year


class BirthYearField(forms.IntegerField):
    """A year of birth. Only impossible years are refused (an age under ``min_age`` or over
    ``max_age``): who a programme takes is up to its offer (age range), which routing reads."""

    def __init__(self, *, min_age=5, max_age=100, **kwargs):
        self.min_age, self.max_age = min_age, max_age
        kwargs.setdefault("label", _("Year of birth"))
        kwargs.setdefault("help_text", _("For example 2006. We only use it to find a programme."))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Please give the year of birth, for example 2006."),
                "invalid": _("Write the year of birth with four digits, for example 2006."),
            },
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "bday-year"})
        return attrs

    def clean(self, value):
        year = super().clean(value)
        if year is None:
            return year
        age = _now_year() - year
        if age < 0:
            raise forms.ValidationError(
                gettext("This year is in the future: please check the year of birth."),
                code="age_out_of_range",
            )
        if age < self.min_age or age > self.max_age:
            message = ngettext(
                "This year of birth gives an age of %(age)s year, and we register people aged "
                "%(min)s to %(max)s: please check it.",
                "This year of birth gives an age of %(age)s years, and we register people aged "
                "%(min)s to %(max)s: please check it.",
                age,
            )
            raise forms.ValidationError(
                message,
                code="age_out_of_range",
                params={"age": age, "min": self.min_age, "max": self.max_age},
            )
        return year


def _place(label, **kwargs):
    return PlaceField(
        label=label,
        error_messages={"required": _("Please give a town or a postcode.")},
        **kwargs,
    )


def _name(label, autocomplete, required=True):
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


def _phone(label, required=False):
    return forms.RegexField(
        label=label,
        regex=r"^[0-9 +().\-]{6,30}$",
        required=required,
        max_length=30,
        error_messages={
            "invalid": _("Write the phone number with digits only, for example 06 12 34 56 78."),
            **REQUIRED,
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _email(label, required=True):
    return forms.EmailField(
        label=label,
        required=required,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _need(label, help_text):
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Please keep it under 2,000 characters.")},
    )


def _consent():
    return forms.BooleanField(
        label=CONSENT_TEXTS["processing"],
        error_messages={"required": _("We need your agreement to handle your request.")},
    )


class StepForm(forms.Form):
    title = ""


# --- I'm looking for a mentor -------------------------------------------------------------------


class YoungSituationForm(StepForm):
    title = _("Your situation")
    birth_year = BirthYearField()
    place = _place(_("Where do you live?"))
    situation = forms.ChoiceField(
        label=_("What is your situation?"),
        choices=YOUNG_SITUATIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the situation closest to yours.")},
    )
    kinds = checkboxes(
        MentoringKind.choices,
        _("What would you like help with?"),
        _("Tick one or more, or none if you do not know yet."),
    )
    publics = checkboxes(
        PriorityPublic.choices,
        _("Does one of these apply to you? (optional)"),
        _(
            "Some associations specialise in these situations. Ticking one means you agree "
            "that we use it only to route your request."
        ),
    )


class YoungContactForm(StepForm):
    title = _("How to contact you")
    first_name = _name(_("First name"), "given-name")
    last_name = _name(_("Last name"), "family-name")
    email = _email(_("E-mail address"))
    phone = _phone(_("Phone (optional)"))
    need = _need(
        _("In a few words, what are you looking for? (optional)"),
        _("No need to write your name or contact details here."),
    )
    guardian_consent = forms.BooleanField(label=CONSENT_TEXTS["guardian_self"], required=False)
    consent = _consent()

    def __init__(self, *args, birth_year=None, **kwargs):
        self.birth_year = birth_year
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        minor = self.birth_year and _now_year() - self.birth_year < 18
        if minor and not data.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _(
                    "You are under 18: a parent or guardian must agree. Tick the box once "
                    "they have."
                ),
            )
        return data


# --- I want to become a mentor ------------------------------------------------------------------


class MentorProfileForm(StepForm):
    title = _("Your mentoring")
    place = _place(_("Where would you meet your mentee?"), help_text=_("Your town or postcode."))
    kinds = checkboxes(
        MentoringKind.choices,
        _("What would you like to help with?"),
        _("Tick one or more, or none if everything suits you."),
    )
    birth_year = BirthYearField(required=False)


class MentorContactForm(StepForm):
    title = _("How to contact you")
    first_name = _name(_("First name"), "given-name")
    last_name = _name(_("Last name"), "family-name")
    email = _email(_("E-mail address"))
    phone = _phone(_("Phone (optional)"))
    employer = forms.CharField(
        label=_("Employer (optional)"),
        required=False,
        max_length=200,
        help_text=_("If your company lets you mentor during working time."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    need = _need(
        _("Why do you want to mentor? (optional)"),
        _("A few words help the association prepare your first meeting."),
    )
    consent = _consent()


# --- I'm registering a young person -------------------------------------------------------------


class ReferrerForm(StepForm):
    title = _("About you")
    referrer_role = forms.ChoiceField(
        label=_("You are"),
        choices=ReferrerRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please tell us who you are.")},
    )
    referrer_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    referrer_structure = forms.CharField(
        label=_("Your structure (optional for parents)"),
        required=False,
        max_length=200,
        help_text=_("For example: Mission locale de Lille."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    referrer_email = _email(_("Your e-mail address"))
    referrer_phone = _phone(_("Your phone (optional)"))

    def clean(self):
        data = super().clean()
        if data.get("referrer_role") == "prescriber" and not data.get("referrer_structure"):
            self.add_error("referrer_structure", _("Please give the name of your structure."))
        return data


class ReferredYoungForm(StepForm):
    title = _("About the young person")
    first_name = _name(_("Their first name"), "off")
    last_name = _name(_("Their last name"), "off")
    birth_year = BirthYearField()
    place = _place(_("Where do they live?"))
    situation = forms.ChoiceField(
        label=_("Their situation"),
        choices=YOUNG_SITUATIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the situation closest to theirs.")},
    )
    kinds = checkboxes(MentoringKind.choices, _("What would help them?"))
    publics = checkboxes(PriorityPublic.choices, _("Does one of these apply? (optional)"))
    email = _email(_("Their e-mail address (optional)"), required=False)
    phone = _phone(_("Their phone (optional)"))
    need = _need(
        _("Anything the association should know? (optional)"),
        _("No need to write names or contact details here."),
    )
    young_consent = forms.BooleanField(
        label=CONSENT_TEXTS["young_person"],
        error_messages={"required": _("The young person must agree before we go on.")},
    )
    guardian_consent = forms.BooleanField(label=CONSENT_TEXTS["guardian_referral"], required=False)
    consent = _consent()

    def __init__(self, *args, referrer_role=None, **kwargs):
        self.referrer_role = referrer_role
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        year = data.get("birth_year")
        minor = year and _now_year() - year < 18
        if minor and self.referrer_role != "parent" and not data.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _("The young person is under 18: a parent or guardian must agree."),
            )
        if minor and self.referrer_role == "parent":
            data["guardian_consent"] = True
        return data


# --- My company wants to engage its employees ---------------------------------------------------


class CompanyForm(StepForm):
    title = _("Your company")
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    company_size = forms.ChoiceField(
        label=_("Size"),
        choices=CompanySize.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the size of the company.")},
    )
    place = _place(_("Where are your employees based?"))
    first_name = _name(_("Your first name"), "given-name")
    last_name = _name(_("Your last name"), "family-name")
    email = _email(_("Your work e-mail address"))
    phone = _phone(_("Your phone (optional)"))
    need = _need(
        _("Your project in a few words (optional)"),
        _("For example: 20 employees mentoring during working time from September."),
    )
    consent = _consent()


# --- the status page ----------------------------------------------------------------------------


class CorrectionForm(forms.Form):
    first_name = _name(_("First name"), "given-name")
    last_name = _name(_("Last name"), "family-name")
    phone = _phone(_("Phone (optional)"))
    place = _place(_("Town or postcode"))
    need = _need(_("What you are looking for (optional)"), "")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my request."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
