"""Home-page cards of the citizens app: two parts of the home page's one batch of figures."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .apps import VIEW_LETTER, VIEW_RECEPTION


def citizen_cards(council, access, figures):
    from .models import Letter, ReceptionDay

    today = timezone.localdate()
    next_day = letters = None
    if access.has(council.id, VIEW_RECEPTION):
        next_day = figures.first(
            ReceptionDay.objects.filter(council=council, date__gte=today, status=ReceptionDay.Status.PLANNED)
            .order_by("date"),
            "date",
        )
    if access.has(council.id, VIEW_LETTER):
        letters = figures.aggregate(
            Letter.objects.filter(council=council, received_on__year=today.year),
            total=Count("id"),
            pending=Count("id", filter=Q(status=Letter.Status.RECEIVED)),
            denunciations=Count("id", filter=Q(kind=Letter.Kind.DENUNCIATION)),
        )

    def cards() -> list[dict]:
        result = []
        if next_day is not None:
            day = next_day["date"]
            result.append(
                {
                    "label": _("Next reception day"),
                    "value": day.strftime("%d/%m/%Y") if day else "—",
                    "url": "citizens:day_list",
                }
            )
        if letters is not None:
            result += [
                {"label": _("Letters received this year"), "value": letters["total"], "url": "citizens:letter_list"},
                {
                    "label": _("Letters awaiting a decision"),
                    "value": letters["pending"],
                    "url": "citizens:letter_list",
                    "alert": letters["pending"] > 0,
                },
                {"label": _("Denunciations this year"), "value": letters["denunciations"], "url": "citizens:letter_list"},
            ]
        return result

    return cards
