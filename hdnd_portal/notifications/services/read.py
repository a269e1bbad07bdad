"""Marking notifications read (only the user's own)."""

from django.utils import timezone

from hdnd_portal.core.models import User

from ..models import Notification
from ..queries import bell_changed


def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False if it is not theirs (or not found)."""
    updated = (
        Notification.objects.filter(pk=notification_id, user=user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    if updated:
        bell_changed([user.pk])
    return bool(updated) or Notification.objects.filter(pk=notification_id, user=user).exists()


def notification_mark_all_read(*, user: User) -> int:
    updated = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if updated:
        bell_changed([user.pk])
    return updated
