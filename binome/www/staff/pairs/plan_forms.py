"""Forms of a pair's in-take and action plan on the staff side: the portal's forms plus who
does it (the association, or the mentor or the mentee who cannot use the portal)."""

from binome.meetings.enums import Side
from binome.www.portal.plan.forms import ActionForm, GoalForm, IntakeForm
from binome.www.staff.pairs.meeting_forms import _as_whom

SIDES = (Side.MENTOR, Side.MENTEE)


class OnBehalfMixin:
    def __init__(self, *args, pair, **kwargs):
        self.pair = pair
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"] = _as_whom(pair, SIDES)


class StaffIntakeForm(OnBehalfMixin, IntakeForm):
    pass


class StaffGoalForm(OnBehalfMixin, GoalForm):
    pass


class StaffActionForm(OnBehalfMixin, ActionForm):
    pass
