from django.core.management.base import BaseCommand

from binome.registrations import services


class Command(BaseCommand):
    help = (
        "Route every received registration (idempotent: run it as often as you like). "
        "--batch routes them all at once (one transaction, bulk writes, e-mails left queued "
        "for send_queued_emails)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument(
            "--batch",
            action="store_true",
            help="solve every waiting request at once and write the results in bulk",
        )

    def handle(self, *args, limit=None, batch=False, **options):
        if batch:
            if limit is not None:
                self.stderr.write("--limit is ignored with --batch")
            report = services.route_pending_batch()
            self.stdout.write(format_report(report))
            return
        seen, routed = services.route_pending(limit=limit)
        self.stdout.write(f"{seen} waiting for routing, {routed} sent to an association")


def format_report(report):
    return (
        f"{report.waiting} waiting for routing, {report.routed} sent to an association, "
        f"{report.queued} to the federation's queue ({report.groups} groups, "
        f"{report.emails} e-mails queued)\n"
        f"load {report.load_seconds:.2f} s, group+solve {report.solve_seconds:.2f} s, "
        f"write {report.write_seconds:.2f} s, total {report.total_seconds:.2f} s"
        + (
            " (write: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.write_parts.items())
            + ")"
            if report.write_parts
            else ""
        )
    )
