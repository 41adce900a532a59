from django.core.management.base import BaseCommand

from binome.matching.services import remind_unanswered


class Command(BaseCommand):
    help = (
        "Remind mentors who have not answered a proposal; hand the oldest back to the staff "
        "(run it daily)."
    )

    def handle(self, *args, **options):
        counts = remind_unanswered()
        self.stdout.write(
            f"reminded={counts.get('reminded', 0)} escalated={counts.get('escalated', 0)}"
        )
