"""Home-page cards: this year's programme tasks (done, late) and the briefing tasks assigned to
the council. Two parts of the home page's batch of figures whatever the number of tasks."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import queries
from .models import BriefingTask, ProgrammeTask
from .progress import annotate_done, overdue_q


def programme_cards(council, access, figures):
    if council is None or not access.has(council.id, queries.VIEW):
        return []
    today = timezone.localdate()
    visible = queries.visible_programmes(access).filter(council_id=council.id)
    # The same counts as queries.summaries (done/total of this year's programmes, cancelled tasks
    # left out) and queries.overdue_count (late tasks of every visible programme), in SQL.
    this_year = Q(programme__year=today.year)
    tasks = figures.aggregate(
        annotate_done(ProgrammeTask.objects.filter(council_id=council.id, programme__in=visible), today),
        total=Count("id", filter=this_year & ~Q(has_links=False, status=ProgrammeTask.Status.CANCELLED)),
        done=Count("id", filter=this_year & Q(derived_done=True)),
        late=Count("id", filter=overdue_q(today)),
    )
    assigned = figures.aggregate(
        BriefingTask.objects.filter(assignee_council_id=council.id),
        open=Count("id", filter=Q(status=BriefingTask.Status.OPEN)),
        overdue=Count("id", filter=Q(status=BriefingTask.Status.OPEN, due_date__lt=today)),
    )

    def cards() -> list[dict]:
        late = tasks["late"]
        return [
            {"label": _("Programme tasks done this year"), "value": f"{tasks['done']}/{tasks['total']}",
             "url": "programmes:dashboard"},
            {"label": _("Late programme tasks"), "value": late, "url": "programmes:task_list", "alert": late > 0},
            {"label": _("Open briefing tasks assigned"), "value": assigned["open"], "url": "programmes:assigned_list",
             "alert": assigned["overdue"] > 0},
        ]

    return cards
