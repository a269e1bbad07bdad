"""Services of the deadlines and notifications app (writes; views, API, tasks call these)."""

from .extension import deadline_extension_record, extension_limits
from .mail import digest_recipients, digest_send, pending_retries, reminder_email_send
from .read import notification_mark_all_read, notification_mark_read
from .scan import reminder_scan

__all__ = [
    "deadline_extension_record",
    "digest_recipients",
    "digest_send",
    "extension_limits",
    "notification_mark_all_read",
    "notification_mark_read",
    "pending_retries",
    "reminder_email_send",
    "reminder_scan",
]
