from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Permissions of the citizens app (declared in ready()).
VIEW_RECEPTION = "can_view_reception"
CHANGE_RECEPTION = "can_change_reception"
VIEW_LETTER = "can_view_letter"
CHANGE_LETTER = "can_change_letter"
VIEW_IDENTITY = "can_view_denouncer_identity"  # explicit only: CouncilRole.extra_permissions
VIEW_IDENTITY_LOG = "can_view_identity_log"


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizen reception and letters")

    def ready(self) -> None:
        from hdnd_portal.core import permissions as p
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.report_registry import ReportPart, register_report_part
        from hdnd_portal.notifications.kinds import register_kinds

        from . import history
        from . import reports as report_part
        from .dashboard import citizen_cards
        from .deadlines import NEW_KIND_LABELS

        p.grant((p.ADMIN, p.STAFF, p.LEADER, p.DEPUTY, p.VIEWER), VIEW_RECEPTION)
        p.grant((p.ADMIN, p.STAFF, p.LEADER, p.VIEWER), VIEW_LETTER)
        p.grant((p.ADMIN, p.STAFF), CHANGE_RECEPTION, CHANGE_LETTER)
        p.grant(p.ADMIN, VIEW_IDENTITY_LOG)
        # The identity of denouncers is never part of a role: only an explicit grant gives it.
        p.EXPLICIT_ONLY.add(VIEW_IDENTITY)
        register_cards(citizen_cards)
        history.connect()
        register_kinds(NEW_KIND_LABELS)  # the deadlines pages name the office's deadlines
        register_report_part(ReportPart(
            name="citizens", order=50, section=report_part.section,
            council_figures=report_part.council_figures, dashboard=report_part.dashboard,
        ))
