"""The benchmark's own database: `<main database>_bench` (or --database), holding the scale
dataset (`seed_demo --scale`), and `<that name>_x<N>` for the dataset of N provinces
(`seed_demo --scale --provinces N`, N > 1). A marker table records the dataset version, seed and
number of provinces, so a second run reuses the database instead of rebuilding it (minutes)
unless one of them or --rebuild says otherwise. The portal's own database is never written."""

from __future__ import annotations

import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections

# Bump when seed_demo's scale data changes in a way that changes what is measured.
DATASET_VERSION = "2"  # 2: letters up to today with the office's monitoring deadlines; issued documents
MARKER_TABLE = "hdnd_benchmark_dataset"


def bench_database_name(explicit: str | None, provinces: int = 1) -> str:
    """`explicit` (or `<portal database>_bench`) names the one-province dataset; N provinces live
    next to it in `<name>_x<N>`."""
    name = explicit or f"{settings.DATABASES['default']['NAME']}_bench"
    return name if provinces == 1 else f"{name}_x{provinces}"


def marker_provinces(marker: dict[str, str]) -> int:
    """The number of provinces a marker records (markers written before --provinces mean one)."""
    return int(marker.get("provinces", "1"))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def database_exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def switch_to(name: str) -> None:
    """Point this process's default connection (and cache key prefix) at database `name`: every
    query and cache entry from here on belongs to the benchmark, never to the portal's data."""
    for alias in connections:
        connections[alias].close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    # The same council ids exist in both databases: the benchmark's cached pages must not be
    # served to the portal (or the reverse), so its cache keys get their own prefix.
    settings.CACHES["default"]["KEY_PREFIX"] = f"bench-{name}"
    caches.__dict__.pop("settings", None)
    caches._settings = None
    caches._connections = Local(caches.thread_critical)
    # Nor the tables this process holds (core.refcache) to the other database.
    from hdnd_portal.core.refcache import ReferenceCache
    from hdnd_portal.notifications.queries import HELD_BELLS

    ReferenceCache.clear_all()
    HELD_BELLS.clear()  # the users' bells (their ids exist in both databases)


def _marker() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return {}
        cursor.execute(f"SELECT key, value FROM {MARKER_TABLE}")
        return dict(cursor.fetchall())


def mark_built(seed: int, provinces: int = 1) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('version', %s), ('seed', %s), ('provinces', %s), "
            "('built', now()::text)",
            [DATASET_VERSION, str(seed), str(provinces)],
        )


def ensure_dataset(name: str, *, seed: int, rebuild: bool, write, provinces: int = 1) -> dict[str, str]:
    """Create (or reuse) the benchmark database `name` with the scale dataset of `provinces`
    provinces and switch to it. Returns the marker (version, seed, provinces, built)."""
    main = settings.DATABASES["default"]["NAME"]
    if name == main:
        raise ValueError("the benchmark database must not be the portal's database")
    exists = database_exists(name)
    if exists and not rebuild:
        switch_to(name)
        marker = _marker()
        if (
            marker.get("version") == DATASET_VERSION
            and marker.get("seed") == str(seed)
            and marker_provinces(marker) == provinces
        ):
            call_command("migrate", verbosity=0, interactive=False)
            with connection.cursor() as cursor:
                # A migration may have rewritten a table (a new stored column), and the previous run's
                # writes (the reminder scan's cursors, the rolled-back imports) left dead rows behind:
                # clear them as autovacuum does in service (this machine's PostgreSQL runs without it),
                # else the next run reads them in every index scan.
                cursor.execute("VACUUM ANALYZE")
            write(f"Reusing the scale dataset in database {name} (built {marker.get('built', '?')[:19]}).")
            return marker
        write(f"Database {name} holds another dataset (version/seed/provinces differ): rebuilding it.")
        switch_to(main)
    if exists:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {_quote(name)} WITH (FORCE)")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {_quote(name)}")
    switch_to(name)
    started = time.monotonic()
    write(f"Building the scale dataset of {provinces} province(s) in database {name} (minutes)…")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", scale=True, seed=seed, provinces=provinces)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh planner statistics, as a database in service has
    mark_built(seed, provinces)
    write(f"Scale dataset built in {time.monotonic() - started:.0f} s.")
    return _marker()
