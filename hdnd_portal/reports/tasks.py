"""Thin Celery tasks: load by id, call one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


# acks_late + reject_on_worker_lost: a worker killed mid-report leaves the message unacknowledged,
# the broker delivers it again and report_generate claims the "running" report and completes it.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def generate_report(report_id: int, generation: int, refresh_figures: bool = True) -> str:
    from .services import report_generate

    report = report_generate(report_id=report_id, generation=generation, refresh_figures=refresh_figures)
    return report.status if report else "skipped"


@shared_task
def requeue_stale_reports() -> int:
    from .services import requeue_stale

    return requeue_stale()
