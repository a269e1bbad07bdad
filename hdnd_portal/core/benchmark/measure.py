"""Timing: pages and API lists through Django's test client (the whole middleware stack, the real
PostgreSQL and Redis, in this process), the admin changelist of the same model, and the floor —
the same page's SQL (a bare count of the filtered rows, then the page query as the ORM builds it)
executed with a cursor, no Python around it."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import clear_url_caches, resolve

from hdnd_portal.core.rowcounts import scope_count_sql
from hdnd_portal.core.scoping import get_access
from hdnd_portal.core.views.generic import CappedPaginator, _forget_name_joins

STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


@contextmanager
def measuring_settings() -> Iterator[None]:
    """The settings pages are measured under (manage.py benchmark, benchmark_instructions): the
    benchmark's URLs (its admin site beside the portal's), any host, no HTTPS redirect, the API
    throttle's limit lifted — one process makes thousands of API calls; the throttle's cache round
    trip is kept — and static URLs without the collected manifest (a fresh clone has not run
    collectstatic; the manifest lookup is a dictionary read, nothing to measure)."""
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    rest = settings.REST_FRAMEWORK.copy()
    rest["DEFAULT_THROTTLE_RATES"] = {"anon": "1000000/hour", "user": "1000000/hour"}
    saved_rates = AnonRateThrottle.THROTTLE_RATES, UserRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = UserRateThrottle.THROTTLE_RATES = rest["DEFAULT_THROTTLE_RATES"]
    try:
        with override_settings(
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF="hdnd_portal.core.benchmark.urls",
            SECURE_SSL_REDIRECT=False,
            REST_FRAMEWORK=rest,
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}},
        ):
            yield
    finally:
        AnonRateThrottle.THROTTLE_RATES, UserRateThrottle.THROTTLE_RATES = saved_rates
        clear_url_caches()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def timed(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def timed_alternately(fns: list[Callable[[], object]], runs: int, warmup: int) -> list[list[float]]:
    """Times of each of `fns`, called in turn within every run (the order reversed every other
    run). A page and the admin changelist it is compared with are timed in the same seconds, so
    the drift of a shared machine's speed from one second to the next falls on both alike instead
    of on one of them — the ratio between them is what the targets ask."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for run in range(runs):
        order = range(len(fns)) if run % 2 == 0 else reversed(range(len(fns)))
        for i in order:
            started = time.perf_counter()
            fns[i]()
            times[i].append((time.perf_counter() - started) * 1000)
    return times


@dataclass
class Timing:
    p50: float
    p95: float
    queries: int | None = None
    status: int | None = None

    @classmethod
    def of(cls, times: list[float], **extra) -> Timing:
        return cls(p50=round(statistics.median(times), 1), p95=round(percentile(times, 95), 1), **extra)


@dataclass
class Result:
    name: str
    group: str
    target: str  # the URL or the operation measured
    portal: Timing
    admin: Timing | None = None
    admin_url: str | None = None
    floor: Timing | None = None
    rows: int | None = None  # rows matching the list's filters (from the floor's count)
    notes: dict = field(default_factory=dict)

    @property
    def ratio_admin(self) -> float | None:
        """How many times faster than the admin changelist (p50; ≥ 2.5 is the target)."""
        return round(self.admin.p50 / self.portal.p50, 2) if self.admin and self.portal.p50 else None

    @property
    def ratio_floor(self) -> float | None:
        """How many times the floor's time the page takes (p50; 1.0 = nothing but the SQL)."""
        return round(self.portal.p50 / self.floor.p50, 2) if self.floor and self.floor.p50 else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(ratio_admin=self.ratio_admin, ratio_floor=self.ratio_floor)
        return data


class PageTimer:
    """One logged-in test client per user; GETs timed after warm-up, queries counted on one more
    run (the count is the same every run: no per-row queries)."""

    def __init__(self, runs: int, warmup: int):
        self.runs, self.warmup = runs, warmup
        self.clients: dict[str, Client] = {}

    def client(self, user) -> Client:
        if user.username not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.username] = client
        return self.clients[user.username]

    def page(self, user, url: str) -> Timing:
        return self.pages((user, url))[0]

    def pages(self, *requests: tuple[object, str]) -> list[Timing]:
        """Each (user, url) timed alternately with the others (`timed_alternately`); a page that
        does not answer 200 is not timed and keeps its status."""
        timings: list[Timing | None] = [None] * len(requests)
        answering = []
        for i, (user, url) in enumerate(requests):
            client = self.client(user)
            status = client.get(url).status_code
            if status == 200:
                answering.append((i, client, url))
            else:
                timings[i] = Timing(p50=0.0, p95=0.0, queries=None, status=status)
        series = timed_alternately(
            [lambda client=client, url=url: client.get(url) for _, client, url in answering], self.runs, self.warmup
        )
        for (i, client, url), times in zip(answering, series, strict=True):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            timings[i] = Timing.of(times, queries=len(queries), status=200)
        return timings


# --- The floor ------------------------------------------------------------------------------


def list_queryset(user, council, url: str):
    """The queryset a list page or API list builds for `url` (the view's own get_queryset and
    filters), without rendering anything."""
    request = RequestFactory().get(url)
    request.user = user
    request.session = {}
    request.access = get_access(user)
    request.council = council
    match = resolve(urlsplit(url).path)
    func = match.func
    if hasattr(func, "view_class"):  # a portal page
        view = func.view_class(**func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        view.council = council
        return view.get_queryset(), CappedPaginator.CAP
    from rest_framework.request import ForcedAuthentication, Request

    view = func.cls(**func.initkwargs)
    view.action_map = func.actions
    view.action = "list"
    view.args, view.kwargs, view.format_kwarg = match.args, match.kwargs, None
    view.request = Request(request, authenticators=[ForcedAuthentication(user, None)])
    view.headers = {}
    return view.filter_queryset(view.get_queryset()), None


def floor_statements(qs, cap: int | None, page_size: int = 50) -> list[tuple[str, tuple]]:
    """The count the page runs — the held number of a council's whole register (core.rowcounts),
    else a COUNT(*) of the filtered rows, capped as the page caps it — then the page query."""
    bare = qs.order_by().values("pk")
    _forget_name_joins(bare.query)
    page_sql, page_params = qs[:page_size].query.sql_with_params()
    held = scope_count_sql(bare)
    if held is not None:
        return [(held[0], tuple(held[1])), (page_sql, page_params)]
    if cap is not None:
        bare = bare[: cap + 1]
    inner, params = bare.query.sql_with_params()
    return [(f"SELECT COUNT(*) FROM ({inner}) AS floor", params), (page_sql, page_params)]


def floor_timing(statements: list[tuple[str, tuple]], runs: int, warmup: int) -> tuple[Timing, int]:
    rows = 0

    def run():
        nonlocal rows
        with connection.cursor() as cursor:
            for i, (sql, params) in enumerate(statements):
                cursor.execute(sql, params)
                result = cursor.fetchall()
                if i == 0:
                    rows = result[0][0]

    times = timed(run, runs, warmup)
    return Timing.of(times, queries=len(statements)), rows
