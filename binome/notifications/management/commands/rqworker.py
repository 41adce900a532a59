"""django_rq's worker for the RQ tasks backend (BINOME_TASKS_BACKEND=django_tasks_rq.RQBackend):
refuses to start when e-mails would go to the console outside development, or when the tasks
backend is not RQ; runs the jobs with django_tasks_rq's job class unless told otherwise."""

from django.conf import settings
from django.core.management.base import CommandError
from django_rq.management.commands.rqworker import Command as RQWorkerCommand

from binome.notifications.transport import refuse_console_email

RQ_BACKEND = "django_tasks_rq.RQBackend"


class Command(RQWorkerCommand):
    help = "Runs RQ workers for the tasks; refuses the console e-mail backend outside development."

    def handle(self, *args, **options):
        refuse_console_email()
        if settings.TASKS["default"]["BACKEND"] != RQ_BACKEND:
            raise CommandError(
                f"The tasks backend is not {RQ_BACKEND}: set BINOME_TASKS_BACKEND={RQ_BACKEND} "
                "(and BINOME_REDIS_URL), or run `manage.py db_worker` for the database backend."
            )
        options["job_class"] = options.get("job_class") or "django_tasks_rq.Job"
        return super().handle(*args, **options)
