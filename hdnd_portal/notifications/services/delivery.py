"""Claiming and delivering notifications: the one path every reminder and notice takes.

deliver() must run inside a transaction: it claims (deadline, point, recipient) rows with
INSERT … ON CONFLICT DO NOTHING RETURNING, creates the in-app notification only for the rows
this transaction won, and queues the immediate e-mails after commit. A concurrent scan blocks
on the unique index until the first commits, then inserts nothing — each reminder exists once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hdnd_portal.core.models import User

from ..models import Notification, ReminderLog
from ..queries import bell_changed

# An immediate mail not sent this long after its claim is re-queued by the sweep (lost message).
SAFETY_NET = timedelta(minutes=10)
EMAIL_CHUNK = 100


@dataclass
class Claim:
    deadline_id: int
    council_id: int
    point: str
    user_id: int
    reason: str
    due_date: object
    kind: str
    title: str
    body: str


def deliver(claims: list[Claim], users: dict[int, User]) -> dict[str, int]:
    """Claim and notify; returns counts. The caller holds the transaction."""
    claims = [c for c in claims if c.user_id in users]
    if not claims:
        return {"created": 0, "emails": 0, "escalations": 0}
    now = timezone.now()
    rows, params = [], []
    for c in claims:
        user = users[c.user_id]
        mode = ReminderLog.Mode.DAILY if user.email_mode == User.Digest.DAILY else ReminderLog.Mode.IMMEDIATE
        status = ReminderLog.EmailStatus.PENDING if user.email else ReminderLog.EmailStatus.NO_ADDRESS
        retry_at = now + SAFETY_NET if mode == ReminderLog.Mode.IMMEDIATE and user.email else None
        rows.append("(%s, %s, %s, %s, %s, %s, %s, %s, 0, '', %s)")
        params += [c.deadline_id, c.point, c.user_id, c.reason, c.due_date, now, mode, status, retry_at]
    table = ReminderLog._meta.db_table
    sql = (
        f"INSERT INTO {table} (deadline_id, point, recipient_id, reason, due_date, sent_at, email_mode, "
        f"email_status, attempts, last_error, retry_at) VALUES {', '.join(rows)} "
        "ON CONFLICT (deadline_id, point, recipient_id) DO NOTHING "
        "RETURNING id, deadline_id, point, recipient_id, email_mode, email_status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        won = cursor.fetchall()
    if not won:
        return {"created": 0, "emails": 0, "escalations": 0}
    by_key = {(c.deadline_id, c.point, c.user_id): c for c in claims}
    notifications = []
    for _log_id, deadline_id, point, user_id, _mode, _status in won:
        c = by_key[(deadline_id, point, user_id)]
        notifications.append(
            Notification(
                user_id=user_id,
                council_id=c.council_id,
                deadline_id=deadline_id,
                kind=c.kind,
                title=c.title[:300],
                body=c.body,
                url=reverse("notifications:deadline_detail", args=[deadline_id]),
                created_at=now,
            )
        )
    Notification.objects.bulk_create(notifications)
    bell_changed(n.user_id for n in notifications)
    # One UPDATE … FROM (VALUES …) links each claim to its notification (bulk_update's CASE is
    # quadratic in the batch size).
    pairs = [(row[0], n.pk) for row, n in zip(won, notifications, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET notification_id = v.n FROM (VALUES "
            + ", ".join(["(%s, %s)"] * len(pairs))
            + ") AS v(id, n) WHERE r.id = v.id",
            [value for pair in pairs for value in pair],
        )
    immediate = [
        row[0] for row in won if row[4] == ReminderLog.Mode.IMMEDIATE and row[5] == ReminderLog.EmailStatus.PENDING
    ]
    if immediate:
        queue_emails(immediate)
    escalations = sum(1 for row in won if row[2].split("@", 1)[0] == "escalation")
    return {"created": len(won), "emails": len(immediate), "escalations": escalations}


def queue_emails(log_ids: list[int]) -> None:
    """Queue the immediate mails: recorded in the outbox with the surrounding transaction, sent to
    Celery when it commits (ids only)."""
    from ..outbox import enqueue
    from ..tasks import send_reminder_emails

    for start in range(0, len(log_ids), EMAIL_CHUNK):
        enqueue(send_reminder_emails, log_ids[start : start + EMAIL_CHUNK])


def deadline_url(deadline_id: int) -> str:
    return reverse("notifications:deadline_detail", args=[deadline_id])
