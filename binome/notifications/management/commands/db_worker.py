"""django_tasks_db's worker, refusing to start when e-mails would go to the console outside
development (this app is listed before django_tasks_db, so this command wins)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from binome.notifications.transport import refuse_console_email


class Command(DatabaseWorkerCommand):
    help = f"{DatabaseWorkerCommand.help}; refuses the console e-mail backend outside development."

    def handle(self, *args, **options):
        refuse_console_email()
        return super().handle(*args, **options)
