"""Small reference tables that most pages read — the rules of law, the councils' tree — held in
each web or worker process instead of queried on every request.

Each table has a version number in the shared cache (Redis). A write bumps it twice: at once (this
process re-reads, inside its own transaction) and when the transaction commits, so that no process
keeps, under the new number, rows it read before the commit. A process re-reads the table when
the number has moved, and after MAX_AGE seconds whatever happens (a write by a road that sends no
signal: queryset.update(), a migration, psql). Rows are kept only when read outside a transaction:
inside one they may be uncommitted, and a rollback sends no signal. With Redis unreachable every
read goes to the database, as before this cache, and the copies held before are forgotten (a write
while Redis is unreachable cannot bump the number); a write that could not bump it bumps it from
this process as soon as Redis answers again.

Within one web request the version numbers are read once, all together (one Redis round trip for
every table the page reads), and a write in the request forgets them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction

T = TypeVar("T")

MAX_AGE = 300.0  # seconds

_request = threading.local()  # .versions: {key: version} read in the current request, or None
# .also: other version keys to read in the same round trip (read_with_tables)


def _request_started(**_kwargs) -> None:
    _request.versions = {}
    _request.also = set()


def _request_finished(**_kwargs) -> None:
    _request.versions = None
    _request.also = set()


def read_with_tables(*keys: str) -> None:
    """Read these version numbers (another cache's: a user's bell) in the same Redis round trip as
    the tables' numbers in this web request, if those are not read yet; shared_version_in_request
    gives them. Outside a web request, nothing."""
    versions = getattr(_request, "versions", None)
    if versions is not None and not versions:
        _request.also.update(keys)


def shared_version_in_request(key: str, timeout: int | None = None) -> int | None:
    """shared_version(key), taken from this request's round trip when read_with_tables asked
    for it and Redis held a number; otherwise read (and made) now."""
    versions = getattr(_request, "versions", None)
    version = versions.get(key) if versions else None
    return version if version is not None else shared_version(key, timeout)


def forget_in_request(keys) -> None:
    """These numbers changed (dropped or bumped): read them again if this request asks again."""
    versions = getattr(_request, "versions", None)
    if versions:
        for key in keys:
            versions.pop(key, None)


request_started.connect(_request_started, dispatch_uid="refcache-request-started")
request_finished.connect(_request_finished, dispatch_uid="refcache-request-finished")


def _fresh_version() -> int:
    """A first version number that no process can hold from before: after Redis restarts or is
    flushed (it keeps nothing on disk), a number starting again at 1 could match a copy read
    before, and a write made while Redis was down would go unseen."""
    return time.time_ns() // 1000


def shared_version(key: str, timeout: int | None = None) -> int | None:
    """The version number under `key` in Redis, made from the clock if there is none yet
    (_fresh_version); None while Redis is unreachable: nothing shared to hold a copy under."""
    try:
        version = cache.get(key)
        if version is None:
            cache.add(key, _fresh_version(), timeout=timeout)
            version = cache.get(key)
        return version
    except Exception:
        return None


class ReferenceCache(Generic[T]):
    every: list[ReferenceCache] = []  # each table held, for clear_all()
    unannounced: set[ReferenceCache] = set()  # written while Redis was unreachable, not bumped yet

    def __init__(self, name: str, load: Callable[[], T], max_age: float = MAX_AGE) -> None:
        self.key = f"core:reference:{name}:v"
        self.load = load
        self.max_age = max_age
        self._entry: tuple[int, float, T] | None = None
        ReferenceCache.every.append(self)

    def version(self) -> int | None:
        if ReferenceCache.unannounced and not ReferenceCache._announce():
            return None
        versions = getattr(_request, "versions", None)
        if versions is None:  # outside a web request (a worker, a command): read it now
            return self._read_version()
        if not versions:
            try:
                keys = [copy.key for copy in ReferenceCache.every]
                versions.update(cache.get_many([*keys, *getattr(_request, "also", ())]))
            except Exception:
                return None
            versions[None] = None  # read once, even when Redis holds none of them
        if self.key not in versions:
            versions[self.key] = self._read_version()
        return versions[self.key]

    def _read_version(self) -> int | None:
        return shared_version(self.key)

    def get(self) -> T:
        if connection.in_atomic_block:
            return self.load()
        version = self.version()
        if version is None:
            self._entry = None  # a write meanwhile could not move the number: hold nothing from before
            return self.load()
        entry, now = self._entry, time.monotonic()
        if entry is not None and entry[0] == version and now - entry[1] < self.max_age:
            return entry[2]
        rows = self.load()
        self._entry = (version, now, rows)
        return rows

    def clear(self) -> None:
        """Forget this process's copy (tests: a rolled-back or flushed table sends no signal)."""
        self._entry = None

    @classmethod
    def clear_all(cls) -> None:
        """Forget every table this process holds (tests; the benchmark switching databases)."""
        for copy in cls.every:
            copy.clear()

    def bump(self) -> None:
        self._entry = None
        versions = getattr(_request, "versions", None)
        if versions:
            versions.pop(self.key, None)  # read it again after this write
        if not self._incr():
            ReferenceCache.unannounced.add(self)  # every process reads the database meanwhile

    def _incr(self) -> bool:
        try:
            cache.incr(self.key)
        except ValueError:  # no number yet (expired or flushed)
            try:
                cache.set(self.key, _fresh_version(), timeout=None)
            except Exception:
                return False
        except Exception:
            return False
        return True

    @classmethod
    def _announce(cls) -> bool:
        """Bump the numbers of the tables written while Redis was unreachable; False while it still is."""
        for copy in list(cls.unannounced):
            if not copy._incr():
                return False
            cls.unannounced.discard(copy)
        return True

    def changed(self, **_signal_kwargs) -> None:
        """A receiver for post_save / post_delete: bump now and after the commit."""
        self.bump()
        transaction.on_commit(self.bump)
