import io

import pytest
from django.core.management import call_command
from django.db import transaction

from binome.core.statemachine import InvalidTransition
from binome.notifications.enums import OUTBOX_TRANSITIONS
from binome.notifications.models import OutboxEmail, OutboxState
from binome.notifications.services import _move, deliver, deliver_due, queue_email
from tests.factories import OrganisationFactory, PairFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _queue():
    org = OrganisationFactory(name="Passerelles")
    pair = PairFactory(programme__organisation=org, mentor__first_name="Jeanne")
    return queue_email(
        to="jeanne@example.org",
        template="emails/pair_proposed",
        context={"pair": pair, "person": pair.mentor, "organisation": org},
        category="pair_proposed",
        organisation=org,
    )


@pytest.mark.django_db(transaction=True)
def test_database_worker_delivers_after_commit(settings, mailoutbox):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        email = _queue()
        assert not DBTaskResult.objects.exists()  # nothing leaves before the commit
    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []  # not sent inside the request
    call_command("db_worker", batch=True, interval=0, reload=False)
    email.refresh_from_db()
    assert email.state == OutboxState.SENT
    assert mailoutbox[0].subject == "Passerelles : un ou une mentoré·e vous est proposé·e"
    assert "Bonjour Jeanne" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(settings, mailoutbox):
    settings.TASKS = DB_TASKS

    def change_that_fails():
        with transaction.atomic():
            _queue()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboxEmail.objects.exists()


def test_failure_is_recorded_and_retried(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = _queue()
    deliver(email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboxState.FAILED, 1)
    assert "unreachable" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_emails")
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboxState.SENT, 2)
    assert len(mailoutbox) == 1
    # Sent once: delivering again does nothing.
    assert deliver(email.pk) is None
    assert deliver_due() == []


def test_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = _queue()
    deliver(email.pk)
    deliver_due()
    assert deliver_due() == []
    email.refresh_from_db()
    assert email.attempts == 2


def test_send_all_rounds_until_nothing_is_due(mailoutbox):
    for _ in range(5):
        _queue()
    out = io.StringIO()
    call_command("send_queued_emails", "--limit", "2", "--all", stdout=out)
    assert out.getvalue().strip() == "sent=5 failed=0"
    assert len(mailoutbox) == 5
    assert not OutboxEmail.objects.exclude(state=OutboxState.SENT).exists()


def test_send_all_stops_at_the_first_failing_round(settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    for _ in range(3):
        _queue()
    out = io.StringIO()
    call_command("send_queued_emails", "--limit", "2", "--all", stdout=out)
    # One round only: failed e-mails wait for a later run instead of burning their attempts.
    assert out.getvalue().strip() == "sent=0 failed=2"
    assert sorted(OutboxEmail.objects.values_list("attempts", flat=True)) == [0, 1, 1]


def test_the_delivery_state_moves_only_through_its_table():
    assert set(OUTBOX_TRANSITIONS) == set(OutboxState.values)
    sent = OutboxEmail(state=OutboxState.SENT)
    with pytest.raises(InvalidTransition):
        _move(sent, OutboxState.FAILED)
    failed = OutboxEmail(state=OutboxState.FAILED)
    _move(failed, OutboxState.SENT)
    assert failed.state == OutboxState.SENT
