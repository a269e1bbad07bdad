"""Home-page cards of the citizens app: a few counts in two queries."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .apps import VIEW_LETTER, VIEW_RECEPTION


def citizen_cards(council, access) -> list[dict]:
    from .models import Letter, ReceptionDay

    cards = []
    today = timezone.localdate()
    if access.has(council.id, VIEW_RECEPTION):
        upcoming = ReceptionDay.objects.filter(council=council, date__gte=today, status=ReceptionDay.Status.PLANNED)
        next_day = upcoming.order_by("date").values_list("date", flat=True).first()
        cards.append(
            {
                "label": _("Next reception day"),
                "value": next_day.strftime("%d/%m/%Y") if next_day else "—",
                "url": "citizens:day_list",
            }
        )
    if access.has(council.id, VIEW_LETTER):
        figures = Letter.objects.filter(council=council, received_on__year=today.year).aggregate(
            total=Count("id"),
            pending=Count("id", filter=Q(status=Letter.Status.RECEIVED)),
            denunciations=Count("id", filter=Q(kind=Letter.Kind.DENUNCIATION)),
        )
        cards += [
            {"label": _("Letters received this year"), "value": figures["total"], "url": "citizens:letter_list"},
            {
                "label": _("Letters awaiting a decision"),
                "value": figures["pending"],
                "url": "citizens:letter_list",
                "alert": figures["pending"] > 0,
            },
            {"label": _("Denunciations this year"), "value": figures["denunciations"], "url": "citizens:letter_list"},
        ]
    return cards
