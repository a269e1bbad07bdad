"""Measure the reminder scan on a large generated table (your own database only).

    manage.py benchmark_reminder_scan --open 300000           # add open deadlines, then time scans
    manage.py benchmark_reminder_scan --open 300000 --future  # add them all beyond the scan horizon
    manage.py benchmark_reminder_scan --clear                 # remove the generated data

Generated deadlines belong to councils coded BENCH…; due dates are spread uniformly from 180 days
ago to 540 days ahead (or, with --future, 60–720 days ahead), so about 28 % are due or overdue."""

import random
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from hdnd_portal.core.models import Agency, Council, CouncilRole, Deadline, User
from hdnd_portal.notifications.models import Notification, ReminderLog
from hdnd_portal.notifications.services import reminder_scan

COUNCILS = 20
AGENCIES = 5


class Command(BaseCommand):
    help = "Generate open deadlines and time the reminder scan (first run and a steady-state re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--open", type=int, default=0, help="How many open deadlines to add")
        parser.add_argument("--future", action="store_true", help="Add them beyond the scan horizon")
        parser.add_argument("--clear", action="store_true")
        parser.add_argument("--no-scan", action="store_true")

    def handle(self, *args, **options):
        if options["clear"]:
            self.clear()
            return
        if options["open"]:
            self.generate(options["open"], options["future"])
        total = Deadline.objects.filter(state="open").count()
        self.stdout.write(f"open deadlines: {total}")
        if options["no_scan"]:
            return
        self.reset_reminders()
        for label in ("first scan (creates reminders)", "steady-state re-scan"):
            cpu = time.process_time()
            run = reminder_scan()
            self.stdout.write(
                f"{label}: {run.duration_ms} ms wall ({(time.process_time() - cpu) * 1000:.0f} ms Python CPU), "
                f"{run.candidates} examined in {run.batches} batches, {run.reminders} reminders"
            )
        with connection.cursor() as cursor:
            today = timezone.localdate()
            cursor.execute(
                "EXPLAIN ANALYZE SELECT id, due_date FROM core_deadline WHERE state = 'open' AND due_date <= %s "
                "ORDER BY due_date, id LIMIT 2000",
                [today + timedelta(days=21)],
            )
            self.stdout.write("\n".join(r[0] for r in cursor.fetchall()))
        from hdnd_portal.celery import app

        app.control.purge()  # no worker here: drop the queued mail tasks

    def councils(self):
        councils = list(Council.objects.filter(code__startswith="BENCH").order_by("id"))
        if councils:
            for i, council in enumerate(councils):
                if not CouncilRole.objects.filter(council=council, role="leader").exists():
                    leader = User.objects.create(username=f"bench_leader_{i}", email=f"leader{i}@bench.vn")
                    CouncilRole.objects.create(user=leader, council=council, role="leader")
            return councils
        with transaction.atomic():
            for i in range(COUNCILS):
                council = Council.objects.create(
                    name=f"Xã Thử Nghiệm {i}", level="commune", unit_kind="xa", code=f"BENCH{i:03d}"
                )
                staff = User.objects.create(username=f"bench_staff_{i}", email=f"staff{i}@bench.vn")
                CouncilRole.objects.create(user=staff, council=council, role="staff")
                leader = User.objects.create(username=f"bench_leader_{i}", email=f"leader{i}@bench.vn")
                CouncilRole.objects.create(user=leader, council=council, role="leader")
                for j in range(AGENCIES):
                    agency = Agency.objects.create(council=council, name=f"Phòng {j} xã {i}")
                    responder = User.objects.create(username=f"bench_resp_{i}_{j}", email=f"r{i}_{j}@bench.vn")
                    CouncilRole.objects.create(user=responder, council=council, role="responder", agency=agency)
                councils.append(council)
        return councils

    def generate(self, n: int, future: bool) -> None:
        rng = random.Random(n + future)
        councils = self.councils()
        agencies = {c.id: list(Agency.objects.filter(council=c).values_list("id", flat=True)) for c in councils}
        ct = ContentType.objects.get_for_model(Agency)
        today = timezone.localdate()
        start_id = (Deadline.objects.order_by("-object_id").values_list("object_id", flat=True).first() or 0) + 1
        low, high = (60, 720) if future else (-180, 540)
        started = time.perf_counter()
        batch = []
        for k in range(n):
            council = rng.choice(councils)
            due = today + timedelta(days=rng.randint(low, high))
            batch.append(
                Deadline(
                    council=council,
                    content_type=ct,
                    object_id=start_id + k,
                    kind="bench.response",
                    title=f"Hạn thử nghiệm {start_id + k}",
                    start_date=due - timedelta(days=30),
                    due_date=due,
                    original_due_date=due,
                    responsible_agency_id=rng.choice(agencies[council.id]),
                )
            )
            if len(batch) == 10000:
                Deadline.objects.bulk_create(batch)
                batch = []
        Deadline.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_deadline")
        self.stdout.write(f"generated {n} in {time.perf_counter() - started:.1f} s")

    def reset_reminders(self) -> None:
        """Forget the generated deadlines' reminders (only theirs), so the first scan starts clean."""
        ReminderLog.objects.filter(deadline__kind="bench.response")._raw_delete(ReminderLog.objects.db)
        Notification.objects.filter(deadline__kind="bench.response")._raw_delete(Notification.objects.db)

    def clear(self) -> None:
        self.reset_reminders()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_historicaldeadline WHERE kind = 'bench.response'")
            cursor.execute("DELETE FROM core_deadline WHERE kind = 'bench.response'")
        self.stdout.write("cleared")
