from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    Body,
    CalendarException,
    Council,
    CouncilRole,
    Deadline,
    Deputy,
    Field,
    Membership,
    Rule,
    Term,
    User,
)


class SuperuserOnlyAdmin(admin.AdminSite):
    """Django admin is for superusers only; staff work in the portal's own pages."""

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


admin.site.__class__ = SuperuserOnlyAdmin


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Portal", {"fields": ("full_name", "phone", "email_mode")}),)
    search_fields = ("username", "full_name", "email")


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "value", "unit", "status", "effective_from", "council")
    list_filter = ("status", "unit")
    search_fields = ("code", "name", "citation")


for model in (Term, Body, Deputy, Membership, Agency, Field, CalendarException, CouncilRole, Deadline):
    admin.site.register(model, SimpleHistoryAdmin)
