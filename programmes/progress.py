"""Progress of a programme task, derived from the records that carry it out.

A task that links sessions, oversight activities, voter meetings or reports is done when every
one of them is done (a session closed, an activity reported or concluded, a meeting held, a
report generated), on the latest of their dates; it is under way when one of them is done or
started. A task without links (or whose only links were cancelled) uses the progress entered
by hand. The same rule is written twice: in Python for one page of tasks (prefetched), and as
SQL (`annotate_done`) for counts and filters over many."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ProgrammeTask

STATE_LABELS = {
    "done_on_time": _("Done on time"),
    "done_late": _("Done late"),
    "overdue": _("Late"),
    "in_progress": pgettext_lazy("programme progress", "In progress"),
    "not_started": _("Not started"),
    "cancelled": _("Cancelled"),
}
STATE_BADGES = {
    "done_on_time": "success", "done_late": "warning", "overdue": "danger", "in_progress": "info",
    "not_started": "secondary", "cancelled": "light",
}
PREFETCH = ("sessions", "activities", "voter_meetings", "reports")


@dataclass
class Progress:
    state: str
    completed_on: date | None
    derived: bool
    links_done: int
    links_total: int

    @property
    def done(self) -> bool:
        return self.state in ("done_on_time", "done_late")

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


def _link_states(task: ProgrammeTask, today: date) -> list[tuple[bool, bool, date | None]]:
    """(done, started, done date) of every linked record that still counts (not cancelled)."""
    from hdnd_portal.reports.models import Report
    from oversight.models import OversightActivity
    from sessions.models import CouncilSession

    links = []
    for s in task.sessions.all():
        done = s.status == CouncilSession.Status.CLOSED
        links.append((done, s.status != CouncilSession.Status.PLANNED, s.actual_end or s.planned_end))
    for a in task.activities.all():
        if a.status == OversightActivity.Status.CANCELLED:
            continue
        done = a.status in OversightActivity.DONE_STATUSES
        links.append((done, a.status != OversightActivity.Status.PLANNED,
                      a.report_date or a.conclusion_date or a.end_date))
    for m in task.voter_meetings.all():
        links.append((m.date <= today, m.date <= today, m.date))
    for r in task.reports.all():
        links.append((r.status == Report.Status.DONE, True, r.issued_on))
    return links


def task_progress(task: ProgrammeTask, today: date | None = None) -> Progress:
    """Call with the PREFETCH relations prefetched (queries.tasks does)."""
    today = today or timezone.localdate()
    links = _link_states(task, today)
    if links:
        done_count = sum(1 for d, _s, _d in links if d)
        if done_count == len(links):
            completed = max((d for _x, _y, d in links if d), default=None)
            state = "done_late" if completed and completed > task.due_date else "done_on_time"
            return Progress(state, completed, True, done_count, len(links))
        started = done_count or any(s for _d, s, _x in links)
        state = "overdue" if task.due_date < today else ("in_progress" if started else "not_started")
        return Progress(state, None, True, done_count, len(links))
    status = task.status
    if status == ProgrammeTask.Status.CANCELLED:
        return Progress("cancelled", None, False, 0, 0)
    if status == ProgrammeTask.Status.DONE:
        late = task.completed_on and task.completed_on > task.due_date
        return Progress("done_late" if late else "done_on_time", task.completed_on, False, 0, 0)
    if task.due_date < today:
        return Progress("overdue", None, False, 0, 0)
    return Progress("in_progress" if status == ProgrammeTask.Status.IN_PROGRESS else "not_started", None, False, 0, 0)


def summarise(progresses: list[Progress]) -> dict:
    """Counts for a set of tasks: total (cancelled excluded), done, on time, late, overdue…"""
    counted = [p for p in progresses if p.state != "cancelled"]
    summary = {state: 0 for state in STATE_LABELS}
    for p in progresses:
        summary[p.state] += 1
    total = len(counted)
    done = summary["done_on_time"] + summary["done_late"]
    return {
        **summary,
        "total": total,
        "done": done,
        "open": total - done,
        "percent": round(100 * done / total) if total else 0,
    }


# --- The same rule in SQL ----------------------------------------------------------------


def _link_exists(through, fk: str, open_q: Q | None):
    qs = through.objects.filter(programmetask_id=OuterRef("pk"))
    if open_q is not None:
        qs = qs.filter(open_q)
    return Exists(qs.values("pk"))


def annotate_done(qs, today: date | None = None):
    """Annotate `has_links` and `derived_done` (bool) on a ProgrammeTask queryset."""
    from hdnd_portal.reports.models import Report
    from oversight.models import OversightActivity
    from sessions.models import CouncilSession

    today = today or timezone.localdate()
    S, A, M, R = (ProgrammeTask.sessions.through, ProgrammeTask.activities.through,
                  ProgrammeTask.voter_meetings.through, ProgrammeTask.reports.through)
    live_activity = ~Q(oversightactivity__status=OversightActivity.Status.CANCELLED)
    has_links = (
        _link_exists(S, "councilsession", None) | _link_exists(A, "oversightactivity", live_activity)
        | _link_exists(M, "votermeeting", None) | _link_exists(R, "report", None)
    )
    open_links = (
        _link_exists(S, "councilsession", ~Q(councilsession__status=CouncilSession.Status.CLOSED))
        | _link_exists(A, "oversightactivity", live_activity & ~Q(oversightactivity__status__in=OversightActivity.DONE_STATUSES))
        | _link_exists(M, "votermeeting", Q(votermeeting__date__gt=today))
        | _link_exists(R, "report", ~Q(report__status=Report.Status.DONE))
    )
    done = Q(has_links=True, has_open_links=False) | Q(has_links=False, status=ProgrammeTask.Status.DONE)
    return qs.annotate(has_links=has_links, has_open_links=open_links).annotate(
        derived_done=ExpressionWrapper(done, output_field=BooleanField()),
    )


def overdue_q(today: date | None = None) -> Q:
    """On a queryset passed through annotate_done: open tasks past their due date."""
    today = today or timezone.localdate()
    return (Q(derived_done=False, due_date__lt=today)
            & ~Q(has_links=False, status=ProgrammeTask.Status.CANCELLED))
