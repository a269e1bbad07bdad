"""p50/p95 of public pages served over loopback, with a cold and a warm page cache.

Starts the portal's WSGI application in a local threaded server on 127.0.0.1 (or measures
--base-url, e.g. a running gunicorn) and times three pages: a council page, a resolutions search
and the resolutions Atom feed. "Cold" bumps the council's cache generation before every request
(so the page is rendered from the database); "warm" repeats the request against the filled cache."""

import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from hdnd_portal.core.models import Council
from public import cache as public_cache
from public.queries import council_slug


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class Command(BaseCommand):
    help = "Measure p50/p95 (cold and warm cache) of a council page, the resolutions search and a feed."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="council code (default: the first province)")
        parser.add_argument("--iterations", type=int, default=100)
        parser.add_argument("--query", default="ngan sach", help="the resolutions search term")
        parser.add_argument("--base-url", help="measure a running server instead, e.g. http://127.0.0.1:8000")

    def handle(self, *args, council=None, iterations=100, query="ngan sach", base_url=None, **options):
        qs = Council.objects.filter(code=council) if council else Council.objects.filter(level="province")
        row = qs.order_by("name").values("id", "name", "code").first()
        if row is None:
            raise CommandError("No such council.")
        slug = council_slug(row["name"], row["code"])
        paths = {
            "council page": f"/cong-khai/{slug}/",
            "resolutions search": f"/cong-khai/{slug}/nghi-quyet/?q={query.replace(' ', '+')}",
            "resolutions feed": f"/cong-khai/{slug}/nghi-quyet.atom",
        }
        server = None
        if base_url is None:
            # Only this process is served; a benchmark must not be throttled by the per-client limit.
            settings.PUBLIC_RATE_LIMIT = 10**9
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
            server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=True)
            server.set_app(get_wsgi_application())
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base_url = f"http://127.0.0.1:{server.server_address[1]}"
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise CommandError("Only loopback servers are measured.")
        self.stdout.write(f"{row['name']} — {base_url}, {iterations} requests per measure")
        self.stdout.write(f"{'page':<22}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}  (ms)")
        try:
            for label, path in paths.items():
                cold = self._measure(parts, path, iterations, lambda: public_cache.bump(row["id"]))
                self._get(parts, path)  # fill the cache
                warm = self._measure(parts, path, iterations, None)
                self.stdout.write(
                    f"{label:<22}{statistics.median(cold):>10.1f}{_pct(cold, 95):>10.1f}"
                    f"{statistics.median(warm):>10.1f}{_pct(warm, 95):>10.1f}"
                )
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()

    def _get(self, parts, path: str) -> float:
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Language": "vi"})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        if response.status != 200:
            raise CommandError(f"{path} answered {response.status}")
        return elapsed

    def _measure(self, parts, path: str, n: int, before) -> list[float]:
        times = []
        for _ in range(n):
            if before:
                before()
            times.append(self._get(parts, path))
        return times
