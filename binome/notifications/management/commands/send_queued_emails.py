from django.core.management.base import BaseCommand

from binome.notifications.models import OutboxState
from binome.notifications.services import deliver_due
from binome.notifications.transport import refuse_console_email


class Command(BaseCommand):
    help = "Send the queued e-mails and retry the failed ones (run it every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="e-mails per round")
        parser.add_argument(
            "--all",
            action="store_true",
            help="rounds until nothing is due (after a batch routing), stopping at the first "
            "round with a failure so failed e-mails wait for a later run",
        )

    def handle(self, *args, limit, all, **options):
        refuse_console_email()
        sent = failed = 0
        while True:
            results = [e for e in deliver_due(limit=limit) if e is not None]
            round_sent = sum(e.state == OutboxState.SENT for e in results)
            sent += round_sent
            failed += len(results) - round_sent
            if not (all and results and round_sent == len(results)):
                break
        self.stdout.write(f"sent={sent} failed={failed}")
