"""Every change to programmes, their tasks, briefings and briefing tasks. Pages and the API both
call these after the core guard (permission on the record's council, relations in the same
council, the version) — see hdnd_portal.core.writes; the actions below that are not plain
edits (publish, refresh figures, report a task done) run that guard themselves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.deadlines import deadline_complete, deadline_set
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Body, Council, CouncilRole, User
from hdnd_portal.core.scoping import get_access
from hdnd_portal.core.writes import WriteDenied, guard_update

from .figures import briefing_figures
from .models import Briefing, BriefingTask, Programme, ProgrammeTask, period_of

CHANGE = "can_change_programme"
DEADLINE_KIND = "briefing.task"


# --- Programmes -----------------------------------------------------------------------------


def _check_body(body: Body | None, council_id: int) -> None:
    if body is not None and body.council_id != council_id:
        raise DomainError(_("This record belongs to another council."), field="body")


@transaction.atomic
def programme_save(*, programme: Programme, partner_agencies: Iterable | None = None) -> Programme:
    """Create or update a programme (already guarded). Its period follows from kind, year and part;
    an adopted programme names its document; publishing records the date."""
    _check_body(programme.body, programme.council_id)
    if programme.kind not in (Programme.Kind.QUARTER, Programme.Kind.SIX_MONTH):
        programme.part = None
    elif not programme.part:
        raise DomainError(_("Give the quarter (1–4) of a quarterly plan or the half (1–2) of a six-month plan."),
                          field="part")
    if programme.kind == Programme.Kind.QUARTER and not 1 <= programme.part <= 4:
        raise DomainError(_("A quarter is 1, 2, 3 or 4."), field="part")
    if programme.kind == Programme.Kind.SIX_MONTH and not 1 <= programme.part <= 2:
        raise DomainError(_("A half-year is 1 or 2."), field="part")
    if not 2000 <= programme.year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."), field="year")
    term_end = None
    if programme.kind == Programme.Kind.TERM:
        from hdnd_portal.core.models import Term

        term = Term.objects.filter(council_id=programme.council_id, start_year__lte=programme.year,
                                   end_year__gte=programme.year).order_by("-start_year").first()
        term_end = term.end_year if term else None
    programme.period_start, programme.period_end = period_of(programme.kind, programme.year, programme.part, term_end)
    if programme.status == Programme.Status.ADOPTED and not (programme.document_number and programme.adopted_on):
        raise DomainError(_("An adopted programme needs its document number and date."), field="document_number")
    if programme.is_published and not programme.published_on:
        programme.published_on = timezone.localdate()
    if not programme.is_published:
        programme.published_on = None
    programme.full_clean(exclude=["version", "partner_agencies"])
    programme.save()
    if partner_agencies is not None:
        agencies = list(partner_agencies)
        if any(a.council_id != programme.council_id for a in agencies):
            raise DomainError(_("This record belongs to another council."), field="partner_agencies")
        programme.partner_agencies.set(agencies)
    return programme


@transaction.atomic
def programme_publish(*, user: User, programme: Programme, expected_version: int, published: bool) -> Programme:
    guard_update(user=user, instance=programme, values={}, permission=CHANGE, expected_version=expected_version)
    if published and programme.status != Programme.Status.ADOPTED:
        raise DomainError(_("Only an adopted programme can be published."), field="is_published")
    programme.is_published = published
    programme.published_on = timezone.localdate() if published else None
    programme.save()
    return programme


@transaction.atomic
def task_save(*, task: ProgrammeTask, links: dict[str, Iterable] | None = None) -> ProgrammeTask:
    """Create or update a programme task (already guarded): it takes its programme's council;
    its lead body/agency and the records it links belong to that council."""
    task.council_id = task.programme.council_id
    _check_body(task.lead_body, task.council_id)
    if task.lead_agency is not None and task.lead_agency.council_id != task.council_id:
        raise DomainError(_("This record belongs to another council."), field="lead_agency")
    if task.status == ProgrammeTask.Status.DONE and not task.completed_on:
        raise DomainError(_("A task done by hand needs the date it was completed."), field="completed_on")
    if task.status != ProgrammeTask.Status.DONE:
        task.completed_on = None
    if task.completed_on and task.completed_on > timezone.localdate():
        raise DomainError(_("The completion date cannot be in the future."), field="completed_on")
    task.full_clean(exclude=["version", *ProgrammeTask.LINK_FIELDS])
    task.save()
    for name, records in (links or {}).items():
        if name not in ProgrammeTask.LINK_FIELDS:
            continue
        records = list(records)
        if any(r.council_id != task.council_id for r in records):
            raise DomainError(_("This record belongs to another council."), field=name)
        getattr(task, name).set(records)
    return task


# --- Briefings ------------------------------------------------------------------------------


def _participants_valid(briefing: Briefing, participants: list[Council]) -> None:
    if briefing.scope == Briefing.Scope.COMMITTEES and participants:
        raise DomainError(_("A briefing with the committees has no councils below taking part."),
                          field="participants")
    wrong = [c for c in participants if c.parent_id != briefing.council_id]
    if wrong:
        raise DomainError(_("%(council)s is not a council directly below this one.") % {"council": wrong[0].name},
                          field="participants")


@transaction.atomic
def briefing_save(*, briefing: Briefing, participants: Iterable[Council] | None = None,
                  bodies: Iterable[Body] | None = None) -> Briefing:
    """Create or update a briefing (already guarded). Its period follows from kind, year and part;
    the figures are computed again whenever the period or the councils taking part change."""
    if briefing.period_kind == Briefing.PeriodKind.YEAR:
        briefing.part = None
    elif not briefing.part:
        raise DomainError(_("Give the quarter (1–4) or the half (1–2) the briefing reviews."), field="part")
    elif briefing.period_kind == Briefing.PeriodKind.QUARTER and not 1 <= briefing.part <= 4:
        raise DomainError(_("A quarter is 1, 2, 3 or 4."), field="part")
    elif briefing.period_kind == Briefing.PeriodKind.SIX_MONTH and not 1 <= briefing.part <= 2:
        raise DomainError(_("A half-year is 1 or 2."), field="part")
    if not 2000 <= briefing.year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."), field="year")
    kind = {"quarter": Programme.Kind.QUARTER, "six_month": Programme.Kind.SIX_MONTH}.get(briefing.period_kind,
                                                                                          Programme.Kind.YEAR)
    start, end = period_of(kind, briefing.year, briefing.part)
    period_changed = (briefing.pk is None or (getattr(briefing, "_loaded", None) is not None and
                                               (briefing.period_start, briefing.period_end) != (start, end)))
    briefing.period_start, briefing.period_end = start, end
    if participants is not None:
        participants = list(participants)
        _participants_valid(briefing, participants)
    if bodies is not None:
        bodies = list(bodies)
        for body in bodies:
            _check_body(body, briefing.council_id)
    briefing.full_clean(exclude=["version", "participants", "bodies"])
    briefing.save()
    old_ids = set(briefing.participants.values_list("id", flat=True))
    if participants is not None:
        briefing.participants.set(participants)
    if bodies is not None:
        briefing.bodies.set(bodies)
    new_ids = set(briefing.participants.values_list("id", flat=True))
    if period_changed or old_ids != new_ids or not briefing.figures:
        _fill_figures(briefing)
    return briefing


def _fill_figures(briefing: Briefing) -> None:
    ids = list(briefing.participants.order_by("name").values_list("id", flat=True))
    briefing.figures = briefing_figures(briefing.council, ids, briefing.period_start, briefing.period_end)
    briefing.figures_at = timezone.now()
    # A recomputation is not an edit of the record: no version bump, no history row.
    Briefing.objects.filter(pk=briefing.pk).update(figures=briefing.figures, figures_at=briefing.figures_at)


@transaction.atomic
def briefing_refresh_figures(*, user: User, briefing: Briefing, expected_version: int) -> Briefing:
    """Compute the figures again from the portal (after late entries for the period)."""
    guard_update(user=user, instance=briefing, values={}, permission=CHANGE, expected_version=expected_version)
    briefing.save()
    _fill_figures(briefing)
    return briefing


def _assignee_valid(task: BriefingTask) -> None:
    briefing = task.briefing
    allowed = {briefing.council_id, *briefing.participants.values_list("id", flat=True)}
    if task.assignee_council_id not in allowed:
        raise DomainError(_("Assign the task to the convening council or to a council taking part."),
                          field="assignee_council")
    if task.assignee_user_id and not CouncilRole.objects.filter(
        user_id=task.assignee_user_id, council_id=task.assignee_council_id
    ).exclude(role=CouncilRole.Role.RESPONDER).exists():
        raise DomainError(_("The responsible person has no role on the assigned council."), field="assignee_user")


def _sync_deadline(task: BriefingTask) -> None:
    """The task's one deadline, on the assignee's council (it shows in their 'my deadlines')."""
    if task.status == BriefingTask.Status.OPEN:
        deadline_set(
            subject=task, council=task.assignee_council, kind=DEADLINE_KIND,
            title=_("Briefing task: %(title)s") % {"title": task.title},
            start_date=task.briefing.held_on, due_date=task.due_date,
            responsible_user=task.assignee_user,
        )
    else:
        deadline_complete(subject=task, kind=DEADLINE_KIND, cancelled=task.status == BriefingTask.Status.CANCELLED)


@transaction.atomic
def briefing_task_save(*, task: BriefingTask) -> BriefingTask:
    """Create or update a task agreed at a briefing (already guarded) and keep its deadline."""
    task.council_id = task.briefing.council_id
    _assignee_valid(task)
    if task.due_date < task.briefing.held_on:
        raise DomainError(_("The due date cannot be before the briefing."), field="due_date")
    if task.status == BriefingTask.Status.DONE and not task.completed_on:
        task.completed_on = timezone.localdate()
    if task.status != BriefingTask.Status.DONE:
        task.completed_on = None
    task.full_clean(exclude=["version"])
    task.save()
    _sync_deadline(task)
    return task


def can_report_task(user: User, task: BriefingTask) -> bool:
    """The convening office, the assignee council's office, or the responsible person."""
    access = get_access(user)
    return (access.has(task.council_id, CHANGE) or access.has(task.assignee_council_id, CHANGE)
            or (task.assignee_user_id is not None and task.assignee_user_id == user.pk))


@transaction.atomic
def briefing_task_complete(*, user: User, task: BriefingTask, expected_version: int, completed_on: date | None,
                           result: str) -> BriefingTask:
    """The assignee (or the convening office) reports the task done; its deadline is met."""
    if not can_report_task(user, task):
        raise WriteDenied(_("You lack the permission on this council."))
    from hdnd_portal.core.concurrency import check_and_bump

    check_and_bump(task, expected_version)
    if task.status != BriefingTask.Status.OPEN:
        raise DomainError(_("Only an open task can be reported done."))
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise DomainError(_("The completion date cannot be in the future."), field="completed_on")
    if completed_on < task.briefing.held_on:
        raise DomainError(_("The completion date cannot be before the briefing."), field="completed_on")
    task.status = BriefingTask.Status.DONE
    task.completed_on = completed_on
    task.result = result[:10000]
    task.save()
    _sync_deadline(task)
    return task
