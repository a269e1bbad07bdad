"""Home-page cards: this year's programme tasks (done, late) and the briefing tasks assigned to
the council. A few queries whatever the number of tasks."""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import queries
from .models import Programme


def programme_cards(council, access) -> list[dict]:
    if council is None or not access.has(council.id, queries.VIEW):
        return []
    year = timezone.localdate().year
    ids = list(queries.visible_programmes(access, Programme.objects.filter(council=council, year=year))
               .values_list("pk", flat=True))
    summaries = queries.summaries(ids).values()
    total = sum(s["total"] for s in summaries)
    done = sum(s["done"] for s in summaries)
    late = queries.overdue_count([council.id], access)
    assigned = queries.briefing_task_counts([council.id])
    return [
        {"label": _("Programme tasks done this year"), "value": f"{done}/{total}", "url": "programmes:dashboard"},
        {"label": _("Late programme tasks"), "value": late, "url": "programmes:task_list", "alert": late > 0},
        {"label": _("Open briefing tasks assigned"), "value": assigned["open"], "url": "programmes:assigned_list",
         "alert": assigned["overdue"] > 0},
    ]
