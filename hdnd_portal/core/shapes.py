"""Querysets whose shape is built once per process.

A list's queryset — its joins (select_related), its counts in correlated subqueries, their
expressions resolved against the model — costs about a millisecond to build on every request,
before any SQL is compiled, and it is the same every time: only the filters change (measured on
the scale dataset: the sessions, petitions and voter meetings pages 1.0–1.7 ms faster, the same
bytes, see docs/benchmarks/README.md).

A function decorated with @held builds its queryset the first time it is called with given
arguments; every call returns a copy (QuerySet.all()) to which the caller adds its filters. The
held queryset itself is never evaluated, so it holds no rows. What it builds must not depend on
the request, the user, the date or the language: those are the caller's filters. Arguments
(hashable) key the shape, e.g. a content type's id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db.models import QuerySet


def held(build: Callable[..., QuerySet]) -> Callable[..., QuerySet]:
    built = functools.cache(build)

    @functools.wraps(build)
    def copy(*args) -> QuerySet:
        return built(*args).all()

    copy.shape = built  # type: ignore[attr-defined]  # the held queryset itself (tests)
    return copy
