"""E-mail delivery of reminders: one mail per reminder (immediate) or one daily digest.

Delivery state lives on the ReminderLog row, so it survives a worker crash or a lost queue
message: the row is locked (SELECT … FOR UPDATE SKIP LOCKED) while it is sent, marked sent in
the same transaction, and on failure keeps its error, its attempt count and the time of its
next attempt; the sweep re-queues it then. The in-app notification exists regardless."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hdnd_portal import env

from ..models import ReminderLog

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 40  # with the back-off below: about ten days of trying before giving up
PENDING = ReminderLog.EmailStatus.PENDING
REQUEUE_GAP = timedelta(minutes=10)


def portal_url() -> str:
    """Absolute base for links in mails (PORTAL_URL in the environment)."""
    return env.get_str("PORTAL_URL", default="http://localhost:8000").rstrip("/")


def backoff(attempts: int) -> timedelta:
    """5, 10, 20, 40 … minutes, at most 6 hours between attempts."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def _message(subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "portal_url": portal_url(), "portal_name": settings.PORTAL_NAME}
        text = render_to_string(f"notifications/emails/{template}.txt", context)
        html = render_to_string(f"notifications/emails/{template}.html", context)
    # A subject is one header line: a title typed over several lines (a petition's, a letter's)
    # would make the mail fail to send ("Header values can't contain newlines").
    subject = " ".join(str(subject).split())[:250]
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _record_failure(logs: list[ReminderLog], error: Exception, now) -> None:
    for entry in logs:
        entry.attempts += 1
        entry.last_error = f"{type(error).__name__}: {error}"[:2000]
        entry.retry_at = now + backoff(entry.attempts)
        if entry.attempts >= MAX_ATTEMPTS:
            entry.email_status = ReminderLog.EmailStatus.FAILED
    ReminderLog.objects.bulk_update(logs, ["attempts", "last_error", "retry_at", "email_status"])


def reminder_email_send(*, log_id: int) -> str:
    """Send the immediate mail of one reminder unless already sent or being sent.
    Returns "sent", "failed" or "skipped"."""
    now = timezone.now()
    with transaction.atomic():
        entry = (
            ReminderLog.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification", "recipient", "deadline")
            .filter(pk=log_id, email_status=PENDING, email_mode=ReminderLog.Mode.IMMEDIATE)
            .first()
        )
        if entry is None or entry.notification is None or not entry.recipient.email:
            return "skipped"
        note = entry.notification
        message = _message(
            note.title,
            "reminder",
            {"notification": note, "deadline": entry.deadline, "recipient": entry.recipient, "log": entry},
            entry.recipient.email,
        )
        try:
            message.send(fail_silently=False)
        except Exception as error:  # SMTP down, address refused…: keep it, try again later
            log.warning("reminder mail %s failed: %s", log_id, error)
            _record_failure([entry], error, now)
            return "failed"
        entry.attempts += 1
        entry.email_status = ReminderLog.EmailStatus.SENT
        entry.email_sent_at = now
        entry.last_error = ""
        entry.retry_at = None
        entry.save(update_fields=["attempts", "email_status", "email_sent_at", "last_error", "retry_at"])
        return "sent"


def digest_send(*, user_id: int) -> int:
    """Send one mail listing the user's pending digest reminders; returns how many it listed."""
    now = timezone.now()
    with transaction.atomic():
        entries = list(
            ReminderLog.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification", "recipient", "deadline", "deadline__council")
            .filter(recipient_id=user_id, email_status=PENDING, email_mode=ReminderLog.Mode.DAILY)
            .order_by("deadline__due_date", "id")
        )
        entries = [e for e in entries if e.notification_id]
        if not entries:
            return 0
        recipient = entries[0].recipient
        if not recipient.email:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Daily summary of deadlines: %(n)s reminder(s)") % {"n": len(entries)}
        message = _message(
            subject,
            "digest",
            {"entries": entries, "recipient": recipient, "today": timezone.localdate()},
            recipient.email,
        )
        try:
            message.send(fail_silently=False)
        except Exception as error:
            log.warning("digest for user %s failed: %s", user_id, error)
            _record_failure(entries, error, now)
            return 0
        ReminderLog.objects.filter(pk__in=[e.pk for e in entries]).update(
            email_status=ReminderLog.EmailStatus.SENT,
            email_sent_at=now,
            last_error="",
            retry_at=None,
        )
        return len(entries)


def digest_recipients() -> list[int]:
    """Users with digest reminders waiting (the daily task queues one digest per user)."""
    return list(
        ReminderLog.objects.filter(email_status=PENDING, email_mode=ReminderLog.Mode.DAILY)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def pending_retries(now=None, limit: int = 5000) -> tuple[list[int], list[int]]:
    """Mails whose next attempt is due: (immediate reminder ids, users whose digest failed).

    Claims them by pushing their retry time forward, so that a worker that stays down does not
    get the same rows queued again by every scan (the send itself re-checks the status)."""
    now = now or timezone.now()
    later = now + REQUEUE_GAP
    with transaction.atomic():
        immediate = list(
            ReminderLog.objects.select_for_update(skip_locked=True)
            .filter(email_status=PENDING, email_mode=ReminderLog.Mode.IMMEDIATE, retry_at__lte=now)
            .order_by("retry_at")
            .values_list("id", flat=True)[:limit]
        )
        ReminderLog.objects.filter(pk__in=immediate).update(retry_at=later)
        digest_rows = list(
            ReminderLog.objects.select_for_update(skip_locked=True)
            .filter(email_status=PENDING, email_mode=ReminderLog.Mode.DAILY, retry_at__lte=now)
            .values_list("id", "recipient_id")[:limit]
        )
        ReminderLog.objects.filter(pk__in=[row[0] for row in digest_rows]).update(retry_at=later)
    return immediate, sorted({row[1] for row in digest_rows})
