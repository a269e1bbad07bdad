import importlib
import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import translation

from hdnd_portal.core.demo import extra_province_codes, seed_core, seed_province
from hdnd_portal.core.models import Council

# The notifications demo runs last: one reminder scan over the deadlines the four apps registered.
APPS = ["sessions", "oversight", "voters", "citizens", "programmes", "public", "hdnd_portal.notifications"]
NOTIFICATIONS = "hdnd_portal.notifications"


class Command(BaseCommand):
    help = ("Create realistic Vietnamese demo data: Hà Nội with 4 communes, or with --scale all 126 communes "
            "over the 2021–2026 term (deterministic); --provinces N adds N−1 more provinces from the official "
            "list with the same data. Each app adds its records from <app>/demo.py.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="the benchmark dataset (126 communes, 5 years)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if councils already exist")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--provinces", type=int, default=1,
            help="Hà Nội and N−1 more provinces (the next large ones by code), each with all its communes "
                 "and the same data per council (default 1)",
        )
        parser.add_argument("--communes", type=int, help="at most this many communes per province (a quick run)")

    def handle(self, *args, scale=False, if_empty=False, seed=2021, provinces=1, communes=None, **options):
        if Council.objects.exists():
            if if_empty:
                return
            raise CommandError("The database already has councils; seed an empty database (or use --if-empty).")
        if provinces < 1:
            raise CommandError("--provinces must be at least 1.")
        try:
            extra = extra_province_codes(provinces - 1)
        except ValueError as error:
            raise CommandError(str(error))
        # Stored texts (deadline titles, generated names) are written in the portal's language.
        translation.activate(settings.LANGUAGE_CODE)
        started = time.monotonic()
        contexts = [seed_core(scale=scale, seed=seed, communes=communes)]
        self.populate(contexts[0], started)
        # Each further province: its own context and generator (Random(seed + index)), so Hà Nội's
        # data above is the same whatever --provinces says.
        for index, code in enumerate(extra, start=1):
            core_started = time.monotonic()
            ctx = seed_province(code, scale=scale, seed=seed, index=index, communes=communes)
            contexts.append(ctx)
            self.populate(ctx, core_started)
        if not scale:
            # The first scan over a whole term is a benchmark of its own (benchmark_reminder_scan).
            self.run_app(NOTIFICATIONS, contexts[0])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s."))

    def populate(self, ctx, core_started: float) -> None:
        """Every app's records for one province (the context seed_core or seed_province made)."""
        self.stdout.write(
            f"{ctx.province.council.name}: {len(ctx.all_councils)} councils ({time.monotonic() - core_started:.1f}s)"
        )
        for app in APPS:
            if app != NOTIFICATIONS:
                self.run_app(app, ctx)

    def run_app(self, app: str, ctx) -> None:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name == f"{app}.demo":
                return
            raise
        app_started = time.monotonic()
        module.populate(ctx)
        self.stdout.write(f"  {app}: done ({time.monotonic() - app_started:.1f}s)")
