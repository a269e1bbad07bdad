"""The reminder scan: state-based, batched, idempotent (see plan.py and delivery.py)."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext

from hdnd_portal.core.models import CouncilRole, Deadline

from ..kinds import kind_label
from ..models import Notification, ReminderLog, ScanRun
from . import mail
from .delivery import Claim, deliver
from .plan import (
    ESCALATION,
    HOLIDAY_SLACK_DAYS,
    Calendar,
    PlanBook,
    base_point,
    current_point,
    escalation_reached,
    next_point_on,
)
from .plan import point_code as make_code
from .recipients import RecipientBook, follower_paths

log = logging.getLogger(__name__)


@lru_cache(maxsize=256)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def _(message: str) -> str:
    """gettext, memoised per language: the scan formats the same few messages thousands of times."""
    return _translated(message, get_language())


BATCH_SIZE = 2000
ANALYZE_AFTER = 5000
# Only columns of the deadline table: no join while examining candidates.
FIELDS = (
    "id",
    "council_id",
    "content_type_id",
    "object_id",
    "kind",
    "title",
    "due_date",
    "original_due_date",
    "responsible_user_id",
    "responsible_agency_id",
    "next_reminder_on",
)


def reminder_scan(
    today: date | None = None, *, trigger: str = ScanRun.Trigger.BEAT, batch_size: int = BATCH_SIZE
) -> ScanRun:
    """Send every reminder that open deadlines have reached by `today` and that was not sent yet.

    Reads only open deadlines due on or before today + the longest lead (index state, due_date),
    and of those only the ones whose cursor (Deadline.next_reminder_on) says a point may have come
    — unless the rules or the calendar changed since the last good scan (then all of them), in
    keyset batches of `batch_size`, each batch in its own transaction with the cursors it moves. Safe to run twice at
    once and to re-run after a crash. Also re-queues mails whose retry time has come."""
    today = today or timezone.localdate()
    run = ScanRun.objects.create(today=today, trigger=trigger, started_at=timezone.now())
    started = time.perf_counter()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _scan(run, today, batch_size)
        if run.reminders >= ANALYZE_AFTER:
            # A burst of claims (first run, catch-up after an outage) leaves the planner's statistics
            # stale until autovacuum comes round, and the "already claimed?" lookup would turn into
            # sequential scans; refresh them now (ANALYZE samples, it is cheap).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ReminderLog._meta.db_table}, {Notification._meta.db_table}")
        immediate, digests = mail.pending_retries()
        if immediate or digests:
            from ..outbox import enqueue
            from ..tasks import send_digest, send_reminder_emails

            for start in range(0, len(immediate), 100):
                enqueue(send_reminder_emails, immediate[start : start + 100])
            for user_id in digests:
                enqueue(send_digest, user_id)
        run.emails_requeued = len(immediate) + len(digests)
    except Exception as error:
        run.error = f"{type(error).__name__}: {error}"[:2000]
        raise
    finally:
        run.finished_at = timezone.now()
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save()
    return run


def _scan(run: ScanRun, today: date, batch_size: int) -> None:
    plans = PlanBook(today)
    cal = Calendar()
    people = RecipientBook()
    horizon = today + timedelta(days=plans.max_lead + HOLIDAY_SLACK_DAYS)
    base = Deadline.objects.filter(state=Deadline.State.OPEN, due_date__lte=horizon)
    run.plan_key = hashlib.sha256((plans.fingerprint() + people_fingerprint()).encode()).hexdigest()
    last_good = (
        ScanRun.objects.filter(finished_at__isnull=False, error="")
        .exclude(pk=run.pk)
        .order_by("-started_at", "-id")
        .values("plan_key", "today")
        .first()
    )
    # The cursors hold while the rules, councils, calendar and role holders they were computed from
    # are the same and time moves forward; otherwise read everything within reach, as if there were
    # no cursor.
    run.full = not (last_good and last_good["plan_key"] == run.plan_key and last_good["today"] <= today)
    if run.full:
        # Cursors beyond reach were computed from other inputs: forget them (NULL: looked at when
        # they come within reach).
        Deadline.objects.filter(
            state=Deadline.State.OPEN, due_date__gt=horizon, next_reminder_on__isnull=False
        ).update(next_reminder_on=None)
    else:
        # Only what is due: a new or changed deadline (NULL) or one whose next point has come.
        base = base.filter(Q(next_reminder_on__isnull=True) | Q(next_reminder_on__lte=today))
    base = base.order_by("due_date", "id")
    last: tuple[date, int] | None = None
    while True:
        # Keyset pagination on (due_date, id): a row comparison the (state, due_date) index serves.
        qs = base if last is None else base.extra(where=["(due_date, id) > (%s, %s)"], params=[last[0], last[1]])
        rows = list(qs.values(*FIELDS)[:batch_size])
        if not rows:
            break
        last = (rows[-1]["due_date"], rows[-1]["id"])
        run.batches += 1
        run.candidates += len(rows)
        _batch(run, rows, today, plans, cal, people)
        if len(rows) < batch_size:
            break


def _batch(run: ScanRun, rows: list[dict], today: date, plans: PlanBook, cal: Calendar, people: RecipientBook) -> None:
    claims, waiting = _claims(rows, today, plans, cal, people)
    cursors = []
    for row in rows:
        if row["id"] in waiting and _followers_may_change(row["content_type_id"]):
            cursor = today  # a deputy may start following the subject any time: look again next scan
        else:
            # Nobody else can appear for a waiting point without changing the role holders (the
            # plan key: the next scan reads everything) or the deadline (the trigger: NULL).
            cursor = next_point_on(plans.plan(row["council_id"]), row["due_date"], today, cal)
        cursors.append((row, cursor))
    with transaction.atomic():
        if claims:
            counts = deliver(claims, people.users)
            run.reminders += counts["created"]
            run.emails_queued += counts["emails"]
            run.escalations += counts["escalations"]
        _move_cursors([(row, cursor) for row, cursor in cursors if cursor != row["next_reminder_on"]])


def _claims(
    rows: list[dict], today: date, plans: PlanBook, cal: Calendar, people: RecipientBook
) -> tuple[list[Claim], set[int]]:
    """The reminders the rows have reached and not yet claimed, and the ids of the deadlines with a
    point reached that found nobody to tell (looked at again next scan, cheaply)."""
    wanted: dict[int, list[str]] = {}
    for row in rows:
        plan = plans.plan(row["council_id"])
        points = []
        point = current_point(plan, row["due_date"], today, cal)
        if point:
            points.append(make_code(point, row["due_date"], row["original_due_date"]))
        if escalation_reached(plan, row["due_date"], today, cal):
            points.append(make_code(ESCALATION, row["due_date"], row["original_due_date"]))
        if points:
            wanted[row["id"]] = points
    if not wanted:
        return [], set()
    # A point already claimed for a deadline was decided with its recipients then: skip it.
    # (No ordering: DISTINCT then reads only the unique index on deadline, point, recipient.)
    done = set(
        ReminderLog.objects.filter(deadline_id__in=list(wanted))
        .order_by()
        .values_list("deadline_id", "point")
        .distinct()
    )
    todo = {d: [p for p in points if (d, p) not in done] for d, points in wanted.items()}
    todo = {d: p for d, p in todo.items() if p}
    if not todo:
        return [], set()
    todo_rows = [r for r in rows if r["id"] in todo]
    escalation_ids = {d for d, points in todo.items() if any(base_point(p) == ESCALATION for p in points)}
    regular_ids = {d for d, points in todo.items() if any(base_point(p) != ESCALATION for p in points)}
    recipients = people.resolve(todo_rows, plans, escalation_ids=escalation_ids, regular_ids=regular_ids)
    told, waiting = [], set()
    for row in todo_rows:
        for point in todo[row["id"]]:
            is_escalation = base_point(point) == ESCALATION
            group = recipients[row["id"]]["escalation" if is_escalation else "regular"]
            if group:
                told.append((row, point, group))
            elif not is_escalation:  # nobody to tell: looked at again next scan, cheaply
                waiting.add(row["id"])  # (escalations go to role holders only: the plan key)
    # The names the reminders quote, for the deadlines that have someone to tell only.
    names = dict(
        (pk, (council, agency))
        for pk, council, agency in Deadline.objects.filter(id__in=list({row["id"] for row, _p, _g in told}))
        .values_list("id", "council__name", "responsible_agency__name")
    ) if told else {}
    claims = []
    for row, point, group in told:
        row["council__name"], row["responsible_agency__name"] = names.get(row["id"], ("", None))
        kind, title, body = reminder_text(row, base_point(point), today)
        claims += [
            Claim(row["id"], row["council_id"], point, user_id, reason, row["due_date"], kind, title, body)
            for user_id, reason in group
        ]
    return claims, waiting


def _followers_may_change(content_type_id: int) -> bool:
    """Whether the subjects of this type have deputies following them (recipients.follower_paths)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model is not None and bool(follower_paths(model))


def people_fingerprint() -> str:
    """Who holds which role, for the active users: everyone a reminder can go to besides a
    deadline's own responsible user (recipients.RecipientBook)."""
    rows = CouncilRole.objects.filter(user__is_active=True).order_by("id").values_list(
        "id", "user_id", "council_id", "role", "agency_id", "deputy_id"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _move_cursors(moves: list[tuple[dict, date]]) -> None:
    """Set the deadlines' cursors in one statement — unless the deadline changed since it was read
    (the trigger has then set its cursor to NULL and the next scan looks at it again)."""
    if not moves:
        return
    table = Deadline._meta.db_table
    values = ", ".join(["(%s::bigint, %s::date, %s::date, %s::bigint, %s::bigint)"] * len(moves))
    params = [
        v
        for row, cursor in moves
        for v in (row["id"], cursor, row["due_date"], row["responsible_user_id"], row["responsible_agency_id"])
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS d SET next_reminder_on = v.cursor "  # noqa: S608 — table name from the model
            f"FROM (VALUES {values}) AS v (id, cursor, due_date, user_id, agency_id) "
            "WHERE d.id = v.id AND d.state = %s AND d.due_date = v.due_date "
            "AND d.responsible_user_id IS NOT DISTINCT FROM v.user_id "
            "AND d.responsible_agency_id IS NOT DISTINCT FROM v.agency_id",
            [*params, Deadline.State.OPEN],
        )


def reminder_text(row: dict, point: str, today: date) -> tuple[str, str, str]:
    """(notification kind, title, body) of a reminder, in the active language."""
    due = row["due_date"]
    days = (due - today).days
    name = row["title"]
    if point == ESCALATION:
        kind = Notification.Kind.ESCALATION
        title = _("Escalation — overdue by %(days)s day(s): %(title)s") % {"days": -days, "title": name}
    elif point.startswith("before_"):
        kind = Notification.Kind.REMINDER
        title = _("Due in %(days)s day(s): %(title)s") % {"days": days, "title": name}
    elif days >= 0:
        kind = Notification.Kind.DUE
        title = (_("Due today: %(title)s") if days == 0 else _("Due in %(days)s day(s): %(title)s")) % {
            "days": days,
            "title": name,
        }
    else:
        kind = Notification.Kind.OVERDUE
        title = _("Overdue by %(days)s day(s): %(title)s") % {"days": -days, "title": name}
    lines = [
        _("Kind: %(kind)s") % {"kind": kind_label(row["kind"])},
        _("Due date: %(date)s") % {"date": due.strftime("%d/%m/%Y")},
        _("Council: %(council)s") % {"council": row["council__name"]},
    ]
    if row.get("responsible_agency__name"):
        lines.append(_("Responsible agency: %(agency)s") % {"agency": row["responsible_agency__name"]})
    if due != row["original_due_date"]:
        lines.append(_("Originally due: %(date)s") % {"date": row["original_due_date"].strftime("%d/%m/%Y")})
    return kind, title, "\n".join(lines)
