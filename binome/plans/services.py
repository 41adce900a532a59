"""Use cases of a pair's in-take and action plan. Each takes ``acting_user`` and, for the staff
acting for a person, ``on_behalf_of`` ("mentor" or "mentee"): who may act is the meetings'
rule (``binome.meetings.rules.acting_side``: the mentor, the mentee, the staff of the pair's
organisation; partners never). Every change writes one ``PlanChange`` row (the plan's history,
with the values) and one journal row (ids and field names only, never the text)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.core.statemachine import apply_transition
from binome.meetings.rules import acting_side
from binome.pairs.models import Pair
from binome.plans.enums import (
    ACTION_TRANSITIONS,
    PLAN_PAIR_STATES,
    ActionState,
    Change,
    Owner,
    Part,
    Support,
)
from binome.plans.models import (
    MAX_TEXT,
    MAX_TITLE,
    MAX_WHAT,
    Action,
    ActionTransition,
    Goal,
    Intake,
    PlanChange,
)

LABELS = dict(ActionState.choices)
DUE_PAST = datetime.timedelta(days=366)
DUE_FUTURE = datetime.timedelta(days=2 * 366)
HISTORY_SHOWN = 50


@dataclass
class Actor:
    user: object
    side: str
    on_behalf: bool


def _lock_pair(pair):
    return (
        Pair.objects.select_for_update(of=("self",))
        .select_related("programme__organisation", "mentor", "mentee")
        .get(pk=pair.pk)
    )


def _start(pair, acting_user, on_behalf_of):
    """Lock the pair, check who acts and that the plan is open; the locked pair and the actor."""
    pair = _lock_pair(pair)
    side, on_behalf = acting_side(pair, acting_user, on_behalf_of)
    if pair.state not in PLAN_PAIR_STATES:
        raise ValidationError(
            _("The plan is written from the first meeting until the pair ends."),
            code="plan_closed",
        )
    return pair, Actor(acting_user, str(side), on_behalf)


def _record(pair, actor, obj, part, change, values, label=""):
    PlanChange.objects.create(
        pair=pair,
        by=actor.user,
        side=actor.side,
        on_behalf=actor.on_behalf,
        part=part,
        object_id=obj.pk,
        change=change,
        label=label[:MAX_WHAT],
        fields=list(values),
        values={k: [_plain(a), _plain(b)] for k, (a, b) in values.items()},
    )
    log_activity(
        obj,
        f"plan_{change}",
        acting_user=actor.user,
        organisation=pair.programme.organisation,
        pair=pair.pk,
        side=actor.side,
        on_behalf=actor.on_behalf,
        fields=list(values),
    )


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _diff(obj, new):
    return {k: (getattr(obj, k), v) for k, v in new.items() if getattr(obj, k) != v}


def _text(errors, name, value, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > limit:
        errors[name] = _("Keep it under %(limit)s characters.") % {"limit": limit}
    return value


def save_intake(pair, *, acting_user, strengths, weaknesses, on_behalf_of=None):
    """Write the pair's in-take (created the first time, then edited); returns it."""
    errors = {}
    strengths = _text(errors, "strengths", strengths, MAX_TEXT)
    weaknesses = _text(errors, "weaknesses", weaknesses, MAX_TEXT)
    with transaction.atomic():
        pair, actor = _start(pair, acting_user, on_behalf_of)
        if errors:
            raise ValidationError(errors)
        intake = Intake.objects.select_for_update(of=("self",)).filter(pair=pair).first()
        new = {"strengths": strengths, "weaknesses": weaknesses}
        if intake is None:
            intake = Intake.objects.create(pair=pair, **new)
            values = {k: ("", v) for k, v in new.items() if v}
            _record(pair, actor, intake, Part.INTAKE, Change.CREATED, values)
            return intake
        values = _diff(intake, new)
        if values:
            for k, (_old, v) in values.items():
                setattr(intake, k, v)
            intake.save(update_fields=[*values, "updated_at"])
            _record(pair, actor, intake, Part.INTAKE, Change.CHANGED, values)
    return intake


def _goal_values(support, title):
    errors = {}
    title = _text(errors, "title", title, MAX_TITLE, required=True)
    if support not in Support.values:
        errors["support"] = _("Choose one of the five kinds of support.")
    if errors:
        raise ValidationError(errors)
    return {"support": support, "title": title}


def add_goal(pair, *, acting_user, support, title, on_behalf_of=None):
    with transaction.atomic():
        pair, actor = _start(pair, acting_user, on_behalf_of)
        new = _goal_values(support, title)
        goal = Goal.objects.create(pair=pair, **new)
        values = {k: ("", v) for k, v in new.items()}
        _record(pair, actor, goal, Part.GOAL, Change.CREATED, values, goal.title)
    return goal


def update_goal(goal, *, acting_user, support, title, on_behalf_of=None):
    with transaction.atomic():
        pair, actor = _start(goal.pair, acting_user, on_behalf_of)
        goal = Goal.objects.select_for_update(of=("self",)).get(pk=goal.pk, pair=pair)
        values = _diff(goal, _goal_values(support, title))
        if values:
            for k, (_old, v) in values.items():
                setattr(goal, k, v)
            goal.save(update_fields=[*values, "updated_at"])
            _record(pair, actor, goal, Part.GOAL, Change.CHANGED, values, goal.title)
    return goal


def _action_values(what, owner, due_on):
    errors = {}
    what = _text(errors, "what", what, MAX_WHAT, required=True)
    if owner not in Owner.values:
        errors["owner"] = _("Choose the mentor or the mentee.")
    today = timezone.localdate()
    in_range = isinstance(due_on, datetime.date) and (
        today - DUE_PAST <= due_on <= today + DUE_FUTURE
    )
    if due_on is not None and not in_range:
        errors["due_on"] = _("Choose a date between a year ago and two years from now.")
    if errors:
        raise ValidationError(errors)
    return {"what": what, "owner": owner, "due_on": due_on}


def add_action(goal, *, acting_user, what, owner, due_on=None, on_behalf_of=None):
    with transaction.atomic():
        pair, actor = _start(goal.pair, acting_user, on_behalf_of)
        goal = Goal.objects.select_for_update(of=("self",)).get(pk=goal.pk, pair=pair)
        new = _action_values(what, owner, due_on)
        action = Action.objects.create(goal=goal, **new)
        ActionTransition.objects.create(
            subject=action, from_state="", to_state=action.state, by=acting_user
        )
        values = {k: ("", v) for k, v in new.items() if v}
        values["state"] = ("", action.state)
        _record(pair, actor, action, Part.ACTION, Change.CREATED, values, action.what)
    return action


def update_action(action, *, acting_user, what, owner, due_on=None, state=None, on_behalf_of=None):
    """Change what, who, when and, through the transition table, the status."""
    with transaction.atomic():
        pair, actor = _start(action.goal.pair, acting_user, on_behalf_of)
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("goal")
            .get(pk=action.pk, goal__pair=pair)
        )
        values = _diff(action, _action_values(what, owner, due_on))
        if values:
            for k, (_old, v) in values.items():
                setattr(action, k, v)
            action.save(update_fields=[*values, "updated_at"])
        if state is not None and state != action.state:
            if state not in ActionState.values:
                raise ValidationError({"state": _("Choose a status from the list.")})
            before = action.state
            try:
                apply_transition(
                    action,
                    state,
                    transitions=ACTION_TRANSITIONS,
                    labels=LABELS,
                    log_model=ActionTransition,
                    acting_user=acting_user,
                    organisation=pair.programme.organisation,
                    pair=pair.pk,
                    side=actor.side,
                    on_behalf=actor.on_behalf,
                )
            except ValidationError as exc:
                raise ValidationError({"state": exc.messages}) from exc
            values["state"] = (before, state)
        if values:
            _record(pair, actor, action, Part.ACTION, Change.CHANGED, values, action.what)
    return action


def set_action_state(action, state, *, acting_user, on_behalf_of=None):
    """Only the status of an action (a button on the plan)."""
    return update_action(
        action,
        acting_user=acting_user,
        what=action.what,
        owner=action.owner,
        due_on=action.due_on,
        state=state,
        on_behalf_of=on_behalf_of,
    )


def next_states(action):
    return [(s, LABELS[s]) for s in ActionState.values if s in ACTION_TRANSITIONS[action.state]]


@dataclass
class Plan:
    intake: object
    goals: list
    history: list
    open_actions: int
    done_actions: int
    late_actions: int

    @property
    def actions(self):
        return sum(len(g.actions.all()) for g in self.goals)


def read_plan(pair, *, history=HISTORY_SHOWN):
    """The in-take, the goals with their actions and the last changes, in four queries
    whatever the size of the plan."""
    intake = Intake.objects.filter(pair=pair).first()
    goals = list(pair.goals.prefetch_related("actions"))
    changes = list(pair.plan_changes.select_related("by")[:history]) if history else []
    actions = [a for g in goals for a in g.actions.all()]
    return Plan(
        intake=intake,
        goals=goals,
        history=changes,
        open_actions=sum(a.is_open for a in actions),
        done_actions=sum(a.state == ActionState.DONE for a in actions),
        late_actions=sum(a.is_late for a in actions),
    )


def plan_summary(pair):
    """The counts for a link to the plan (one query)."""
    from django.db.models import Count, Q

    counts = Action.objects.filter(goal__pair=pair).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=ActionState.DONE)),
        open=Count("id", filter=Q(state__in=(ActionState.TODO, ActionState.IN_PROGRESS))),
    )
    return counts
