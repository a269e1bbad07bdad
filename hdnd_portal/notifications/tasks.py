"""Celery tasks: thin, ids only; each calls one service. Schedules: settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from celery.signals import worker_ready

from . import outbox, services
from .models import ScanRun


@shared_task(acks_late=True)
def reminder_scan() -> int:
    """Every 15 minutes (beat): send the reminders due; returns how many were created."""
    return services.reminder_scan(trigger=ScanRun.Trigger.BEAT).reminders


@shared_task(acks_late=True)
def send_reminder_emails(log_ids: list[int]) -> dict:
    """Send the immediate mails of these reminder log rows. A failure is recorded on the row
    (attempts, error, next attempt time) and the row is re-queued by the scan's sweep."""
    results = {"sent": 0, "failed": 0, "skipped": 0}
    for log_id in log_ids:
        results[services.reminder_email_send(log_id=log_id)] += 1
    return results


@shared_task(acks_late=True)
def send_digest(user_id: int) -> int:
    return services.digest_send(user_id=user_id)


@shared_task
def send_daily_digests() -> int:
    """Daily at 07:00 (beat): queue one digest per user who has digest reminders waiting."""
    users = services.digest_recipients()
    for user_id in users:
        outbox.enqueue(send_digest, user_id)
    return len(users)


@shared_task(acks_late=True)
def run_scan_by_hand() -> int:
    """Queued from the operations page."""
    return services.reminder_scan(trigger=ScanRun.Trigger.MANUAL).reminders


@shared_task
def drain_outbox() -> dict:
    """Every minute (beat): send the jobs queued while Redis was unreachable."""
    return outbox.drain()


@worker_ready.connect
def _drain_outbox_at_start(**_kwargs) -> None:
    """A worker coming up (after Redis or the machine was down) sends what waited meanwhile."""
    import logging

    try:
        result = outbox.drain()
    except Exception:  # never keep the worker from starting
        logging.getLogger(__name__).exception("outbox drain at worker start failed")
        return
    if result["sent"]:
        logging.getLogger(__name__).info("outbox: sent %(sent)s waiting job(s) at start-up", result)
