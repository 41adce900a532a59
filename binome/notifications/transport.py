"""Guards on the e-mail transport: the console backend prints every e-mail (names, personal
links) to the output, which is only acceptable in development (DEBUG)."""

from django.conf import settings
from django.core import checks
from django.core.management.base import CommandError

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def console_email_outside_development():
    return settings.EMAIL_BACKEND == CONSOLE_BACKEND and not settings.DEBUG


REFUSAL = (
    "E-mails would go to the console (printed with names and links) outside development. "
    "Set DJANGO_EMAIL_HOST/DJANGO_EMAIL_PORT (or DJANGO_EMAIL_BACKEND) for production, or "
    "use DJANGO_SETTINGS_MODULE=config.settings.dev (make run) for development."
)


def refuse_console_email():
    """Called first by the commands that send e-mail (the worker, send_queued_emails…)."""
    if console_email_outside_development():
        raise CommandError(REFUSAL)


@checks.register(checks.Tags.security, deploy=True)
def check_email_transport(app_configs=None, **kwargs):
    if console_email_outside_development():
        return [checks.Error(REFUSAL, id="binome.E001")]
    return []
