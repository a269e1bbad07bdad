from django.contrib import admin

from .models import Notification, ReminderLog, ScanRun


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "deadline", "council"]
    date_hierarchy = "created_at"


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """The ledger: read it here; the scan and the mail tasks write it."""

    list_display = ["sent_at", "deadline", "point", "recipient", "reason", "email_mode", "email_status", "attempts"]
    list_filter = ["email_status", "email_mode", "reason"]
    search_fields = ["point", "recipient__username"]
    raw_id_fields = ["deadline", "recipient", "notification"]
    readonly_fields = ["deadline", "point", "recipient", "reason", "due_date", "notification", "sent_at"]


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "trigger", "duration_ms", "candidates", "reminders", "escalations", "error"]
    list_filter = ["trigger"]
