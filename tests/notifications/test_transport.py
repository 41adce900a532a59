"""The console e-mail backend prints every e-mail (names, personal links): the worker and the
mail commands refuse it outside development, and `check --deploy` reports it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from binome.notifications.models import OutboxEmail, OutboxState

pytestmark = pytest.mark.django_db

CONSOLE = "django.core.mail.backends.console.EmailBackend"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
COMMANDS = [
    ("db_worker", {"batch": True, "interval": 0, "reload": False}),
    ("send_queued_emails", {}),
    ("matching_reminders", {}),
]


@pytest.mark.parametrize(("name", "options"), COMMANDS)
def test_refused_with_the_console_backend_outside_development(settings, name, options):
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = CONSOLE
    settings.DEBUG = False
    OutboxEmail.objects.create(
        to="jeanne@example.org", subject="s", body="b", category="c", organisation=None
    )
    with pytest.raises(CommandError, match="E-mails would go to the console"):
        call_command(name, **options)
    assert OutboxEmail.objects.get().state == OutboxState.QUEUED  # nothing printed, nothing sent


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
@pytest.mark.parametrize(("name", "options"), COMMANDS)
def test_allowed_in_development(settings, name, options):
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = CONSOLE
    settings.DEBUG = True
    call_command(name, **options)


def test_the_worker_is_ours_and_still_the_database_worker():
    from django.core.management import get_commands
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

    from binome.notifications.management.commands.db_worker import Command

    assert get_commands()["db_worker"] == "binome.notifications"
    assert issubclass(Command, DatabaseWorker)


def test_deploy_check_reports_the_console_backend(settings):
    settings.EMAIL_BACKEND = CONSOLE
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="binome.E001"):
        call_command("check", "--deploy")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    call_command("check", "--deploy", "--fail-level", "ERROR")
