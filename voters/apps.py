from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voters and petitions")

    def ready(self) -> None:
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, RESPONDER, STAFF, VIEWER, grant
        from hdnd_portal.core.report_registry import ReportPart, register_report_part

        from . import reports as report_part

        # Meetings: the office records them; everyone with a reading role sees them.
        grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_voter_meeting")
        grant((ADMIN, STAFF), "can_change_voter_meeting")
        # Petitions: the office and leadership see all of a council's petitions; a deputy sees the
        # ones they took plus the public ones; a responder only those assigned to its agency.
        grant((ADMIN, STAFF, LEADER, VIEWER), "can_view_petition")
        grant(DEPUTY, "can_view_public_petition", "can_view_my_petitions")
        grant(RESPONDER, "can_answer_petition")
        grant(
            (ADMIN, STAFF),
            "can_change_petition",
            "can_forward_petition",
            "can_answer_petition",
            "can_evaluate_petition",
            "can_import_petition",
        )
        grant(LEADER, "can_evaluate_petition")

        from .dashboard import voter_cards

        register_cards(voter_cards)
        register_report_part(ReportPart(
            name="voters", order=40, section=report_part.section,
            council_figures=report_part.council_figures, dashboard=report_part.dashboard,
        ))
