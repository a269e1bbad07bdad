"""manage.py benchmark_instructions — the CPU instructions one request of a page costs the web
process, counted by valgrind's callgrind on the benchmark's dataset (`manage.py benchmark` builds
it). The count does not move with the machine's load, where the benchmark's milliseconds drift by
tens of percent between runs on a shared 2-core machine: it compares two commits' Python on the
same page (PostgreSQL's work is another process, not counted). About two minutes a page:

    ./run manage benchmark_instructions "/sessions/?below=1" "/api/voters/petitions/?below=1"

The command runs itself twice under valgrind (with --requests and with none, after the same
warm-up) and prints the difference divided by --requests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from hdnd_portal.core.benchmark import dataset

WARMUP = 20  # requests before the counted ones: every cache a web worker holds after its first


class Command(BaseCommand):
    help = "CPU instructions a request of each page costs (valgrind callgrind, the benchmark's dataset)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+")
        parser.add_argument("--database", help="the benchmark's dataset (default: as manage.py benchmark)")
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--user", default="canbo")
        parser.add_argument("--inner", action="store_true", help="(internal) the requests, run under valgrind")

    def handle(self, *args, **options):
        database = options["database"] or dataset.bench_database_name(None)
        if options["inner"]:
            self.requests(database, options["urls"][0], options["requests"], options["user"])
            return
        if not shutil.which("valgrind"):
            raise CommandError("valgrind is not installed (Debian: apt-get install valgrind)")
        if not dataset.database_exists(database):
            raise CommandError(f"No benchmark dataset in {database}: build it with manage.py benchmark first.")
        for url in options["urls"]:
            counts = [self.count(database, url, n, options["user"]) for n in (0, options["requests"])]
            per_request = (counts[1] - counts[0]) / options["requests"] / 1e6
            self.stdout.write(f"{url:45} {per_request:7.2f} M instructions a request")

    def count(self, database: str, url: str, requests: int, user: str) -> int:
        with tempfile.TemporaryDirectory() as work:
            out = Path(work) / "callgrind.out"
            command = [
                "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "benchmark_instructions", "--inner",
                "--database", database, "--requests", str(requests), "--user", user, url,
            ]
            result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
            found = re.search(r"Collected : ([\d,]+)", result.stderr)
            if result.returncode != 0 or not found:
                raise CommandError(f"{url}: {result.stderr[-2000:]}")
            return int(found.group(1).replace(",", ""))

    def requests(self, database: str, url: str, requests: int, username: str) -> None:
        """As the benchmark requests a page: the whole middleware stack through the test client,
        a logged-in user, under the benchmark's settings."""
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import translation

        from hdnd_portal.core.benchmark.measure import measuring_settings
        from hdnd_portal.core.memory import tuned_for_requests

        dataset.switch_to(database)
        translation.activate(settings.LANGUAGE_CODE)
        with measuring_settings(), tuned_for_requests():
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            for _ in range(WARMUP):
                status = client.get(url).status_code
                if status != 200:
                    raise CommandError(f"{url}: {status}")
            for _ in range(requests):
                client.get(url)
