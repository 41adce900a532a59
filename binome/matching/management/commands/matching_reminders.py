from django.core.management.base import BaseCommand

from binome.matching.services import remind_unanswered
from binome.notifications.transport import refuse_console_email


class Command(BaseCommand):
    help = (
        "Remind mentors who have not answered a proposal; hand the oldest back to the staff "
        "(run it daily)."
    )

    def handle(self, *args, **options):
        refuse_console_email()
        counts = remind_unanswered()
        self.stdout.write(
            f"reminded={counts.get('reminded', 0)} escalated={counts.get('escalated', 0)}"
        )
