"""The Redis/RQ tasks backend (BINOME_TASKS_BACKEND=django_tasks_rq.RQBackend) runs Binôme's
real tasks: e-mail delivery and a matching run, in a worker and in two worker processes.

Needs Redis on 127.0.0.1:6379 (.ci/run starts it). Each test claims a Redis database of its
own (1-15, SET NX), so parallel runs never share a queue, and flushes it at the end."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from rq import Worker
from rq.registry import FinishedJobRegistry

from binome.matching import services
from binome.matching.enums import RunState
from binome.matching.models import MatchingRun
from binome.notifications.models import OutboxEmail, OutboxState
from binome.notifications.services import queue_email
from tests.factories import OrganisationFactory, PairFactory, ProgrammeFactory
from tests.matching.app_helpers import people

ROOT = Path(__file__).resolve().parents[2]
HOST, PORT = "127.0.0.1", 6379
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
CLAIM = "binome:test:claim"
TIMEOUT = 120  # seconds for the workers to do everything


def _redis_answers():
    try:
        return redis.Redis(host=HOST, port=PORT, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(
        not _redis_answers(), reason=f"Redis does not answer on {HOST}:{PORT} (.ci/run starts it)"
    ),
    pytest.mark.django_db(transaction=True),  # the workers read what the test committed
]


@pytest.fixture
def redis_url():
    """A Redis database of this test alone, emptied before and flushed after."""
    token = secrets.token_hex(8)
    for db in range(1, 16):
        client = redis.Redis(host=HOST, port=PORT, db=db)
        try:
            claimed = client.set(CLAIM, token, nx=True, ex=TIMEOUT * 5)
        except redis.ResponseError:  # fewer databases configured
            break
        if claimed:
            break
        client.close()
    else:
        pytest.fail("no free Redis database among 1-15")
    if not claimed:
        pytest.fail("no free Redis database among the configured ones")
    for key in client.scan_iter("rq:*"):
        client.delete(key)
    try:
        yield f"redis://{HOST}:{PORT}/{db}"
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def rq_backend(settings, redis_url):
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": TIMEOUT}}
    return redis_url


def _queue_emails(count):
    org = OrganisationFactory(name="Passerelles")
    pair = PairFactory(programme__organisation=org, mentor__first_name="Jeanne")
    with transaction.atomic():
        return [
            queue_email(
                to=f"jeanne{i}@example.org",
                template="emails/pair_proposed",
                context={"pair": pair, "person": pair.mentor, "organisation": org},
                category="pair_proposed",
                organisation=org,
            )
            for i in range(count)
        ]


def _finished_job_ids(redis_url):
    import django_rq

    return FinishedJobRegistry(queue=django_rq.get_queue("default")).get_job_ids()


def test_a_worker_delivers_the_emails_and_computes_the_run(rq_backend, mailoutbox):
    from binome.notifications.tasks import deliver_email

    emails = _queue_emails(2)
    programme = ProgrammeFactory()
    people(programme, 1, 1)
    run = services.start_run(programme, acting_user=None)

    # Queued in Redis, nothing done yet: the web process never runs a task.
    run.refresh_from_db()
    assert run.state == RunState.QUEUED
    assert deliver_email.get_backend().get_result(run.task_id).status == "READY"
    assert {e.state for e in OutboxEmail.objects.all()} == {OutboxState.QUEUED}
    assert services.stale_runs([run]) == {}  # waiting for a worker, not stuck

    call_command("rqworker", "default", burst=True, worker_class="rq.SimpleWorker", verbosity=0)

    assert {e.state for e in OutboxEmail.objects.filter(pk__in=[e.pk for e in emails])} == {
        OutboxState.SENT
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["jeanne0@example.org", "jeanne1@example.org"]
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert run.proposals.count() == 1
    result = deliver_email.get_backend().get_result(run.task_id)
    assert result.status == "SUCCESSFUL"
    assert services.stale_runs([run]) == {}
    assert len(_finished_job_ids(rq_backend)) == 3


def test_the_worker_refuses_the_database_backend_and_console_email(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(CommandError, match="not django_tasks_rq.RQBackend"):
        call_command("rqworker", "default", burst=True)
    settings.TASKS = RQ_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.DEBUG = False
    with pytest.raises(CommandError, match="E-mails would go to the console"):
        call_command("rqworker", "default", burst=True)


def test_the_worker_is_ours_and_still_django_rqs():
    from django.core.management import get_commands
    from django_rq.management.commands.rqworker import Command as RQWorker

    from binome.notifications.management.commands.rqworker import Command

    assert get_commands()["rqworker"] == "binome.notifications"
    assert issubclass(Command, RQWorker)


def _database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker processes need a database they share with the test (PostgreSQL); "
    "the SQLite test database lives in this process's memory",
)
def test_two_worker_processes_share_the_work(rq_backend, tmp_path):
    import django_rq

    emails = _queue_emails(5)
    programme = ProgrammeFactory()
    people(programme, 2, 2)
    run = services.start_run(programme, acting_user=None)
    jobs = len(emails) + 1
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.tasks.rq_settings",
        "DATABASE_URL": _database_url(),
        "BINOME_REDIS_URL": rq_backend,
    }
    names = [f"binome-test-{secrets.token_hex(4)}-{i}" for i in range(2)]
    workers = []
    try:
        for name in names:
            # Each may do all but one job: both must take part for everything to be done.
            command = [sys.executable, "manage.py", "rqworker", "default", "--name", name]
            command += ["--max-jobs", str(jobs - 1)]
            with (tmp_path / f"{name}.log").open("w") as log:
                workers.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )

        def done():
            for worker in workers:
                assert worker.poll() in (None, 0), "a worker failed"
            sent = OutboxEmail.objects.filter(pk__in=[e.pk for e in emails], state="sent")
            return sent.count() == len(emails) and (
                MatchingRun.objects.get(pk=run.pk).state == RunState.DONE
            )

        try:
            _wait(done, "the workers")
        except (AssertionError, pytest.fail.Exception):
            logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("*.log")))
            raise AssertionError(f"worker logs:\n{logs}") from None
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    run.refresh_from_db()
    assert run.proposals.count() == 2
    from binome.notifications.tasks import deliver_email

    # Each result names the worker that ran it: both did.
    results = [deliver_email.get_backend().get_result(i) for i in _finished_job_ids(rq_backend)]
    assert len(results) == jobs
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert {w for r in results for w in r.worker_ids} == set(names)
    assert not Worker.all(connection=django_rq.get_connection())  # all stopped
