"""The programme-execution section of the summary reports: the tasks of the adopted programmes
due in the period (done, of which late, still open past their date) by kind of programme, and
the tasks agreed at briefings assigned to these councils. Progress is derived as on the pages
(programmes.progress), from a few prefetched queries whatever the number of tasks."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BriefingTask, Programme, ProgrammeTask
from .progress import summarise, task_progress
from .queries import tasks


def section(council_ids: list[int], start: date, end: date) -> dict:
    today = timezone.localdate()
    qs = tasks(ProgrammeTask.objects.filter(
        council_id__in=council_ids, due_date__range=(start, end), programme__status=Programme.Status.ADOPTED))
    kinds = dict(Programme.Kind.choices)
    by_kind: dict[str, list] = {}
    for task in qs.order_by("programme__kind", "due_date"):
        by_kind.setdefault(task.programme.kind, []).append(task_progress(task, today))
    rows = []
    for kind, progresses in by_kind.items():
        s = summarise(progresses)
        rows.append({"label": str(kinds[kind]), "total": s["total"], "done": s["done"], "late": s["done_late"],
                     "overdue": s["overdue"]})
    briefing = BriefingTask.objects.filter(assignee_council_id__in=council_ids, due_date__range=(start, end)).exclude(
        status=BriefingTask.Status.CANCELLED
    ).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=BriefingTask.Status.DONE)),
        late=Count("id", filter=Q(status=BriefingTask.Status.DONE, completed_on__gt=F("due_date"))),
        overdue=Count("id", filter=Q(status=BriefingTask.Status.OPEN, due_date__lt=today)),
    )
    if briefing["total"]:
        rows.append({"label": _("Tasks agreed at briefings"), **briefing})
    totals = {key: sum(r[key] for r in rows) for key in ("total", "done", "late", "overdue")}
    return {"title": _("Programme execution"), **totals, "by_kind": rows}
