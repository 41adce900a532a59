"""A pair's in-take and action plan on the portal: the plan page (with the in-take form), one
page to add or change a goal, one to add or change an action, a button per next status. Every
query starts from ``pairs_of(request.user)``: another pair's ids answer 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from binome.plans import services
from binome.plans.enums import PLAN_PAIR_STATES
from binome.plans.models import Action, Goal
from binome.portal import services as portal
from binome.www.portal.plan.forms import (
    ActionForm,
    ActionStateForm,
    GoalForm,
    IntakeForm,
    add_service_errors,
)


def plan_rows(plan):
    """Each goal with its actions and, per action, the next statuses offered."""
    return [
        (goal, [(a, services.next_states(a)) for a in goal.actions.all()]) for goal in plan.goals
    ]


class PlanMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pair = get_object_or_404(portal.pairs_of(request.user), pk=kwargs["pk"])
        self.side = portal.side_of(self.pair, request.user)
        self.editable = self.pair.state in PLAN_PAIR_STATES

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def plan_url(self, anchor=""):
        return reverse("portal:plan", args=[self.pair.pk]) + anchor


class PlanView(PlanMixin, TemplateView):
    template_name = "portal/plan/plan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = services.read_plan(self.pair)
        form = kwargs.get("form")
        if form is None and self.editable:
            intake = plan.intake
            form = IntakeForm(
                initial={
                    "strengths": intake.strengths if intake else "",
                    "weaknesses": intake.weaknesses if intake else "",
                }
            )
        other = self.pair.mentee if self.side == "mentor" else self.pair.mentor
        ctx.update(
            pair=self.pair,
            side=self.side,
            other=other,
            plan=plan,
            rows=plan_rows(plan),
            editable=self.editable,
            intake_form=form,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.editable:
            raise Http404
        form = IntakeForm(request.POST)
        if form.is_valid():
            try:
                services.save_intake(self.pair, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.plan_url("#intake-h"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FormPage(PlanMixin, TemplateView):
    """A page with one form of the plan (a goal or an action, new or changed)."""

    template_name = "portal/plan/form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not self.editable:
            raise Http404
        self.load(kwargs)

    def render_form(self, form, status=200):
        ctx = self.get_context_data(
            pair=self.pair, form=form, title=self.title(), back=self.plan_url()
        )
        return self.render_to_response(ctx, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.make_form())

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.perform(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Saved."))
                return redirect(self.plan_url("#plan-h"))
        return self.render_form(form, status=400)


class GoalView(FormPage):
    def load(self, kwargs):
        self.goal = None
        if "goal" in kwargs:
            self.goal = get_object_or_404(Goal, pk=kwargs["goal"], pair=self.pair)

    def title(self):
        return _("Change the goal") if self.goal else _("Add a goal")

    def make_form(self, data=None):
        initial = {"support": self.goal.support, "title": self.goal.title} if self.goal else {}
        return GoalForm(data, initial=initial)

    def perform(self, data):
        if self.goal:
            services.update_goal(self.goal, acting_user=self.request.user, **data)
        else:
            services.add_goal(self.pair, acting_user=self.request.user, **data)


class ActionView(FormPage):
    def load(self, kwargs):
        self.action = self.goal = None
        if "action" in kwargs:
            self.action = get_object_or_404(
                Action.objects.select_related("goal"), pk=kwargs["action"], goal__pair=self.pair
            )
            self.goal = self.action.goal
        else:
            self.goal = get_object_or_404(Goal, pk=kwargs["goal"], pair=self.pair)

    def title(self):
        return _("Change the action") if self.action else _("Add an action")

    def make_form(self, data=None):
        a = self.action
        initial = (
            {"what": a.what, "owner": a.owner, "due_on": a.due_on} if a else {"owner": self.side}
        )
        return ActionForm(data, initial=initial, action=a)

    def perform(self, data):
        if self.action:
            services.update_action(self.action, acting_user=self.request.user, **data)
        else:
            services.add_action(self.goal, acting_user=self.request.user, **data)


class ActionStateView(PlanMixin, View):
    """POST: the action's next status (a button on the plan page)."""

    def post(self, request, pk, action):
        found = get_object_or_404(Action, pk=action, goal__pair=self.pair)
        form = ActionStateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a status from the list."))
            return redirect(self.plan_url("#plan-h"))
        try:
            services.set_action_state(found, form.cleaned_data["state"], acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
        return redirect(self.plan_url(f"#action-{found.pk}"))
