import importlib
import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import translation

from hdnd_portal.core.demo import seed_core
from hdnd_portal.core.models import Council

# The notifications demo runs last: one reminder scan over the deadlines the four apps registered.
APPS = ["sessions", "oversight", "voters", "citizens", "programmes", "public", "hdnd_portal.notifications"]


class Command(BaseCommand):
    help = ("Create realistic Vietnamese demo data: Hà Nội with 4 communes, or with --scale all 126 communes "
            "over the 2021–2026 term (deterministic). Each app adds its records from <app>/demo.py.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="the benchmark dataset (126 communes, 5 years)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if councils already exist")
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, scale=False, if_empty=False, seed=2021, **options):
        if Council.objects.exists():
            if if_empty:
                return
            raise CommandError("The database already has councils; seed an empty database (or use --if-empty).")
        # Stored texts (deadline titles, generated names) are written in the portal's language.
        translation.activate(settings.LANGUAGE_CODE)
        started = time.monotonic()
        ctx = seed_core(scale=scale, seed=seed)
        self.stdout.write(f"core: {len(ctx.all_councils)} councils ({time.monotonic() - started:.1f}s)")
        for app in APPS:
            if scale and app == "hdnd_portal.notifications":
                continue  # the first scan over a whole term is a benchmark of its own (benchmark_reminder_scan)
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name == f"{app}.demo":
                    continue
                raise
            app_started = time.monotonic()
            module.populate(ctx)
            self.stdout.write(f"{app}: done ({time.monotonic() - app_started:.1f}s)")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s."))
