"""Django admin (superusers only) for troubleshooting. Sender identities (LetterSender,
VisitCitizen, LetterScan) are deliberately not registered: they are read only through the
portal pages and API, where every disclosure is logged."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, IdentityViewLog, Letter, ReceptionDay, ReceptionSchedule


@admin.register(ReceptionSchedule)
class ReceptionScheduleAdmin(SimpleHistoryAdmin):
    list_display = ("title", "council", "receiver_kind", "sessions_per_month", "valid_from", "is_published")
    list_filter = ("is_published", "receiver_kind")
    list_select_related = ("council",)
    search_fields = ("title",)


@admin.register(ReceptionDay)
class ReceptionDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "council", "location", "status")
    list_filter = ("status",)
    list_select_related = ("council",)
    date_hierarchy = "date"


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "council", "opened_on", "status")
    list_filter = ("status", "kind")
    list_select_related = ("council",)
    search_fields = ("code", "title")


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    list_display = ("register_number", "council", "received_on", "kind", "status", "decision")
    list_filter = ("kind", "status", "decision", "channel")
    list_select_related = ("council",)
    search_fields = ("register_number", "subject")
    raw_id_fields = (
        "case",
        "visit",
        "split_from",
        "duplicate_of",
        "forwarded_by_deputy",
        "forwarded_by_agency",
        "respondent_agency",
        "forwarded_to",
    )
    date_hierarchy = "received_on"

    # Letters change only through the services (protection, deadlines, versions): read-only here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdentityViewLog)
class IdentityViewLogAdmin(admin.ModelAdmin):
    list_display = ("viewed_at", "user", "letter", "visit", "via", "ip_address")
    list_filter = ("via",)
    list_select_related = ("user", "letter", "visit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
