from django.core.management.base import BaseCommand

from binome.registrations import services


class Command(BaseCommand):
    help = (
        "Remind associations of unanswered requests (day 3 and day 6) and move on the ones "
        "left unanswered for BINOME_ROUTING_ANSWER_DAYS (default 7). Idempotent; run hourly."
    )

    def handle(self, *args, **options):
        counts = services.send_reminders()
        self.stdout.write(f"{counts['reminded']} reminders, {counts['timed_out']} moved on")
