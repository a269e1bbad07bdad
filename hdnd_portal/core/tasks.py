"""Celery tasks of the core app. Schedules: settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from . import rowcounts


@shared_task
def compact_row_counts() -> int:
    """Hourly (beat): fold the counted tables' deltas into one row per council (core.rowcounts);
    returns the rows removed."""
    return rowcounts.compact()
