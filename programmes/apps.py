from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes and briefings")

    def ready(self) -> None:
        from hdnd_portal.core.dashboard import register_cards
        from hdnd_portal.core.permissions import ADMIN, DEPUTY, LEADER, STAFF, VIEWER, grant
        from hdnd_portal.notifications.kinds import register_kinds

        from .dashboard import programme_cards

        # Programmes, plans and briefings: read by every council role but agency responders
        # (inherited by the councils below for reading); drafts only by those who may change them.
        grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_programme")
        grant((ADMIN, STAFF, LEADER), "can_change_programme")
        register_cards(programme_cards)
        register_kinds({"briefing.task": _("Task from a briefing")})
