from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, RESPONDER, STAFF, VIEWER, grant
        from hdnd_portal.core.report_registry import ReportPart, register_report_part

        from . import reports as report_part
        from .dashboard import oversight_cards

        # Everything of the council's oversight (inherited by the councils below for reading).
        grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_oversight")
        # Agency responders read only what is addressed to their agency (see oversight.access).
        grant(RESPONDER, "can_view_oversight_assigned")
        grant((ADMIN, STAFF), "can_change_oversight")
        # Progress reports on recommendations and commitments: the agency, or staff on its behalf.
        grant((ADMIN, STAFF, RESPONDER), "can_report_oversight")
        grant((ADMIN, STAFF, LEADER), "can_evaluate_recommendation")
        register_cards(oversight_cards)
        register_report_part(ReportPart(
            name="oversight", order=30, section=report_part.section,
            council_figures=report_part.council_figures, dashboard=report_part.dashboard,
        ))
