import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.people.enums import MenteeState, MentorState, SessionKind
from binome.people.models import Attendance, Mentee, Mentor
from binome.programmes.models import Programme
from tests.factories import (
    CriterionFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    PairFactory,
    ProgrammeFactory,
    SessionFactory,
)
from tests.registrations.factories import FederationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    programme = ProgrammeFactory(organisation=membership.organisation, name="Cap Emploi")
    return {
        "client": client,
        "membership": membership,
        "programme": programme,
        "user": membership.user,
    }


def test_dashboard_counts_and_todo(staff):
    MenteeFactory(programme=staff["programme"], ready=True)
    PairFactory(
        programme=staff["programme"],
        state=PairState.PROPOSED,
        state_changed_at=timezone.now() - datetime.timedelta(days=5),
    )
    response = staff["client"].get(reverse("staff:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 binôme en attente depuis plus de 3 jours" in html
    assert "1 mentoré·e prêt·e" in html


def test_create_mentee_resolves_place_and_logs(staff):
    response = staff["client"].post(
        reverse("staff:mentees:create"),
        {
            "programme": staff["programme"].pk,
            "first_name": "Awa",
            "last_name": "Diallo",
            "email": "awa@example.org",
            "place": "Roubaix",
            "languages": ["fr", "wo"],
            "mother_tongue": "wo",
            "support": ["technical"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    mentee = Mentee.objects.get()
    assert mentee.place == "fr-commune:59512"
    assert mentee.languages == ["fr", "wo"]
    assert mentee.state == MenteeState.APPLIED
    detail = staff["client"].get(response["Location"])
    assert "Roubaix" in detail.content.decode()
    assert ActivityLog.objects.for_object(mentee).filter(verb="viewed").count() == 1


def test_bad_input_shows_field_errors_and_keeps_typed_values(staff):
    response = staff["client"].post(
        reverse("staff:mentors:create"),
        {
            "programme": staff["programme"].pk,
            "first_name": "Jean",
            "last_name": "",
            "email": "not-an-email",
            "place": "Nowhereville-sur-Rien",
            "birth_year": "1850",
            "employer": "Exemple SA",
            "capacity": 1,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"last_name", "email", "place", "birth_year"}
    html = response.content.decode()
    assert 'value="Jean"' in html
    assert 'value="Exemple SA"' in html
    assert 'value="Nowhereville-sur-Rien"' in html
    assert "Nous ne connaissons pas cette commune" in html
    assert not Mentor.objects.exists()


def test_ambiguous_place_asks_to_choose(staff):
    response = staff["client"].post(
        reverse("staff:mentees:create"),
        {
            "programme": staff["programme"].pk,
            "first_name": "A",
            "last_name": "B",
            "place": "Saint-Denis",
        },
    )
    assert "place" in response.context["form"].errors


def test_postcode_is_accepted(staff):
    staff["client"].post(
        reverse("staff:mentees:create"),
        {
            "programme": staff["programme"].pk,
            "first_name": "A",
            "last_name": "B",
            "place": "59000",
        },
    )
    assert Mentee.objects.get().place == "fr-postcode:59000"


def test_edit_profile_cannot_move_programme(staff):
    mentee = MenteeFactory(programme=staff["programme"])
    other = ProgrammeFactory(organisation=staff["membership"].organisation)
    response = staff["client"].post(
        reverse("staff:mentees:edit", args=[mentee.pk]),
        {
            "programme": other.pk,
            "first_name": "Nouveau",
            "last_name": mentee.last_name,
            "place": "fr-commune:59350",
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.first_name, mentee.programme) == ("Nouveau", staff["programme"])
    # The journal names the fields changed, never their values.
    entry = ActivityLog.objects.for_object(mentee).get(verb="updated")
    assert "first_name" in entry.data["fields"]
    assert "Nouveau" not in str(entry.data)


def test_transition_form_requires_reason_and_shows_invalid_transition(staff):
    mentor = MentorFactory(programme=staff["programme"], state=MentorState.TRAINED)
    url = reverse("staff:mentors:transition", args=[mentor.pk])
    response = staff["client"].post(url, {"to_state": "withdrawn", "reason": ""})
    assert response.context["form"].errors["reason"]
    # Ready without training: the service refuses and the staff see why.
    response = staff["client"].post(url, {"to_state": "ready"})
    assert response.status_code == 200
    assert "pas encore suivi la formation" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.state == MentorState.TRAINED


def test_interview_view(staff):
    mentee = MenteeFactory(programme=staff["programme"], state=MenteeState.PRESENTED)
    crit = CriterionFactory(programme=staff["programme"], side="mentee")
    url = reverse("staff:mentees:interview", args=[mentee.pk])
    assert staff["client"].get(url).status_code == 200
    response = staff["client"].post(url, {"held_on": "2099-01-01", "decision": "keep"})
    assert set(response.context["form"].errors) == {"held_on", f"met_{crit.pk}"}
    response = staff["client"].post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "decision": "keep",
            f"met_{crit.pk}": "yes",
            f"comment_{crit.pk}": "ok",
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.state == MenteeState.INTERVIEWED
    # Only from the right state.
    assert staff["client"].get(url).status_code == 404


def test_session_attendance_moves_people(staff):
    session = SessionFactory(programme=staff["programme"], kind=SessionKind.TRAINING)
    mentor = MentorFactory(programme=staff["programme"], state=MentorState.INTERVIEWED)
    MentorFactory(programme=staff["programme"], state=MentorState.APPLIED)  # not invited
    url = reverse("staff:sessions:detail", args=[session.pk])
    response = staff["client"].get(url)
    assert list(response.context["form"].fields["people"].queryset) == [mentor]
    response = staff["client"].post(url, {"people": [mentor.pk]})
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.state == MentorState.TRAINED
    assert Attendance.objects.get().attended


def test_session_create(staff):
    response = staff["client"].post(
        reverse("staff:sessions:create"),
        {
            "programme": staff["programme"].pk,
            "kind": "information",
            "starts_at": "2026-12-01T18:00",
            "duration_minutes": 60,
            "location": "Lille",
        },
    )
    assert response.status_code == 302
    assert staff["client"].get(reverse("staff:sessions:list"), {"q": "Lille"}).status_code == 200


def test_pair_journey_through_views(staff, mailoutbox, django_capture_on_commit_callbacks):
    mentor = MentorFactory(programme=staff["programme"], ready=True)
    mentee = MenteeFactory(programme=staff["programme"], ready=True)
    c = staff["client"]
    create = reverse("staff:pairs:create")
    assert c.get(create, {"mentee": mentee.pk}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(create, {"mentor": mentor.pk, "mentee": mentee.pk, "note": "Both HR"})
    pair = Pair.objects.get()
    assert response["Location"] == reverse("staff:pairs:detail", args=[pair.pk])
    assert len(mailoutbox) == 1

    def act(action, data=None):
        url = reverse("staff:pairs:action", args=[pair.pk, action])
        assert c.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            resp = c.post(url, data or {})
        assert resp.status_code == 302, resp.context["form"].errors
        pair.refresh_from_db()

    today = timezone.localdate().isoformat()
    act("accept-mentor")
    act("accept-mentee")
    act("first-meeting", {"held_on": today, "checklist": ["introductions", "rhythm"]})
    for who in ("mentor", "mentee", "organisation"):
        act("sign", {"signatory": who})
    assert pair.state == PairState.CONTRACT_SIGNED
    act("activate", {"started_on": today})
    act(
        "close",
        {
            "closure_type": "planned",
            "exit_reason": "goal_achieved",
            "outcome": "training",
            "mentor_continues": "yes",
            "ended_on": today,
        },
    )
    assert pair.state == PairState.CLOSED
    detail = c.get(reverse("staff:pairs:detail", args=[pair.pk])).content.decode()
    assert "Formation" in detail
    # An action not allowed in this state is not found.
    url = reverse("staff:pairs:action", args=[pair.pk, "cancel"])
    assert c.post(url, {"reason": "x"}).status_code == 404
    assert len(mailoutbox) == 1 + 2 + 2 + 2


def test_pair_action_form_errors_keep_input(staff):
    pair = PairFactory(
        programme=staff["programme"], state=PairState.ACTIVE, started_on=datetime.date(2026, 6, 1)
    )
    url = reverse("staff:pairs:action", args=[pair.pk, "close"])
    response = staff["client"].post(
        url,
        {
            "closure_type": "unplanned",
            "exit_reason": "other",
            "outcome": "unknown",
            "ended_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["notes"]
    assert form.data["exit_reason"] == "other"
    response = staff["client"].post(
        url,
        {
            "closure_type": "unplanned",
            "exit_reason": "moved",
            "outcome": "unknown",
            "mentor_continues": "yes",
            "ended_on": "2026-05-01",
        },
    )
    assert "avant la date de début" in response.content.decode()
    pair.refresh_from_db()
    assert pair.state == PairState.ACTIVE


def test_programme_settings_and_grid(staff):
    response = staff["client"].post(
        reverse("staff:programmes:create"),
        {
            "name": "Tremplin",
            "public": "Jeunes 18-30 ans",
            "duration_months": 6,
            "meetings_per_month": 2,
            "meeting_minutes": 90,
            "checkin_interval_days": 42,
            "max_mentees_per_mentor": 1,
            "charter_version": "2026-1",
            "is_active": "on",
            "mentoring_kinds": ["orientation"],
            "criteria-TOTAL_FORMS": 2,
            "criteria-INITIAL_FORMS": 0,
            "criteria-0-side": "mentee",
            "criteria-0-label": "Disponible",
            "criteria-0-order": 1,
            "criteria-0-is_required": "on",
            "criteria-1-side": "",
            "criteria-1-label": "",
            "criteria-1-order": "0",
            "criteria-1-is_required": "on",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
    )
    programme = Programme.objects.get(name="Tremplin")
    assert programme.organisation == staff["membership"].organisation
    assert list(programme.criteria.values_list("label", flat=True)) == ["Disponible"]
    saved = ActivityLog.objects.for_object(programme).get(verb="saved")
    assert saved.organisation == staff["membership"].organisation
    assert saved.actor == staff["user"]
    # Same name again: a clear error.
    response = staff["client"].post(
        reverse("staff:programmes:create"),
        {
            "name": "Tremplin",
            "public": "x",
            "duration_months": 0,
            "meetings_per_month": 2,
            "meeting_minutes": 90,
            "checkin_interval_days": 42,
            "max_mentees_per_mentor": 1,
            "charter_version": "1",
            "criteria-TOTAL_FORMS": 0,
            "criteria-INITIAL_FORMS": 0,
        },
    )
    assert set(response.context["form"].errors) == {"name", "duration_months"}


def test_english_translation(staff):
    staff["client"].post(reverse("set_language"), {"language": "en", "next": "/"})
    html = staff["client"].get(reverse("staff:mentees:list")).content.decode()
    assert "Mentees" in html
    assert 'lang="en"' in html


def test_place_search(client):
    data = client.get(reverse("place_search"), {"q": "villeneuve d'as"}).json()
    assert any(r["key"] == "fr-commune:59009" for r in data["results"])


def test_french_even_when_the_browser_asks_for_english(staff):
    html = staff["client"].get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tableau de bord" in html.content.decode()


def test_propose_button_only_when_a_pair_is_possible(staff):
    mentee = MenteeFactory(programme=staff["programme"], ready=True)
    url = reverse("staff:mentees:detail", args=[mentee.pk])
    assert staff["client"].get(url).context["can_propose"]
    pair = PairFactory(programme=staff["programme"], mentee=mentee)
    assert not staff["client"].get(url).context["can_propose"]
    mentor_url = reverse("staff:mentors:detail", args=[pair.mentor.pk])
    assert not staff["client"].get(mentor_url).context["can_propose"]  # capacity 1, used


def test_pair_form_lists_only_mentors_with_a_free_place(staff):
    full = MentorFactory(programme=staff["programme"], ready=True, capacity=1)
    PairFactory(programme=staff["programme"], mentor=full)
    two = MentorFactory(programme=staff["programme"], ready=True, capacity=2)
    PairFactory(programme=staff["programme"], mentor=two)
    free = MentorFactory(programme=staff["programme"], ready=True)
    MentorFactory(programme=staff["programme"], state=MentorState.TRAINED)
    form = staff["client"].get(reverse("staff:pairs:create")).context["form"]
    # The programme allows one mentee per mentor: "two" is full too.
    assert set(form.fields["mentor"].queryset) == {free}
    staff["programme"].max_mentees_per_mentor = 2
    staff["programme"].save()
    form = staff["client"].get(reverse("staff:pairs:create")).context["form"]
    assert set(form.fields["mentor"].queryset) == {free, two}


def test_search_needs_every_word(staff):
    MenteeFactory(programme=staff["programme"], first_name="Awa", last_name="Diallo")
    MenteeFactory(programme=staff["programme"], first_name="Awa", last_name="Traoré")
    pair = PairFactory(programme=staff["programme"], mentor__last_name="Vandewalle")
    url = reverse("staff:mentees:list")
    found = staff["client"].get(url, {"q": "awa dial"}).context["object_list"]
    assert [m.last_name for m in found] == ["Diallo"]
    found = staff["client"].get(reverse("staff:pairs:list"), {"q": "vandew"}).context["object_list"]
    assert list(found) == [pair]


def test_waiting_counts_exclude_people_in_a_pair_or_done(staff):
    programme = staff["programme"]
    MenteeFactory(programme=programme, ready=True, last_name="Waiting")
    PairFactory(programme=programme, state=PairState.ACTIVE)
    PairFactory(
        programme=programme,
        state=PairState.CLOSED,
        exit_reason="term_reached",
        outcome="unknown",
        mentee__last_name="Alumna",
    )
    response = staff["client"].get(reverse("staff:home"))
    assert response.context["mentees_waiting"] == 1
    assert "1 mentoré·e prêt·e" in response.content.decode()
    ready = staff["client"].get(reverse("staff:mentees:list"), {"state": "ready"})
    assert [m.last_name for m in ready.context["object_list"]] == ["Waiting"]
    form = staff["client"].get(reverse("staff:pairs:create")).context["form"]
    assert [m.last_name for m in form.fields["mentee"].queryset] == ["Waiting"]


def test_closure_form_preselects_nothing(staff):
    pair = PairFactory(programme=staff["programme"], state=PairState.ACTIVE)
    response = staff["client"].get(reverse("staff:pairs:action", args=[pair.pk, "close"]))
    form = response.context["form"]
    for name in ("closure_type", "exit_reason", "outcome", "mentor_continues"):
        assert form[name].value() in (None, ""), name
        assert form.fields[name].required
    html = response.content.decode()
    assert " checked" not in html
    for name in ("exit_reason", "outcome"):
        select = re.search(rf'<select name="{name}"[^>]*>\s*<option value="([^"]*)"', html)
        assert select, name
        assert select.group(1) == "", name
    # Nothing chosen: every choice is asked for, nothing is saved.
    response = staff["client"].post(
        reverse("staff:pairs:action", args=[pair.pk, "close"]), {"ended_on": "2026-06-01"}
    )
    assert {"closure_type", "exit_reason", "outcome", "mentor_continues"} <= set(
        response.context["form"].errors
    )
    pair.refresh_from_db()
    assert pair.state == PairState.ACTIVE


@pytest.mark.parametrize(
    ("url_name", "field"),
    [("staff:mentees:create", "programme"), ("staff:sessions:create", "kind")],
)
def test_staff_forms_start_on_an_empty_choice(staff, url_name, field):
    html = staff["client"].get(reverse(url_name)).content.decode()
    select = re.search(rf'<select name="{field}"[^>]*>\s*<option value="([^"]*)"', html)
    assert select
    assert select.group(1) == ""


def test_staff_withdraw_ends_the_pair_in_the_same_step(staff):
    pair = PairFactory(programme=staff["programme"], state=PairState.ACTIVE)
    url = reverse("staff:mentees:transition", args=[pair.mentee.pk])
    form = staff["client"].get(url).context["form"]
    assert [v for v, _label in form.fields["to_state"].choices] == ["", "withdrawn"]
    response = staff["client"].post(url, {"to_state": "withdrawn", "reason": "Moved to Lyon"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.state, pair.exit_reason) == (PairState.CLOSED, "mentee_withdrew")
    pair.mentee.refresh_from_db()
    assert pair.mentee.state == MenteeState.WITHDRAWN


def test_rematch_an_alumni_from_the_person_page(staff):
    pair = PairFactory(
        programme=staff["programme"],
        state=PairState.CLOSED,
        exit_reason="term_reached",
        outcome="unknown",
    )
    mentee = pair.mentee
    detail = staff["client"].get(reverse("staff:mentees:detail", args=[mentee.pk]))
    assert "Remettre en recherche de binôme" in detail.content.decode()
    url = reverse("staff:mentees:transition", args=[mentee.pk])
    response = staff["client"].post(url, {"to_state": "ready", "reason": ""})
    assert response.context["form"].errors["reason"]
    response = staff["client"].post(url, {"to_state": "ready", "reason": "New goal"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.state == MenteeState.READY
    assert mentee.waiting_since == timezone.localdate()


def test_ending_soon_is_french_without_de_before_a_name(staff):
    pair = PairFactory(
        programme=staff["programme"],
        state=PairState.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=170),
        planned_end_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    html = staff["client"].get(reverse("staff:home")).content.decode()
    assert f"Rencontre de clôture à organiser : {pair}" in html
    assert f"de {pair}" not in html


def test_the_menu_offers_what_each_member_can_use(client):
    """A federation routes (no people pages of its own); a partner gets no requests, mentors,
    matching or sessions; an association's coordinator gets everything."""
    pages = {
        "requests": reverse("staff:registrations:inbox"),
        "routing": reverse("staff:registrations:routing"),
        "mentors": reverse("staff:mentors:list"),
        "mentees": reverse("staff:mentees:list"),
        "matching": reverse("staff:matching:home"),
        "sessions": reverse("staff:sessions:list"),
        "pairs": reverse("staff:pairs:list"),
    }

    def menu(membership):
        client.force_login(membership.user)
        html = client.get(reverse("staff:home")).content.decode()
        start = html.index('id="staff-menu"')
        nav = html[start : html.index("</ul>", start)]
        return {name for name, url in pages.items() if f'href="{url}"' in nav}

    coordinator = MembershipFactory()
    assert menu(coordinator) == set(pages) - {"routing"}
    partner = MembershipFactory(organisation=coordinator.organisation, partner=True)
    assert menu(partner) == {"mentees", "pairs"}
    federation = MembershipFactory(organisation=FederationFactory())
    assert menu(federation) == {"routing"}
