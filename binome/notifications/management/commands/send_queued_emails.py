from django.core.management.base import BaseCommand

from binome.notifications.models import OutboxState
from binome.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send the queued e-mails and retry the failed ones (run it every few minutes)."

    def handle(self, *args, **options):
        results = [e for e in deliver_due() if e is not None]
        sent = sum(e.state == OutboxState.SENT for e in results)
        self.stdout.write(f"sent={sent} failed={len(results) - sent}")
