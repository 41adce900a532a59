"""Forms of a pair's meetings on the staff side: plan (or move), log, confirm or correct,
cancel. The staff say for whom they act: the association itself, or the mentor or the mentee
who cannot use the portal (recorded as such)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.meetings.enums import Side
from binome.meetings.models import MAX_MINUTES
from binome.www.staff.forms import DateTimeInput

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("", _("Unknown"))]


def _as_whom(pair, sides, *, association=True):
    names = {Side.MENTOR: pair.mentor.first_name, Side.MENTEE: pair.mentee.first_name}
    labels = {
        Side.MENTOR: _("On behalf of the mentor, %(name)s"),
        Side.MENTEE: _("On behalf of the mentee, %(name)s"),
    }
    choices = [("", _("As the association"))] if association else []
    choices += [(s.value, labels[s] % {"name": names[s]}) for s in sides]
    return forms.ChoiceField(
        label=_("Who does it"),
        choices=choices,
        required=not association,
        initial="" if association else None,
        widget=forms.RadioSelect,
    )


class PairForm(forms.Form):
    def __init__(self, *args, pair, **kwargs):
        self.pair = pair
        super().__init__(*args, **kwargs)


class PlanForm(PairForm):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    planned_minutes = forms.IntegerField(
        label=_("Planned duration (minutes)"), min_value=15, max_value=MAX_MINUTES
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Where they meet, for instance the mentor's workplace."),
    )
    video_url = forms.URLField(
        label=_("Or a video link"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"] = _as_whom(self.pair, (Side.MENTOR, Side.MENTEE))


class LogForm(PairForm):
    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    held_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_MINUTES, required=False
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    actions_reviewed = forms.CharField(
        label=_("Actions reviewed"),
        required=False,
        help_text=_("The points of the action plan they went over."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    during_working_time = forms.TypedChoiceField(
        label=_("During the mentor's working time?"),
        help_text=_("For the employer's skills-sponsorship report."),
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    sides = (Side.MENTOR, Side.MENTEE)
    association = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"] = _as_whom(self.pair, self.sides, association=self.association)

    def clean(self):
        data = super().clean()
        if data.get("held") and not data.get("held_minutes"):
            self.add_error("held_minutes", _("Give how long the meeting lasted."))
        return data

    def log_values(self):
        data = dict(self.cleaned_data)
        data.pop("on_behalf_of", None)
        return data


class ConfirmForm(LogForm):
    """The other side's answer: the log as written, to confirm or to correct."""

    association = False

    def __init__(self, *args, sides, **kwargs):
        self.sides = sides
        super().__init__(*args, **kwargs)
        if len(sides) == 1:
            self.fields["on_behalf_of"].initial = sides[0].value


class CancelForm(PairForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"] = _as_whom(self.pair, (Side.MENTOR, Side.MENTEE))


def initial_log(meeting):
    """A logged meeting's values as the confirm form shows them."""
    working = {True: "yes", False: "no"}.get(meeting.during_working_time, "")
    return {
        "held": "yes" if meeting.state == "held" else "no",
        "held_minutes": meeting.held_minutes,
        "topics": meeting.topics,
        "actions_reviewed": meeting.actions_reviewed,
        "next_step": meeting.next_step,
        "during_working_time": working,
    }
