"""Thin Celery tasks: load by id, call one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def generate_minutes(minutes_id: int, generation: int) -> str:
    from .services.minutes import minutes_generate

    minutes = minutes_generate(minutes_id=minutes_id, generation=generation)
    return minutes.status if minutes else "skipped"
