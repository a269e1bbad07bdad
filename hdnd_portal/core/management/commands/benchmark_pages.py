import statistics
import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.models import User

DEFAULT_PAGES = [
    "/core/deputies/", "/core/deputies/?q=nguyen+van", "/core/deputies/?below=1", "/core/agencies/?below=1",
    "/core/memberships/", "/core/councils/",
]


class Command(BaseCommand):
    help = ("Time pages as a logged-in user (p50/p95 over --runs, after one warm-up) and count their SQL "
            "queries. Benchmark only: run it against the scale dataset (seed_demo --scale).")

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="paths to time (default: the core lists)")
        parser.add_argument("--user", default="canbo")
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, urls=(), user="canbo", runs=20, **options):
        settings.ALLOWED_HOSTS = ["*"]
        try:
            account = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user {user!r}; seed the demo data first")
        client = Client()
        client.force_login(account)
        self.stdout.write(f"{'page':60} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} status")
        for url in urls or DEFAULT_PAGES:
            client.get(url)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            timings.sort()
            p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
            self.stdout.write(f"{url:60} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d} "
                              f"{response.status_code}")
