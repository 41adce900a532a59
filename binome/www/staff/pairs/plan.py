"""A pair's in-take and action plan on the staff pair page: the plan with its history (nothing
to a read-only partner), and one page per form (the in-take, a goal, an action) where the
staff act as the association or on behalf of the mentor or the mentee (recorded as such)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.plans import services
from binome.plans.enums import PLAN_PAIR_STATES
from binome.plans.models import Action, Goal
from binome.www.portal.plan.forms import add_service_errors
from binome.www.staff.base import ServiceFormView
from binome.www.staff.pairs.plan_forms import StaffActionForm, StaffGoalForm, StaffIntakeForm
from binome.www.staff.pairs.scope import PairScopeMixin
from binome.www.staff.permissions import is_partner


def plan_context(pair, membership):
    """What the pair page shows of the plan: four queries whatever its size."""
    if is_partner(membership):
        return {"plan": None}
    plan = services.read_plan(pair)
    return {
        "plan": plan,
        "plan_rows": [(g, list(g.actions.all())) for g in plan.goals],
        "plan_editable": pair.state in PLAN_PAIR_STATES,
    }


class PlanFormView(PairScopeMixin, ServiceFormView):
    template_name = "staff/pairs/plan_form.html"
    partner_allowed = False
    title = ""

    def load(self):
        """The goal or the action, looked up in the pair (404 else)."""

    def get_objects(self):
        if not hasattr(self, "pair"):
            self.pair = self.get_pair()
            if self.pair.state not in PLAN_PAIR_STATES:
                raise Http404
            self.goal = self.action = None
            self.load()

    def get_form_kwargs(self):
        self.get_objects()
        kwargs = super().get_form_kwargs()
        kwargs["pair"] = self.pair
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["on_behalf_of"] = data.get("on_behalf_of") or None
        try:
            self.perform_with(data)
        except ValidationError as exc:  # a rule of the service: on its field, typed kept
            add_service_errors(form, exc)
            return self.form_invalid(form)
        self.success_message = _("Saved.")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def perform(self, form):
        """Done in ``form_valid`` (the service's errors go on their fields)."""

    def get_success_url(self):
        return reverse("staff:pairs:detail", args=[self.pair.pk]) + "#plan-h"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(pair=self.pair, title=self.title, goal=self.goal, action=self.action)
        return ctx


class IntakeView(PlanFormView):
    form_class = StaffIntakeForm
    title = gettext_lazy("In-take: the job search today")

    def get_initial(self):
        intake = services.read_plan(self.pair, history=0).intake
        if intake is None:
            return {}
        return {"strengths": intake.strengths, "weaknesses": intake.weaknesses}

    def perform_with(self, data):
        services.save_intake(self.pair, acting_user=self.request.user, **data)


class GoalView(PlanFormView):
    form_class = StaffGoalForm

    def load(self):
        if "goal" in self.kwargs:
            self.goal = get_object_or_404(Goal, pk=self.kwargs["goal"], pair=self.pair)
        self.title = _("Change the goal") if self.goal else _("Add a goal")

    def get_initial(self):
        return {"support": self.goal.support, "title": self.goal.title} if self.goal else {}

    def perform_with(self, data):
        if self.goal:
            services.update_goal(self.goal, acting_user=self.request.user, **data)
        else:
            services.add_goal(self.pair, acting_user=self.request.user, **data)


class ActionView(PlanFormView):
    form_class = StaffActionForm

    def load(self):
        if "action" in self.kwargs:
            self.action = get_object_or_404(
                Action.objects.select_related("goal"),
                pk=self.kwargs["action"],
                goal__pair=self.pair,
            )
            self.goal = self.action.goal
        else:
            self.goal = get_object_or_404(Goal, pk=self.kwargs["goal"], pair=self.pair)
        self.title = _("Change the action") if self.action else _("Add an action")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["action"] = self.action
        return kwargs

    def get_initial(self):
        a = self.action
        return {"what": a.what, "owner": a.owner, "due_on": a.due_on} if a else {}

    def perform_with(self, data):
        if self.action:
            services.update_action(self.action, acting_user=self.request.user, **data)
        else:
            services.add_action(self.goal, acting_user=self.request.user, **data)
