"""The programme-execution section of the summary reports: the tasks of the adopted programmes
due in the period (done, of which late, still open past their date) by kind of programme, and
the tasks agreed at briefings assigned to these councils. Progress is derived as on the pages
(programmes.progress), from a few prefetched queries whatever the number of tasks. Also the
documents issued in the period by the standing committee and by the committees, by kind (two
grouped queries: its own report part, documents_section), and the same total per council for the table
per council (council_figures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.models import Body

from .models import BriefingTask, IssuedDocument, Programme, ProgrammeTask
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
    return {"title": _("Programme execution"), "tasks_due": totals["total"], "tasks_done": totals["done"],
            "tasks_done_late": totals["late"], "tasks_overdue": totals["overdue"], "by_kind": rows}


def _issued(council_ids: list[int], start: date, end: date):
    return IssuedDocument.objects.filter(council_id__in=council_ids, issued_on__range=(start, end))


def issued_figures(council_ids: list[int], start: date, end: date) -> dict:
    """Documents issued in the period: in all, by the standing committee, by the committees
    (every committee kind of Body together), and by kind of document."""
    qs = _issued(council_ids, start, end)
    # Only the standing committee and committees issue (programmes.services.ISSUING_KINDS): every
    # body that is not the standing committee is a committee, whatever kinds of committee exist.
    counts = qs.aggregate(
        total=Count("id"),
        standing=Count("id", filter=Q(body__kind=Body.Kind.STANDING)),
        committees=Count("id", filter=~Q(body__kind=Body.Kind.STANDING)),
    )
    kinds = dict(IssuedDocument.Kind.choices)
    by_kind = [{"key": row["kind"], "label": str(kinds.get(row["kind"], row["kind"])), "count": row["n"]}
               for row in qs.values("kind").annotate(n=Count("id")).order_by("-n", "kind")]
    return {
        "documents_issued": counts["total"],
        "documents_by_standing_committee": counts["standing"],
        "documents_by_committees": counts["committees"],
        "documents_issued_by_kind": by_kind,
    }


def documents_section(council_ids: list[int], start: date, end: date) -> dict:
    """The report part of the documents the standing committee and the committees issued."""
    return {"title": _("Documents issued by the standing committee and committees"),
            **issued_figures(council_ids, start, end)}


def documents_issued_by_council(council_ids: list[int], start: date, end: date) -> dict[int, int]:
    rows = _issued(council_ids, start, end).values("council_id").annotate(n=Count("id")).order_by()
    return {row["council_id"]: row["n"] for row in rows}


def council_figures() -> list[tuple[str, str, Callable[[list[int], date, date], dict[int, int]]]]:
    """(key, label, fn(council_ids, start, end) -> {council_id: count}) for the report's table per
    council; the same definition as `documents_issued` above, so the column sums to it."""
    return [("documents_issued", _("Documents issued by the standing committee and committees"),
             documents_issued_by_council)]
