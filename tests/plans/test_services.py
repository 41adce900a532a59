"""The plan's services: who may act, the history, the state table, the journal."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.pairs.enums import PairState
from binome.plans import services
from binome.plans.enums import ACTION_TRANSITIONS, ActionState, Change, Part, Support
from binome.plans.models import ActionTransition, PlanChange
from tests.factories import MembershipFactory, UserFactory
from tests.plans.conftest import make_pair

pytestmark = pytest.mark.django_db


def test_intake_once_per_pair_edited_with_history(pair):
    mentor = pair.mentor.user
    intake = services.save_intake(
        pair, acting_user=mentor, strengths="Motivée", weaknesses="Peu de réseau"
    )
    again = services.save_intake(
        pair,
        acting_user=pair.mentee.user,
        strengths="Motivée, bilingue",
        weaknesses="Peu de réseau",
    )
    assert again.pk == intake.pk
    again.refresh_from_db()
    assert again.strengths == "Motivée, bilingue"
    first, second = PlanChange.objects.order_by("at", "id")
    assert (first.change, first.side, first.by) == (Change.CREATED, "mentor", mentor)
    assert (second.change, second.side, second.fields) == (Change.CHANGED, "mentee", ["strengths"])
    assert second.values == {"strengths": ["Motivée", "Motivée, bilingue"]}
    # nothing changed: no history row
    services.save_intake(
        pair, acting_user=mentor, strengths="Motivée, bilingue", weaknesses="Peu de réseau"
    )
    assert PlanChange.objects.count() == 2


def test_journal_holds_ids_and_field_names_never_the_text(pair):
    services.save_intake(pair, acting_user=pair.mentor.user, strengths="Secret", weaknesses="")
    goal = services.add_goal(
        pair, acting_user=pair.mentor.user, support=Support.TECHNICAL, title="Refaire le CV"
    )
    services.add_action(goal, acting_user=pair.mentee.user, what="Écrire le CV", owner="mentee")
    rows = list(ActivityLog.objects.filter(verb__startswith="plan_"))
    assert len(rows) == 3
    text = repr([r.data for r in rows])
    for secret in ("Secret", "Refaire", "Écrire"):
        assert secret not in text
    assert rows[0].data["fields"]


def test_goal_and_action_with_their_history(pair):
    user = pair.mentor.user
    goal = services.add_goal(pair, acting_user=user, support=Support.RELATIONAL, title="Réseau")
    due = timezone.localdate() + datetime.timedelta(days=7)
    action = services.add_action(
        goal, acting_user=user, what="Trois contacts", owner="mentor", due_on=due
    )
    assert action.state == ActionState.TODO
    services.update_action(
        action,
        acting_user=pair.mentee.user,
        what="Trois contacts",
        owner="mentor",
        due_on=due,
        state=ActionState.IN_PROGRESS,
    )
    services.set_action_state(action, ActionState.DONE, acting_user=user)
    action.refresh_from_db()
    assert action.state == ActionState.DONE
    states = ActionTransition.objects.filter(subject=action).values_list("to_state", flat=True)
    assert list(states) == ["todo", "in_progress", "done"]
    services.update_goal(goal, acting_user=user, support=Support.CONCRETE, title="Réseau")
    parts = list(PlanChange.objects.order_by("at", "id").values_list("part", "change", "fields"))
    assert parts[0] == (Part.GOAL, Change.CREATED, ["support", "title"])
    assert parts[2][:2] == (Part.ACTION, Change.CHANGED)
    assert parts[2][2] == ["state"]
    assert parts[-1] == (Part.GOAL, Change.CHANGED, ["support"])


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(ActionState.values, ActionState.values))
)
def test_every_action_transition(pair, from_state, to_state):
    user = pair.mentor.user
    goal = services.add_goal(pair, acting_user=user, support=Support.OBJECTIVE, title="Projet")
    action = services.add_action(goal, acting_user=user, what="Bilan", owner="mentee")
    action.state = from_state
    action.save(update_fields=["state"])
    if from_state == to_state:
        services.set_action_state(action, to_state, acting_user=user)  # nothing to do
        return
    if to_state in ACTION_TRANSITIONS[from_state]:
        services.set_action_state(action, to_state, acting_user=user)
        action.refresh_from_db()
        assert action.state == to_state
    else:
        with pytest.raises(ValidationError) as exc:
            services.set_action_state(action, to_state, acting_user=user)
        assert "state" in exc.value.error_dict
        action.refresh_from_db()
        assert action.state == from_state


def test_who_may_act(pair, staff, partner):
    ok = [pair.mentor.user, pair.mentee.user, staff.user]
    for user in ok:
        services.add_goal(pair, acting_user=user, support=Support.TECHNICAL, title="CV")
    other_staff = MembershipFactory()
    strangers = [partner.user, UserFactory(), other_staff.user, None]
    for user in strangers:
        with pytest.raises(PermissionDenied):
            services.add_goal(pair, acting_user=user, support=Support.TECHNICAL, title="CV")
    other = make_pair(staff)
    with pytest.raises(PermissionDenied):
        services.add_goal(other, acting_user=pair.mentor.user, support="technical", title="CV")
    sides = list(PlanChange.objects.order_by("id").values_list("side", "on_behalf"))
    assert sides == [("mentor", False), ("mentee", False), ("staff", False)]


def test_staff_on_behalf_is_recorded_and_only_for_staff(pair, staff):
    goal = services.add_goal(
        pair,
        acting_user=staff.user,
        support="psychological",
        title="Confiance",
        on_behalf_of="mentee",
    )
    change = PlanChange.objects.get(object_id=goal.pk, part=Part.GOAL)
    assert (change.by, change.side, change.on_behalf) == (staff.user, "mentee", True)
    log = ActivityLog.objects.get(verb="plan_created", object_id=goal.pk)
    assert log.data["on_behalf"] is True
    with pytest.raises(PermissionDenied):
        services.add_goal(
            pair,
            acting_user=pair.mentor.user,
            support="technical",
            title="CV",
            on_behalf_of="mentee",
        )
    with pytest.raises(ValidationError):
        services.add_goal(
            pair, acting_user=staff.user, support="technical", title="CV", on_behalf_of="x"
        )


def test_bad_values_are_refused_per_field(pair):
    user = pair.mentor.user
    with pytest.raises(ValidationError) as exc:
        services.add_goal(pair, acting_user=user, support="nope", title="  ")
    assert set(exc.value.error_dict) == {"support", "title"}
    goal = services.add_goal(pair, acting_user=user, support="technical", title="CV")
    with pytest.raises(ValidationError) as exc:
        services.add_action(
            goal,
            acting_user=user,
            what="x" * 301,
            owner="staff",
            due_on=timezone.localdate() + datetime.timedelta(days=3000),
        )
    assert set(exc.value.error_dict) == {"what", "owner", "due_on"}
    with pytest.raises(ValidationError) as exc:
        services.save_intake(pair, acting_user=user, strengths="x" * 5001, weaknesses="")
    assert "strengths" in exc.value.error_dict
    assert not PlanChange.objects.exclude(part=Part.GOAL).exists()


@pytest.mark.parametrize("state", [PairState.MENTEE_ACCEPTED, PairState.CLOSED])
def test_plan_only_while_the_pair_runs(staff, state):
    extra = {"exit_reason": "term_reached", "outcome": "permanent_job"} if state == "closed" else {}
    pair = make_pair(staff, state=state, **extra)
    with pytest.raises(ValidationError):
        services.add_goal(pair, acting_user=pair.mentor.user, support="technical", title="CV")


def test_history_is_append_only(pair):
    services.save_intake(pair, acting_user=pair.mentor.user, strengths="a", weaknesses="b")
    change = PlanChange.objects.get()
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()
    with pytest.raises(PermissionDenied):
        PlanChange.objects.update(label="x")
    with pytest.raises(PermissionDenied):
        PlanChange.objects.all().delete()


@pytest.mark.parametrize("n", [1, 60])
def test_read_plan_in_constant_queries(pair, django_assert_num_queries, n):
    from tests.plans.conftest import make_plan

    make_plan(pair, n)
    services.save_intake(pair, acting_user=pair.mentor.user, strengths="a", weaknesses="b")
    with django_assert_num_queries(4):
        plan = services.read_plan(pair)
        assert plan.actions == n
        assert plan.history[0].by is not None
