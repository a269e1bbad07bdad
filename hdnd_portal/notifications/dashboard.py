"""Home-page figures of this app: the user's unread notifications and overdue deadlines."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.models import Deadline

from .models import Notification
from .queries import mine_q


def notification_cards(council, access, figures):
    user = access.user
    overdue = figures.count(
        Deadline.objects.filter(council=council, state=Deadline.State.OPEN, due_date__lt=timezone.localdate())
        .filter(mine_q(user, access.agency_ids()))
    )
    unread = figures.count(Notification.objects.filter(user=user, read_at__isnull=True))

    def cards() -> list[dict]:
        return [
            {
                "label": _("My overdue deadlines"),
                "value": overdue["count"],
                "url": "notifications:my_deadlines",
                "alert": overdue["count"] > 0,
            },
            {"label": _("Unread notifications"), "value": unread["count"], "url": "notifications:list"},
        ]

    return cards
