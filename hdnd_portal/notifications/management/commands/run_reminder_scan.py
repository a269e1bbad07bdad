from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hdnd_portal.notifications.models import ScanRun
from hdnd_portal.notifications.services import reminder_scan


class Command(BaseCommand):
    help = "Run one reminder scan now (the same scan beat runs every 15 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Scan as of this day (YYYY-MM-DD or dd/mm/yyyy); default today")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            text = options["date"]
            try:
                today = date.fromisoformat(text) if "-" in text else date(*reversed([int(p) for p in text.split("/")]))
            except ValueError:
                raise CommandError(f"Not a date: {text}")
        run = reminder_scan(today, trigger=ScanRun.Trigger.MANUAL, batch_size=options["batch_size"])
        self.stdout.write(
            f"Scan of {run.today:%d/%m/%Y}: {run.candidates} deadlines examined in {run.batches} batch(es), "
            f"{run.reminders} reminder(s) ({run.escalations} escalation(s)), {run.emails_queued} e-mail(s) queued, "
            f"{run.emails_requeued} re-queued, {run.duration_ms} ms."
        )
