"""Reads of programmes and briefings, taking the council ids first; a handful of queries per page
whatever the number of rows (tasks prefetch their linked records once)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask
from .progress import PREFETCH, Progress, annotate_done, overdue_q, summarise, task_progress

VIEW, CHANGE = "can_view_programme", "can_change_programme"


def visible_programmes(access, qs: QuerySet | None = None) -> QuerySet:
    """Drafts are for those who may change a council's programmes; others see published ones."""
    qs = Programme.objects.all() if qs is None else qs
    editable = access.council_ids(CHANGE)
    if editable is None:
        return qs
    return qs.filter(Q(is_published=True) | Q(council_id__in=editable))


def programmes(council_ids: list[int], access, coordination: bool = False) -> QuerySet:
    qs = Programme.objects.filter(council_id__in=council_ids).select_related("body", "council")
    qs = qs.filter(kind=Programme.Kind.COORDINATION) if coordination else qs.exclude(kind=Programme.Kind.COORDINATION)
    return visible_programmes(access, qs).annotate(task_count=Count("tasks"))


def tasks(qs: QuerySet) -> QuerySet:
    return qs.select_related("lead_body", "lead_agency", "programme").prefetch_related(*PREFETCH)


def programme_tasks(programme: Programme) -> list[ProgrammeTask]:
    return list(tasks(programme.tasks.all()).order_by("position", "due_date", "pk"))


def with_progress(task_list, today: date | None = None) -> list[tuple[ProgrammeTask, Progress]]:
    today = today or timezone.localdate()
    return [(t, task_progress(t, today)) for t in task_list]


def summaries(programme_ids: list[int], today: date | None = None) -> dict[int, dict]:
    """Task counts (done, on time, late, overdue…) per programme, for a page of programmes."""
    today = today or timezone.localdate()
    by_programme: dict[int, list[Progress]] = {pid: [] for pid in programme_ids}
    for task in tasks(ProgrammeTask.objects.filter(programme_id__in=programme_ids)):
        by_programme[task.programme_id].append(task_progress(task, today))
    return {pid: summarise(items) for pid, items in by_programme.items()}


def overdue_tasks(council_ids: list[int], access, limit: int = 20) -> list[tuple[ProgrammeTask, Progress]]:
    """Late tasks of visible programmes, the longest overdue first (SQL filter, then details)."""
    today = timezone.localdate()
    base = ProgrammeTask.objects.filter(council_id__in=council_ids,
                                        programme__in=visible_programmes(access).filter(council_id__in=council_ids))
    qs = annotate_done(base, today).filter(overdue_q(today)).order_by("due_date", "pk")
    return with_progress(tasks(qs)[:limit], today)


def overdue_count(council_ids: list[int], access) -> int:
    today = timezone.localdate()
    base = ProgrammeTask.objects.filter(council_id__in=council_ids,
                                        programme__in=visible_programmes(access).filter(council_id__in=council_ids))
    return annotate_done(base, today).filter(overdue_q(today)).count()


def briefings(council_ids: list[int]) -> QuerySet:
    return Briefing.objects.filter(council_id__in=council_ids).annotate(
        task_count=Count("tasks", distinct=True),
        open_tasks=Count("tasks", filter=Q(tasks__status=BriefingTask.Status.OPEN), distinct=True),
        participant_count=Count("participants", distinct=True),
    )


def briefing_tasks(briefing: Briefing) -> QuerySet:
    return briefing.tasks.select_related("assignee_council", "assignee_user").order_by("due_date", "pk")


def assigned_tasks(council_id: int) -> QuerySet:
    return BriefingTask.objects.filter(assignee_council_id=council_id).select_related(
        "briefing", "briefing__council", "assignee_user").order_by("status", "due_date", "pk")


def briefing_task_counts(council_ids: list[int]) -> dict:
    today = timezone.localdate()
    return BriefingTask.objects.filter(assignee_council_id__in=council_ids).aggregate(
        open=Count("id", filter=Q(status=BriefingTask.Status.OPEN)),
        overdue=Count("id", filter=Q(status=BriefingTask.Status.OPEN, due_date__lt=today)),
        done=Count("id", filter=Q(status=BriefingTask.Status.DONE)),
    )


def issued_documents(council_ids: list[int]) -> QuerySet:
    """The register of issued documents of these councils, with what a list shows in one query."""
    return IssuedDocument.objects.filter(council_id__in=council_ids).select_related("body", "council")
