from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hdnd_portal.notifications"
    label = "notifications"
    verbose_name = _("Deadlines and notifications")

    def ready(self) -> None:
        from hdnd_portal.core.permissions import ADMIN, ALL_ROLES, LEADER, STAFF, VIEWER, grant

        # Everyone sees their own notifications and the deadlines that concern them ("mine").
        grant(ALL_ROLES, "can_view_notification")
        # The whole council's deadlines (inherited by the councils below, as every can_view_*).
        grant((ADMIN, STAFF, LEADER, VIEWER), "can_view_deadline")
        grant((ADMIN, STAFF), "can_extend_deadline")
        # Scan status, durations and mail failures.
        grant(ADMIN, "can_manage_reminders")

        from hdnd_portal.core.dashboard import register_cards

        from .dashboard import notification_cards

        register_cards(notification_cards)

        from hdnd_portal.core.middleware import USER_VERSION_KEYS

        from .queries import HELD_BELLS

        USER_VERSION_KEYS.append(HELD_BELLS.key)
