"""The plan on the portal: the mentor and the mentee edit it; other pairs answer 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.plans import services
from binome.plans.enums import ActionState, Part
from binome.plans.models import Action, Goal, Intake, PlanChange
from tests.plans.conftest import make_pair, make_plan

pytestmark = pytest.mark.django_db


def plan_url(pair, name="portal:plan", *args):
    return reverse(name, args=[pair.pk, *args])


@pytest.fixture
def mentor_client(client, pair):
    client.force_login(pair.mentor.user)
    return client


def test_pair_page_links_to_the_plan(mentor_client, pair):
    response = mentor_client.get(reverse("portal:pair", args=[pair.pk]))
    assert plan_url(pair) in response.content.decode()


def test_mentor_writes_intake_goal_and_action(mentor_client, pair):
    response = mentor_client.post(plan_url(pair), {"strengths": "Motivée", "weaknesses": "Réseau"})
    assert response.status_code == 302
    assert Intake.objects.get(pair=pair).strengths == "Motivée"
    response = mentor_client.post(
        plan_url(pair, "portal:plan_goal"), {"support": "technical", "title": "Un CV ciblé"}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(pair=pair)
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = mentor_client.post(
        plan_url(pair, "portal:plan_action", goal.pk),
        {"what": "Relire le CV", "owner": "mentee", "due_on": due},
    )
    assert response.status_code == 302
    action = Action.objects.get(goal=goal)
    response = mentor_client.post(
        plan_url(pair, "portal:plan_action_state", action.pk), {"state": "in_progress"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.IN_PROGRESS
    page = mentor_client.get(plan_url(pair)).content.decode()
    assert "Relire le CV" in page
    assert "Un CV ciblé" in page
    assert PlanChange.objects.filter(pair=pair, side="mentor").count() == 4


def test_mentee_changes_an_action(client, pair):
    (goal,) = make_plan(pair, 1, goals=1)
    action = goal.actions.get()
    client.force_login(pair.mentee.user)
    url = plan_url(pair, "portal:plan_action_edit", action.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"what": "Autre", "owner": "mentee", "due_on": "", "state": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.what, action.state, action.due_on) == ("Autre", "done", None)
    assert PlanChange.objects.get(part=Part.ACTION).side == "mentee"


def test_another_pair_answers_404(mentor_client, pair, staff):
    other = make_pair(staff)
    (goal,) = make_plan(other, 1, goals=1)
    action = goal.actions.get()
    urls = [
        plan_url(other),
        plan_url(other, "portal:plan_goal"),
        plan_url(other, "portal:plan_goal_edit", goal.pk),
        plan_url(other, "portal:plan_action", goal.pk),
        plan_url(other, "portal:plan_action_edit", action.pk),
        # this pair's pages with the other pair's goal and action
        plan_url(pair, "portal:plan_goal_edit", goal.pk),
        plan_url(pair, "portal:plan_action", goal.pk),
        plan_url(pair, "portal:plan_action_edit", action.pk),
    ]
    for url in urls:
        assert mentor_client.get(url).status_code == 404, url
        assert mentor_client.post(url, {"title": "x", "support": "technical"}).status_code == 404
    for p in (other, pair):
        url = plan_url(p, "portal:plan_action_state", action.pk)
        assert mentor_client.post(url, {"state": "done"}).status_code == 404
    assert not PlanChange.objects.exists()


def test_staff_and_partners_have_no_portal_plan(client, pair, staff, partner):
    for user in (staff.user, partner.user):
        client.force_login(user)
        assert client.get(plan_url(pair)).status_code == 404


def test_visitor_is_sent_to_login(client, pair):
    response = client.get(plan_url(pair))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_a_closed_pair_shows_its_plan_read_only(client, staff):
    pair = make_pair(staff, state="closed", exit_reason="term_reached", outcome="permanent_job")
    (goal,) = make_plan(pair, 1, goals=1)
    client.force_login(pair.mentor.user)
    page = client.get(plan_url(pair)).content.decode()
    assert "Action 0" in page
    assert plan_url(pair, "portal:plan_goal") not in page
    assert client.get(plan_url(pair, "portal:plan_goal")).status_code == 404
    response = client.post(plan_url(pair), {"strengths": "x", "weaknesses": ""})
    assert response.status_code == 404
    assert not Intake.objects.exists()


JUNK = {
    "support": "\x00",
    "title": "x" * 500,
    "what": "",
    "owner": "staff",
    "due_on": "2026-02-30",
    "state": "nope",
    "strengths": "y" * 6000,
}


def test_bad_input_keeps_what_was_typed_and_never_500(pair):
    client = Client(raise_request_exception=True)
    client.cookies["django_language"] = "fr"
    client.force_login(pair.mentor.user)
    (goal,) = make_plan(pair, 1, goals=1)
    action = goal.actions.get()
    response = client.post(plan_url(pair, "portal:plan_goal"), {"support": "x", "title": "Mon but"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon but" in page
    assert "Sélectionnez un choix valide" in page
    response = client.post(
        plan_url(pair, "portal:plan_action", goal.pk),
        {"what": "Appeler Paul", "owner": "mentee", "due_on": "2026-02-30"},
    )
    assert response.status_code == 400
    assert "Appeler Paul" in response.content.decode()
    assert "Saisissez une date valide" in response.content.decode()
    far = (timezone.localdate() + datetime.timedelta(days=3000)).isoformat()
    response = client.post(
        plan_url(pair, "portal:plan_action", goal.pk),
        {"what": "Appeler Paul", "owner": "mentee", "due_on": far},
    )
    assert response.status_code == 400
    assert "Choisissez une date" in response.content.decode()
    for url in (
        plan_url(pair),
        plan_url(pair, "portal:plan_goal"),
        plan_url(pair, "portal:plan_goal_edit", goal.pk),
        plan_url(pair, "portal:plan_action", goal.pk),
        plan_url(pair, "portal:plan_action_edit", action.pk),
        plan_url(pair, "portal:plan_action_state", action.pk),
    ):
        assert client.post(url, JUNK).status_code in {302, 400}, url
    response = client.post(
        plan_url(pair, "portal:plan_action_edit", action.pk),
        {"what": "A", "owner": "mentor", "state": "dropped"},
    )
    assert response.status_code == 302
    response = client.post(
        plan_url(pair, "portal:plan_action_edit", action.pk),
        {"what": "A", "owner": "mentor", "state": "done"},
    )
    assert response.status_code == 400  # dropped → done is not in the table
    assert Action.objects.get(pk=action.pk).state == "dropped"


def test_french_by_default(pair):
    client = Client()
    client.force_login(pair.mentor.user)
    page = client.get(plan_url(pair)).content.decode()
    assert "Plan d" in page


@pytest.mark.parametrize("n", [1, 60])
def test_plan_page_query_count_is_constant(mentor_client, pair, django_assert_num_queries, n):
    make_plan(pair, n)
    services.save_intake(pair, acting_user=pair.mentor.user, strengths="a", weaknesses="b")
    # session, user, pair, intake, goals, actions, history, membership (the base template)
    with django_assert_num_queries(8):
        response = mentor_client.get(plan_url(pair))
    assert response.status_code == 200
    assert sum(len(actions) for _g, actions in response.context["rows"]) == n
