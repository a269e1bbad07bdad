"""Core periodic tasks. Thin: each loads ids and calls a service."""

from celery import shared_task
from django.utils import timezone

from .models import Deadline


@shared_task
def refresh_deadline_states() -> int:
    """Counts open deadlines that are overdue today; a placeholder-free heartbeat the reminder
    scan (deadlines issue) extends. Returns the number of overdue open deadlines."""
    return Deadline.objects.filter(state=Deadline.State.OPEN, due_date__lt=timezone.localdate()).count()
