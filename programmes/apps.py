from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes and briefings")

    def ready(self) -> None:
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, STAFF, VIEWER, grant
        from hdnd_portal.core.report_registry import ReportPart, register_report_part
        from hdnd_portal.notifications.kinds import register_kinds

        from . import reports as report_part
        from .dashboard import programme_cards

        # Programmes, plans and briefings: read by every council role but agency responders
        # (inherited by the councils below for reading); drafts only by those who may change them.
        grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_programme")
        grant((ADMIN, STAFF, LEADER), "can_change_programme")
        register_cards(programme_cards)
        register_kinds({"briefing.task": _("Task from a briefing")})
        # The documents issued come right after the council's organisation, as the seeds report them;
        # the programmes' execution at the end.
        register_report_part(ReportPart(
            name="documents", order=15, section=report_part.documents_section,
            council_figures=report_part.council_figures,
        ))
        register_report_part(ReportPart(name="programmes", order=60, section=report_part.section))
