"""The plan on the staff pair page: the plan and its history, the staff acting on behalf of a
person; partners see nothing of it; another organisation's or pair's ids answer 404."""

import pytest
from django.test import Client
from django.urls import reverse

from binome.plans import services
from binome.plans.models import Action, Goal, Intake, PlanChange
from tests.factories import MembershipFactory, PairFactory
from tests.plans.conftest import make_pair, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff.user)
    return client


def detail(pair):
    return reverse("staff:pairs:detail", args=[pair.pk])


def urls_of(pair, goal, action):
    return [
        reverse("staff:pairs:plan_intake", args=[pair.pk]),
        reverse("staff:pairs:plan_goal", args=[pair.pk]),
        reverse("staff:pairs:plan_goal_edit", args=[pair.pk, goal.pk]),
        reverse("staff:pairs:plan_action", args=[pair.pk, goal.pk]),
        reverse("staff:pairs:plan_action_edit", args=[pair.pk, action.pk]),
    ]


def test_pair_page_shows_the_plan_and_its_history(staff_client, pair):
    goal = services.add_goal(
        pair, acting_user=pair.mentee.user, support="relational", title="Ouvrir le réseau"
    )
    services.add_action(goal, acting_user=pair.mentor.user, what="Trois contacts", owner="mentor")
    page = staff_client.get(detail(pair)).content.decode()
    assert "Ouvrir le réseau" in page
    assert "Trois contacts" in page
    assert reverse("staff:pairs:plan_goal", args=[pair.pk]) in page
    assert pair.mentee.user.email in page  # who, in the history


def test_staff_act_on_behalf_of_the_mentee(staff_client, pair, staff):
    url = reverse("staff:pairs:plan_intake", args=[pair.pk])
    response = staff_client.post(
        url, {"strengths": "Bilingue", "weaknesses": "", "on_behalf_of": "mentee"}
    )
    assert response.status_code == 302
    assert Intake.objects.get(pair=pair).strengths == "Bilingue"
    response = staff_client.post(
        reverse("staff:pairs:plan_goal", args=[pair.pk]),
        {"support": "concrete", "title": "Codes de l'entreprise", "on_behalf_of": ""},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(pair=pair)
    response = staff_client.post(
        reverse("staff:pairs:plan_action", args=[pair.pk, goal.pk]),
        {"what": "Visite", "owner": "mentor", "due_on": "", "on_behalf_of": "mentor"},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    form = staff_client.get(reverse("staff:pairs:plan_action_edit", args=[pair.pk, action.pk]))
    assert form.context["form"].initial["what"] == "Visite"
    response = staff_client.post(
        reverse("staff:pairs:plan_action_edit", args=[pair.pk, action.pk]),
        {"what": "Visite", "owner": "mentor", "state": "done", "on_behalf_of": "mentor"},
    )
    assert response.status_code == 302
    rows = list(PlanChange.objects.order_by("id").values_list("by", "side", "on_behalf"))
    assert rows == [
        (staff.user.pk, "mentee", True),
        (staff.user.pk, "staff", False),
        (staff.user.pk, "mentor", True),
        (staff.user.pk, "mentor", True),
    ]


def test_bad_input_keeps_what_was_typed_with_a_french_error(staff, pair):
    client = Client(raise_request_exception=True)
    client.cookies["django_language"] = "fr"
    client.force_login(staff.user)
    (goal,) = make_plan(pair, 1, goals=1)
    action = goal.actions.get()
    response = client.post(
        reverse("staff:pairs:plan_action_edit", args=[pair.pk, action.pk]),
        {"what": "Appeler Paul", "owner": "mentor", "state": "nope", "on_behalf_of": "x"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Appeler Paul" in page
    assert "Sélectionnez un choix valide" in page
    junk = {
        "support": "\x00",
        "title": "x" * 500,
        "what": "",
        "owner": "\x00",
        "due_on": "x",
        "strengths": "y" * 6000,
        "on_behalf_of": "nobody",
        "state": "\x00",
    }
    for url in urls_of(pair, goal, action):
        assert client.post(url, junk).status_code == 400, url


def test_another_pair_or_organisation_answers_404(staff_client, pair, staff):
    other_pair = make_pair(staff)
    (goal,) = make_plan(other_pair, 1, goals=1)
    action = goal.actions.get()
    mine = [
        reverse("staff:pairs:plan_goal_edit", args=[pair.pk, goal.pk]),
        reverse("staff:pairs:plan_action", args=[pair.pk, goal.pk]),
        reverse("staff:pairs:plan_action_edit", args=[pair.pk, action.pk]),
    ]
    elsewhere = PairFactory(state="active")
    for url in mine + [reverse("staff:pairs:plan_intake", args=[elsewhere.pk])]:
        assert staff_client.get(url).status_code == 404, url
        assert staff_client.post(url, {"title": "x", "support": "technical"}).status_code == 404
    assert not PlanChange.objects.exists()


def test_a_partner_sees_nothing_of_the_plan(client, pair):
    referrer = MembershipFactory().organisation
    partner = MembershipFactory(
        partner=True, organisation=pair.programme.organisation, partner_organisation=referrer
    )
    type(pair.mentee).objects.filter(pk=pair.mentee.pk).update(referred_by=referrer)
    (goal,) = make_plan(pair, 1, goals=1)
    action = goal.actions.get()
    client.force_login(partner.user)
    response = client.get(detail(pair))
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert "Action 0" not in response.content.decode()
    for url in urls_of(pair, goal, action):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x", "support": "technical"}).status_code == 403
    assert not PlanChange.objects.exists()


def test_no_forms_once_the_pair_ended(staff_client, staff):
    pair = make_pair(staff, state="closed", exit_reason="term_reached", outcome="permanent_job")
    (goal,) = make_plan(pair, 1, goals=1)
    page = staff_client.get(detail(pair)).content.decode()
    assert "Action 0" in page
    assert reverse("staff:pairs:plan_goal", args=[pair.pk]) not in page
    assert staff_client.get(reverse("staff:pairs:plan_goal", args=[pair.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 60])
def test_pair_page_query_count_is_constant(staff_client, pair, django_assert_num_queries, n):
    make_plan(pair, n)
    services.save_intake(pair, acting_user=pair.mentor.user, strengths="a", weaknesses="b")
    # session, user, membership + organisation, pair, transitions, signatures, meetings,
    # rhythm, feeds; intake, goals, actions, history
    with django_assert_num_queries(14):
        response = staff_client.get(detail(pair))
    assert sum(len(actions) for _g, actions in response.context["plan_rows"]) == n
