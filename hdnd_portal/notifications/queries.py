"""Read paths: the bell, the user's notifications, deadlines visible to a user ("mine" and the
council's), the deadlines' search (title or agency), accent-insensitive search of columns without
a folded copy."""

from __future__ import annotations

import time

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from hdnd_portal.core.models import Agency, Deadline
from hdnd_portal.core.refcache import forget_in_request, shared_version_in_request
from hdnd_portal.core.search import fold, folded, prefix_query

from .models import Notification, ReminderLog

BELL_SIZE = 6
DOMAIN_APPS = ("council_sessions", "oversight", "voters", "citizens", "core")


def _bell_queryset(user_id: int) -> QuerySet:
    unread = (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Notification.objects.filter(user_id=user_id)
        .only("id", "title", "kind", "created_at", "read_at", "url")
        .annotate(unread_count=Coalesce(Subquery(unread), 0))
        .order_by("-created_at", "-id")[:BELL_SIZE]
    )


# The bell's SQL, compiled once per process from the queryset above with a stand-in user id:
# building and compiling it (a subquery, an annotation) took 1.5 ms of every page; running it
# takes 0.1 ms. {connection vendor: (sql, params with None where the user's id goes)}.
_BELL_SQL: dict[str, tuple[str, tuple]] = {}
_STAND_IN = -2_147_483_000  # an id no user has


def _bell_sql() -> tuple[str, tuple]:
    from django.db import connection

    prepared = _BELL_SQL.get(connection.vendor)
    if prepared is None:
        sql, params = _bell_queryset(_STAND_IN).query.sql_with_params()
        assert params.count(_STAND_IN) == 2, params  # the rows' filter and the count's
        prepared = _BELL_SQL[connection.vendor] = (sql, tuple(None if p == _STAND_IN else p for p in params))
    return prepared


def bell(user) -> dict:
    """Unread count and the latest notifications: one query whatever the number of rows (the
    count rides on the latest rows; no row at all means nothing unread either), held by this
    process until they change (see _HeldBells)."""
    return HELD_BELLS.get(user.pk)


def _read_bell(user_id: int) -> dict:
    sql, params = _bell_sql()
    latest = list(Notification.objects.raw(sql, [user_id if p is None else p for p in params]))
    return {"unread": latest[0].unread_count if latest else 0, "latest": latest}


class _HeldBells:
    """Each user's bell, held by this web process under the user's bell version in Redis.

    Every road that writes a user's notifications (notice_send, the reminders' delivery, marking
    read) calls bell_changed(), which drops the users' version keys when the transaction commits;
    the next page makes a new one (a number from the clock, so never one a process still holds)
    and reads the bell again. A bell read before the commit is held under the old version, which
    no page asks for any more. Nothing is held inside a transaction (uncommitted rows, tests). A
    bell is held MAX_AGE seconds at most: a road that calls no bell_changed() (a row deleted in
    the admin, a cascade) or a change made while Redis was unreachable shows within that time.
    With Redis unreachable the bell is read from the database on every page, as before."""

    MAX_AGE = 30.0
    LIMIT = 2000  # users held per process

    def __init__(self) -> None:
        self.held: dict[int, tuple[int, float, dict]] = {}

    @staticmethod
    def key(user_id: int) -> str:
        return f"notifications:bell:{user_id}:v"

    def version(self, user_id: int) -> int | None:
        # Read with the reference tables' numbers (one Redis round trip a page): see
        # core.middleware.USER_VERSION_KEYS, which this app's ready() fills.
        return shared_version_in_request(self.key(user_id), timeout=86400)

    def get(self, user_id: int) -> dict:
        if connection.in_atomic_block:
            return _read_bell(user_id)
        version = self.version(user_id)
        if version is None:
            self.held.pop(user_id, None)
            return _read_bell(user_id)
        entry, now = self.held.get(user_id), time.monotonic()
        if entry is not None and entry[0] == version and now - entry[1] < self.MAX_AGE:
            return entry[2]
        bell_ = _read_bell(user_id)
        if len(self.held) >= self.LIMIT:
            self.held.clear()
        self.held[user_id] = (version, now, bell_)
        return bell_

    def clear(self) -> None:
        """Forget every bell held (tests; the benchmark switching databases)."""
        self.held.clear()

    def changed(self, user_ids) -> None:
        ids = {int(uid) for uid in user_ids if uid is not None}
        if not ids:
            return

        def drop_versions() -> None:
            from django.core.cache import cache

            for uid in ids:
                self.held.pop(uid, None)
            forget_in_request([self.key(uid) for uid in ids])
            try:
                cache.delete_many([self.key(uid) for uid in ids])
            except Exception:  # Redis unreachable: other processes see it within MAX_AGE
                pass

        transaction.on_commit(drop_versions)


HELD_BELLS = _HeldBells()


def bell_changed(user_ids) -> None:
    """The notifications of these users were written: their bells are read again once the
    transaction commits (in every web process)."""
    HELD_BELLS.changed(user_ids)


def user_notifications(user) -> QuerySet:
    return Notification.objects.filter(user=user).select_related("council")


def mine_q(user, agency_ids: list[int]) -> Q:
    """Deadlines that concern the user: responsible, their agency's, or ones they were reminded of
    (which covers deputies following an item)."""
    reminded = ReminderLog.objects.filter(recipient=user, deadline=OuterRef("pk"))
    q = Q(responsible_user=user) | Q(Exists(reminded))
    if agency_ids:
        q |= Q(responsible_agency_id__in=agency_ids)
    return q


def is_mine(deadline: Deadline, user, agency_ids: list[int]) -> bool:
    if deadline.responsible_user_id == user.pk or (deadline.responsible_agency_id in agency_ids):
        return True
    return ReminderLog.objects.filter(recipient=user, deadline=deadline).exists()


def deadline_list_queryset() -> QuerySet:
    return Deadline.objects.select_related("content_type", "council", "responsible_agency", "responsible_user")


def deadline_names() -> dict:
    """The responsible agency's and staff member's names as columns of the deadlines' query (what
    the deadlines page and its export print: Agency.label, User.label), instead of an agency and
    a user built for every row."""
    return {
        "agency_name": F("responsible_agency__name"),
        "agency_short_name": F("responsible_agency__short_name"),
        "user_full_name": F("responsible_user__full_name"),
        "user_username": F("responsible_user__username"),
    }


def due_q(status: str, today, soon: int, long: int) -> Q | None:
    """The due-date condition of an open deadline's derived status (due_soon, overdue,
    long_overdue); None for the others."""
    if status == "due_soon":
        return Q(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=soon))
    if status == "overdue":
        return Q(due_date__lt=today)
    if status == "long_overdue":
        return Q(due_date__lt=today - timezone.timedelta(days=long))
    return None


def status_q(status: str, today, soon: int, long: int) -> Q | None:
    """SQL filter matching core.deadlines.status_of for one derived status."""
    open_ = Q(state=Deadline.State.OPEN)
    if status == "open":
        return open_
    due = due_q(status, today, soon, long)
    if due is not None:
        return open_ & due
    if status in (Deadline.State.DONE, Deadline.State.CANCELLED):
        return Q(state=status)
    return None


def app_choices() -> list[tuple[str, str]]:
    choices = []
    for label in DOMAIN_APPS:
        try:
            choices.append((label, str(apps.get_app_config(label).verbose_name)))
        except LookupError:
            continue
    return choices


def app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


# --- accent-insensitive search on columns that have no folded copy ---------------------------


def search_folded(queryset: QuerySet, text: str | None, *paths: str) -> QuerySet:
    """Keep rows whose folded text (of `paths`) contains every word of `text`."""
    tokens = fold(text).split()
    if not tokens:
        return queryset
    parts = []
    for path in paths:
        parts += [
            Coalesce(Cast(F(path), TextField()), Value("", output_field=TextField())),
            Value(" ", output_field=TextField()),
        ]
    queryset = queryset.alias(_folded=folded(Concat(*parts, output_field=TextField())))
    for token in tokens[:12]:
        queryset = queryset.filter(_folded__contains=token)
    return queryset


def search_deadlines(queryset: QuerySet, text: str | None) -> QuerySet:
    """Keep deadlines where every word of `text` begins a word of the title or of the responsible
    agency's name or short name ("xay dung", "so xd"). The title's words are read from the stored
    vector and its GIN index; the agencies whose names hold a word are found first (one query on
    their own search index), so each word is one indexed condition on the deadlines."""
    tokens = fold(text).split()[:12]
    if not tokens:
        return queryset
    candidates = Agency.objects.filter(search_vector=prefix_query(tokens[:1]))
    for token in tokens[1:]:
        candidates |= Agency.objects.filter(search_vector=prefix_query([token]))
    named = [
        (pk, set(fold(f"{name} {short_name}").split()))
        for pk, name, short_name in candidates.values_list("pk", "name", "short_name")
    ]
    for token in tokens:
        agencies = [pk for pk, words in named if any(word.startswith(token) for word in words)]
        condition = Q(title_vector=prefix_query([token]))
        if agencies:
            condition |= Q(responsible_agency_id__in=agencies)
        queryset = queryset.filter(condition)
    return queryset
