"""Thin Celery tasks over voters services (arguments are ids and plain values)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import notify


@shared_task
def petition_notify_answered(petition_id: int) -> int:
    return notify.notify_answered(petition_id=petition_id)


@shared_task
def petition_target_dates_scan() -> int:
    """Daily: tell deputies when an agency's promised target date has passed (idempotent)."""
    return notify.notify_target_dates_passed()


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=3)
def render_forwarding_letter(letter_id: int, petition_ids: list[int]) -> bool:
    """The forwarding letter's PDF, after petition_forward has committed (idempotent)."""
    from .services import forwarding_letter_render

    letter = forwarding_letter_render(letter_id=letter_id, petition_ids=petition_ids)
    return bool(letter and letter.file)
