from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hdnd_portal.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, STAFF, VIEWER, grant

        # Reading reports and the leaders' dashboard is inherited by the councils below (can_view_*);
        # requesting a numbered report is an office or leadership act on the role's council.
        grant((ADMIN, STAFF, LEADER, VIEWER), "can_view_report")
        grant((ADMIN, STAFF, LEADER, VIEWER, DEPUTY), "can_view_report_dashboard")
        grant((ADMIN, STAFF, LEADER), "can_request_report")
