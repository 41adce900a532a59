"""Suggestions outside a run: computed by tasks and stored, read by the pages (no engine work
in a GET), refreshed when the inputs change; settings and the 'viewed' row journalled by
services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.models import ActivityLog
from binome.matching import engine, services, tasks
from binome.matching.adapter import mentor_key, settings_for
from binome.matching.enums import ExclusionSource
from binome.matching.models import (
    MatchExclusion,
    MenteeSuggestions,
    MentorOffer,
    SuggestionChange,
    SuggestionInputs,
)
from binome.pairs.enums import PairState
from binome.www.staff.matching.forms import MatchingSettingsForm
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    PairFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.cookies["django_language"] = "en"
    programme = ProgrammeFactory(organisation=membership.organisation)
    return {"client": client, "membership": membership, "programme": programme}


def declined(programme, n=1):
    """n mentees whose mentor declined, waiting for another; returns the mentees."""
    mentees = []
    for _ in range(n):
        mentee = MenteeFactory(programme=programme, ready=True)
        pair = PairFactory(
            programme=programme,
            mentor=MentorFactory(programme=programme, ready=True),
            mentee=mentee,
            state=PairState.MENTOR_DECLINED,
        )
        MentorOffer.objects.create(pair=pair, sent_at=timezone.now(), answered_at=timezone.now())
        mentees.append(mentee)
    return mentees


@pytest.fixture
def no_engine(monkeypatch):
    """Any engine call fails the test (call it after the set-up)."""

    def patch():
        def forbidden(*args, **kwargs):
            raise AssertionError("the engine ran")

        for name in ("prepare", "explain", "top_suggestions", "solve", "greedy"):
            monkeypatch.setattr(engine, name, forbidden)

    return patch


@pytest.fixture
def no_worker(monkeypatch):
    """Queued refreshes are not run (a worker that has not got to them yet)."""
    queued = []

    class Queued:
        @staticmethod
        def enqueue(*args):
            queued.append(args[0] if len(args) == 1 else args)

    for name in ("refresh_next_best_task", "refresh_mentee_task", "explain_in_run_task"):
        monkeypatch.setattr(tasks, name, Queued)
    return queued


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


# --- services: settings and the 'viewed' row -----------------------------------------------


def test_save_settings_saves_and_journals(staff):
    programme = staff["programme"]
    ms = settings_for(programme)
    data = {
        **{f: getattr(ms, f) for f in MatchingSettingsForm._meta.fields},
        "max_km": 30,
        "candidates_per_mentee": "",
    }
    data = {k: v for k, v in data.items() if v is not False}
    form = MatchingSettingsForm(data, instance=ms)
    assert form.is_valid(), form.errors
    user = staff["membership"].user
    services.save_settings(form, acting_user=user)
    ms.refresh_from_db()
    assert ms.max_km == 30
    log = ActivityLog.objects.get(verb="updated", object_id=ms.pk)
    assert log.actor == user
    assert log.organisation == programme.organisation
    assert "max_km" in log.data["fields"]


def test_settings_page_journals_through_the_service(staff):
    programme = staff["programme"]
    url = reverse("staff:matching:settings", args=[programme.pk])
    form = staff["client"].get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data = {k: ("on" if v is True else v) for k, v in data.items()}
    data["min_score"] = 10
    assert staff["client"].post(url, data).status_code == 302
    log = ActivityLog.objects.get(verb="updated")
    assert "min_score" in log.data["fields"]


def test_record_suggestions_viewed(staff):
    mentee = MenteeFactory(programme=staff["programme"])
    user = staff["membership"].user
    services.record_suggestions_viewed(mentee, acting_user=user)
    log = ActivityLog.objects.get(verb="viewed")
    assert (log.object_type, log.object_id, log.actor) == ("people.mentee", mentee.pk, user)
    assert log.organisation == staff["programme"].organisation
    staff["client"].get(reverse("staff:matching:mentee", args=[mentee.pk]))
    assert ActivityLog.objects.filter(verb="viewed").count() == 2


# --- stored suggestions: computed by tasks, read by the pages ------------------------------


def test_refresh_stores_the_next_best_of_declined_mentees(staff):
    programme = staff["programme"]
    (mentee,) = declined(programme)
    spare = MentorFactory(programme=programme, ready=True)
    services.refresh_next_best(programme.pk)
    row = MenteeSuggestions.objects.get(mentee=mentee)
    assert row.best_mentor == spare
    assert row.entries is None  # the next best only: the mentee's page asks for the rest
    assert [s["mentor"] for s in row.suggestions] == [mentor_key(spare.pk)]
    inputs = SuggestionInputs.objects.get(programme=programme)
    assert inputs.next_best_generation == inputs.generation
    assert inputs.next_best_on == timezone.localdate()


def test_a_change_is_recorded_only_once_suggestions_exist(
    staff, django_capture_on_commit_callbacks
):
    programme = staff["programme"]
    MentorFactory(programme=programme, ready=True)
    assert not SuggestionChange.objects.exists()  # never looked at: nothing to keep current
    services.refresh_next_best(programme.pk)
    generation = SuggestionInputs.objects.get(programme=programme).generation
    with django_capture_on_commit_callbacks() as callbacks:
        MentorFactory(programme=programme, ready=True)
        MenteeFactory(programme=programme, ready=True)
    assert SuggestionChange.objects.filter(programme=programme).count() == 2
    assert len(callbacks) == 2  # each queues a refresh once committed
    services.refresh_next_best(programme.pk)  # the task consumes them
    assert not SuggestionChange.objects.exists()
    assert SuggestionInputs.objects.get(programme=programme).generation == generation + 1


def test_a_refresh_is_queued_once(staff, no_worker):
    programme = staff["programme"]
    services.request_refresh([programme.pk])
    services.request_refresh([programme.pk])
    assert no_worker == [programme.pk]
    services.refresh_next_best(programme.pk)  # the worker takes it: the next one is queued
    services.request_refresh([programme.pk])
    assert no_worker == [programme.pk, programme.pk]


@pytest.mark.parametrize(
    "change",
    [
        lambda p, m: MentorFactory(programme=p, ready=True),
        lambda p, m: MatchExclusion.objects.create(
            mentor=MentorFactory(programme=p), mentee=m, source=ExclusionSource.CONFLICT
        ),
        lambda p, m: settings_for(p).save(),
        lambda p, m: m.delete(),
    ],
    ids=["mentor", "exclusion", "settings", "deleted mentee"],
)
def test_every_input_change_makes_the_home_stale(staff, no_worker, no_engine, change):
    programme = staff["programme"]
    (mentee,) = declined(programme)
    other = MenteeFactory(programme=programme, ready=True)
    services.refresh_next_best(programme.pk)
    no_engine()
    url = reverse("staff:matching:home")
    response = staff["client"].get(url)
    assert response.context["declined"][0]["stale"] is False
    change(programme, other)
    response = staff["client"].get(url)
    assert response.context["declined"][0]["stale"] is True
    assert "Being updated: refresh the page in a moment." in response.content.decode()
    assert no_worker == [programme.pk]  # the refresh is queued, not computed in the GET


def test_stored_suggestions_are_stale_the_next_day(staff, no_worker):
    programme = staff["programme"]
    declined(programme)
    services.refresh_next_best(programme.pk)
    SuggestionInputs.objects.update(next_best_on=timezone.localdate() - datetime.timedelta(1))
    response = staff["client"].get(reverse("staff:matching:home"))
    assert response.context["declined"][0]["stale"] is True
    assert no_worker == [programme.pk]


@pytest.mark.parametrize("rows", [1, 6])
def test_home_reads_stored_rows_with_a_constant_query_count(
    staff, rows, no_engine, django_assert_num_queries
):
    programme = staff["programme"]
    second = ProgrammeFactory(organisation=programme.organisation)
    declined(programme, rows)
    declined(second, rows)
    MentorFactory(programme=programme, ready=True)
    url = reverse("staff:matching:home")
    staff["client"].get(url)  # the immediate backend computes the stale suggestions
    no_engine()
    # session, user, membership, programmes, runs, declined, escalated, suggestion inputs,
    # pending changes, stored suggestions with their mentors, the menu's programmes
    with django_assert_num_queries(HOME_QUERIES):
        response = staff["client"].get(url)
    items = response.context["declined"]
    assert len(items) == 2 * rows
    assert all(
        not i["stale"] and i["best_mentor"] for i in items if i["offer"].pair.programme == programme
    )


HOME_QUERIES = 10


@pytest.mark.parametrize("mentors", [1, 20])
def test_mentee_page_reads_a_stored_row_with_a_constant_query_count(
    staff, mentors, no_engine, django_assert_num_queries
):
    programme = staff["programme"]
    for _ in range(mentors):
        MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme, ready=True)
    url = reverse("staff:matching:mentee", args=[mentee.pk])
    staff["client"].get(url)  # missing: the immediate backend computes it
    no_engine()
    # session, user, membership, mentee, stored row, suggestion inputs, pending changes,
    # mentors of the rows, live pair, the 'viewed' row (savepoint, insert, release)
    with django_assert_num_queries(MENTEE_QUERIES):
        response = staff["client"].get(url)
    assert len(response.context["rows"]) == mentors
    assert not response.context["stale"]


MENTEE_QUERIES = 12


def test_mentee_page_stale_shows_the_old_rows_and_queues(staff, no_worker, no_engine):
    programme = staff["programme"]
    MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme, ready=True)
    services.refresh_mentee(mentee.pk)
    no_engine()
    MentorFactory(programme=programme, ready=True)
    response = staff["client"].get(reverse("staff:matching:mentee", args=[mentee.pk]))
    assert response.context["stale"]
    assert len(response.context["rows"]) == 1  # what was computed, shown as being updated
    assert "Being updated: refresh the page in a moment." in response.content.decode()
    assert no_worker == [mentee.pk]


def test_refresh_mentee_twice_computes_once(staff, monkeypatch):
    programme = staff["programme"]
    MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme, ready=True)
    first = services.refresh_mentee(mentee.pk)
    monkeypatch.setattr(engine, "prepare", lambda p: (_ for _ in ()).throw(AssertionError))
    assert services.refresh_mentee(mentee.pk).computed_at == first.computed_at


def test_a_mentee_not_waiting_has_its_exclusions_applied(staff):
    programme = staff["programme"]
    mentor = MentorFactory(programme=programme, ready=True)
    other = MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme)  # applied: outside the problem
    services.add_exclusion(mentor, mentee, acting_user=UserFactory())
    result = services.explain_mentee(mentee)
    assert not result["in_problem"]
    by_mentor = {e["mentor"]: e for e in result["entries"]}
    assert by_mentor[mentor_key(mentor.pk)]["failed"] == ["excluded"]
    assert by_mentor[mentor_key(other.pk)]["feasible"]
    assert [s["mentor"] for s in result["suggestions"]] == [mentor_key(other.pk)]


# --- a run's explain page: the explanation stored by a task --------------------------------


@pytest.fixture
def run(staff, django_capture_on_commit_callbacks):
    from tests.matching.app_helpers import done_run, people

    people(staff["programme"], 3, 4)
    MenteeFactory(programme=staff["programme"], ready=True, place="fr-commune:13055")
    return done_run(staff["programme"], django_capture_on_commit_callbacks)


def test_suggestions_from_the_stored_explanation_are_the_engines(run):
    mentees = [int(e["id"][1:]) for e in run.problem["mentees"]]
    for mentee_pk in mentees:
        entries = services.store_explanation(run.pk, mentee_pk).entries
        assert services.suggestions_from(run, mentee_pk, entries) == services.suggestions_in_run(
            run, mentee_pk
        )
    services.remove_proposal(run.proposals.chosen().first(), acting_user=None)
    for mentee_pk in mentees:
        entries = services.stored_explanation(run, mentee_pk)
        assert services.suggestions_from(run, mentee_pk, entries) == services.suggestions_in_run(
            run, mentee_pk
        )


@pytest.mark.parametrize("mentors", [1, 20])
def test_explain_page_reads_the_stored_explanation(
    staff, django_capture_on_commit_callbacks, mentors, no_engine, django_assert_num_queries
):
    from tests.matching.app_helpers import done_run, people

    people(staff["programme"], mentors, 2)
    run = done_run(staff["programme"], django_capture_on_commit_callbacks)
    mentee = run.proposals.first().mentee
    url = reverse("staff:matching:explain", args=[run.pk, mentee.pk])
    staff["client"].get(url)  # missing: the immediate backend computes it
    no_engine()
    services.prepared_problem.__globals__["_PREPARED"].clear()  # no parsed problem either
    # session, user, membership, run, mentee, stored explanation, chosen pairs, mentors,
    # taken places, the current pair's mentor
    with django_assert_num_queries(EXPLAIN_QUERIES):
        response = staff["client"].get(url)
    assert len(response.context["rows"]) == mentors
    assert response.context["suggestions"]
    assert not response.context["stale"]


EXPLAIN_QUERIES = 10


def test_explain_page_while_being_computed(staff, run, no_worker, no_engine):
    mentee = run.proposals.first().mentee
    no_engine()
    response = staff["client"].get(reverse("staff:matching:explain", args=[run.pk, mentee.pk]))
    assert response.context["stale"]
    assert response.context["rows"] == []
    assert "Being updated: refresh the page in a moment." in response.content.decode()
