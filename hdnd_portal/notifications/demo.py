"""Demo data: once the four apps have registered their deadlines, run one reminder scan so that
the demo users find their reminders in the bell and "My deadlines" (seed_demo must call this
after the domain apps; see the report)."""

from django.utils import timezone

from .models import ScanRun
from .services import reminder_scan


def populate(ctx) -> None:
    reminder_scan(timezone.localdate(), trigger=ScanRun.Trigger.MANUAL)
