"""A matching run never stays "running" forever: a failure (storing the result included) marks
it failed with the reason, a stuck run (worker gone, task ended) is detected, the staff see it
and start it again; every state change goes through the transition table and its log."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.statemachine import InvalidTransition
from binome.matching import services
from binome.matching.enums import RUN_TRANSITIONS, RunFailure, RunState
from binome.matching.models import MatchingRun
from binome.people.models import Mentor
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.matching.app_helpers import people

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _moves(run):
    return [(t.from_state, t.to_state) for t in run.transitions.order_by("at", "id")]


def _worker_dies_while_solving(monkeypatch):
    """The process computing the run stops in the middle (killed, shut down)."""

    def die(problem):
        raise SystemExit(1)

    monkeypatch.setattr(services.engine, "solve", die)


@pytest.mark.django_db(transaction=True)
def test_storing_the_result_fails_then_the_retry_completes(monkeypatch):
    programme = ProgrammeFactory()
    mentors, _ = people(programme, 2, 2)
    greedy = services.engine.greedy

    def mentor_leaves_meanwhile(problem):
        # A mentor is deleted while the run computes: storing their proposal breaks the
        # foreign key when the result is committed.
        Mentor.objects.filter(pk=mentors[0].pk).delete()
        monkeypatch.setattr(services.engine, "greedy", greedy)
        return greedy(problem)

    monkeypatch.setattr(services.engine, "greedy", mentor_leaves_meanwhile)
    user = UserFactory()
    run = services.start_run(programme, acting_user=user)  # autocommit: computed on commit
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert run.failure == RunFailure.STORAGE
    assert run.error == "IntegrityError"
    assert run.finished_at is not None
    assert not run.proposals.exists()
    assert _moves(run) == [("", "queued"), ("queued", "running"), ("running", "failed")]
    assert run.transitions.last().reason == "The result could not be saved"

    services.retry_run(run, acting_user=user)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert (run.failure, run.error) == ("", "")
    assert run.proposals.count() == 1
    assert _moves(run)[3:] == [("failed", "queued"), ("queued", "running"), ("running", "done")]
    assert run.transitions.get(to_state="queued", from_state="failed").by == user


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_stuck_after_the_delay(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.BINOME_MATCHING_STALE_MINUTES = 30
    programme = ProgrammeFactory()
    people(programme, 1, 1)
    run = services.start_run(programme, acting_user=None)  # no commit: stays queued
    _worker_dies_while_solving(monkeypatch)
    with pytest.raises(SystemExit):
        services.run_matching(run.pk)
    run.refresh_from_db()
    assert run.state == RunState.RUNNING
    assert services.stale_runs([run]) == {}
    with pytest.raises(ValidationError, match="still going"):
        services.retry_run(run, acting_user=None)
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert services.stale_runs([run], now=later) == {run.pk: RunFailure.STALLED}

    monkeypatch.undo()
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        services.retry_run(run, acting_user=None)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert _moves(run) == [
        ("", "queued"),
        ("queued", "running"),
        ("running", "failed"),
        ("failed", "queued"),
        ("queued", "running"),
        ("running", "done"),
    ]
    assert run.transitions.get(to_state="failed").reason == (
        "The background worker stopped before the end of the run"
    )


@pytest.mark.django_db
def test_a_run_never_started_is_stuck_after_the_delay(settings):
    settings.BINOME_MATCHING_STALE_MINUTES = 30
    run = services.start_run(ProgrammeFactory(), acting_user=None)  # no worker
    assert services.stale_runs([run]) == {}
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert services.stale_runs([run], now=later) == {run.pk: RunFailure.NOT_STARTED}


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_it_and_an_ended_task_means_stuck(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    programme = ProgrammeFactory()
    people(programme, 1, 1)
    run = services.start_run(programme, acting_user=None)
    run.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert run.task_id == str(task.id)
    assert run.state == RunState.QUEUED
    assert services.stale_runs([run]) == {}  # waiting for the worker, not stuck yet

    # The worker takes it and stops in the middle: the task ended, the run did not.
    _worker_dies_while_solving(monkeypatch)
    call_command("db_worker", batch=True, interval=0, reload=False)
    run.refresh_from_db()
    assert run.state == RunState.RUNNING
    assert DBTaskResult.objects.get().status == "FAILED"
    assert services.stale_runs([run]) == {run.pk: RunFailure.STALLED}

    monkeypatch.undo()
    services.retry_run(run, acting_user=None)
    run.refresh_from_db()
    assert run.state == RunState.QUEUED
    assert services.stale_runs([run]) == {}  # a new task is waiting
    call_command("db_worker", batch=True, interval=0, reload=False)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert run.proposals.count() == 1

    # A queued run whose task is gone (pruned, lost) is stuck at once.
    other = services.start_run(programme, acting_user=None)
    other.refresh_from_db()
    DBTaskResult.objects.filter(id=other.task_id).delete()
    assert services.stale_runs([other]) == {other.pk: RunFailure.NOT_STARTED}

    # A task id this backend cannot read (queued under another backend) is gone, not a 500.
    MatchingRun.objects.filter(pk=other.pk).update(task_id="not-a-uuid")
    other.refresh_from_db()
    assert services.stale_runs([other]) == {other.pk: RunFailure.NOT_STARTED}


@pytest.mark.django_db
def test_a_late_result_of_an_abandoned_computation_is_dropped(monkeypatch):
    """The old worker was only slow: the run was retried meanwhile; its result is ignored."""
    programme = ProgrammeFactory()
    people(programme, 1, 1)
    run = services.start_run(programme, acting_user=None)
    solve = services.engine.solve

    def slow(problem):
        later = timezone.now() + datetime.timedelta(minutes=31)
        with time_machine.travel(later):
            services.retry_run(run, acting_user=None)  # the staff retry meanwhile
        return solve(problem)

    monkeypatch.setattr(services.engine, "solve", slow)
    assert services.run_matching(run.pk) is None
    run.refresh_from_db()
    assert run.state == RunState.QUEUED  # waiting for its new computation
    assert not run.proposals.exists()


@pytest.mark.django_db
def test_every_run_transition_allowed_and_forbidden():
    from binome.matching.services import _transition

    programme = ProgrammeFactory()
    for from_state in RunState.values:
        for to_state in RunState.values:
            run = MatchingRun.objects.create(programme=programme, state=from_state)
            if to_state in RUN_TRANSITIONS[from_state]:
                _transition(run, to_state, acting_user=None)
                run.refresh_from_db()
                assert run.state == to_state
                assert _moves(run) == [(from_state, to_state)]
            else:
                with pytest.raises(InvalidTransition):
                    _transition(run, to_state, acting_user=None)


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.cookies["django_language"] = "en"
    programme = ProgrammeFactory(organisation=membership.organisation, name="Cap Emploi")
    return {"client": client, "membership": membership, "programme": programme}


@pytest.mark.django_db
def test_staff_see_a_stuck_run_and_start_it_again(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    c = staff["client"]
    people(staff["programme"], 1, 1)
    run = services.start_run(staff["programme"], acting_user=None)
    _worker_dies_while_solving(monkeypatch)
    with pytest.raises(SystemExit):
        services.run_matching(run.pk)
    monkeypatch.undo()
    url = reverse("staff:matching:run", args=[run.pk])
    html = c.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "seems stuck" not in html
    response = c.post(reverse("staff:matching:retry", args=[run.pk]), follow=True)
    assert "This run is still going" in response.content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert c.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
        html = c.get(url).content.decode()
        assert (
            "This run seems stuck. The background worker stopped before the end of the run." in html
        )
        assert 'hx-trigger="every 2s"' not in html
        assert reverse("staff:matching:retry", args=[run.pk]) in html
        home = c.get(reverse("staff:matching:home")).content.decode()
        assert "Runs that failed or are stuck" in home
        assert "Stuck" in home

        partner = MembershipFactory(organisation=staff["membership"].organisation, role="partner")
        c.force_login(partner.user)
        assert c.post(reverse("staff:matching:retry", args=[run.pk])).status_code == 403
        c.force_login(staff["membership"].user)
        with django_capture_on_commit_callbacks(execute=True):
            response = c.post(reverse("staff:matching:retry", args=[run.pk]))
        assert response.url == url
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert (
        "Runs that failed or are stuck"
        not in c.get(reverse("staff:matching:home")).content.decode()
    )


@pytest.mark.django_db
def test_staff_see_a_failed_run_with_its_reason(staff, monkeypatch):
    def invalid(problem):
        raise services.engine.InvalidProblem("mentors[0] (id 'm1'): bad")

    monkeypatch.setattr(services.engine, "solve", invalid)
    run = services.start_run(staff["programme"], acting_user=None)
    services.run_matching(run.pk)
    html = staff["client"].get(reverse("staff:matching:run", args=[run.pk])).content.decode()
    assert "The run failed. The engine could not read the people&#x27;s data." in html
    assert "mentors[0] (id &#x27;m1&#x27;): bad" in html
    assert reverse("staff:matching:retry", args=[run.pk]) in html
    # A run that is done cannot be started again.
    monkeypatch.undo()
    services.retry_run(run, acting_user=None)
    services.run_matching(run.pk)
    response = staff["client"].post(reverse("staff:matching:retry", args=[run.pk]), follow=True)
    assert "Only a failed or stuck run can be started again." in response.content.decode()
