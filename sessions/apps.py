from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilSessionsConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions".
    name = "sessions"
    label = "council_sessions"
    verbose_name = _("Sessions and resolutions")

    def ready(self) -> None:
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, STAFF, VIEWER, grant
        from hdnd_portal.core.report_registry import ReportPart, register_report_part

        from . import reports as report_part
        from .dashboard import session_cards

        grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_session", "can_view_resolution")
        grant((ADMIN, STAFF), "can_change_session", "can_change_resolution")
        # Documents restricted to deputies (and the office); viewers see public documents only.
        grant((ADMIN, STAFF, LEADER, DEPUTY), "can_view_deputy_document")
        # The secretary and the chair run electronic polls and see who has read what.
        grant((ADMIN, STAFF, LEADER), "can_run_poll", "can_view_read_receipt")
        grant(DEPUTY, "can_cast_vote")
        register_cards(session_cards)
        register_report_part(ReportPart(
            name="sessions", order=20, section=report_part.section,
            council_figures=report_part.council_figures, dashboard=report_part.dashboard,
        ))
