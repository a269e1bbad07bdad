"""Thin Celery tasks over voters services (arguments are ids and plain values)."""

from celery import shared_task

from . import notify


@shared_task
def petition_notify_answered(petition_id: int) -> int:
    return notify.notify_answered(petition_id=petition_id)


@shared_task
def petition_target_dates_scan() -> int:
    """Daily: tell deputies when an agency's promised target date has passed (idempotent)."""
    return notify.notify_target_dates_passed()
