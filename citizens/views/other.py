"""The figures page (the citizens section of the summary report) and the public schedule page."""

from datetime import date

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import TemplateView

from hdnd_portal.core.models import Council
from hdnd_portal.core.scoping import council_and_below, narrowed
from hdnd_portal.core.views.mixins import CouncilMixin

from ..apps import VIEW_LETTER, VIEW_RECEPTION
from ..forms import StyledForm, date_field
from ..models import ReceptionDay, ReceptionSchedule
from ..reports import section


class PeriodForm(StyledForm):
    start = date_field("", required=False)
    end = date_field("", required=False)


class Statistics(CouncilMixin, TemplateView):
    """Reception and letter figures for a period, for the council (and, ticked, the councils below)."""

    permission = VIEW_RECEPTION
    template_name = "citizens/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = PeriodForm(self.request.GET or None)
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
        if form.is_valid():
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
        below = self.request.GET.get("below") == "1"
        ids = council_and_below(self.council) if below else [self.council.id]
        ids = narrowed(ids, self.request.access.council_ids(VIEW_RECEPTION))
        context.update(
            form=form,
            start=start,
            end=end,
            below=below,
            figures=section(ids, start, end),
            show_letters=self.has_perm(VIEW_LETTER),
            title=None,
        )
        return context


def public_schedule(request, council_id: int):
    """Public page: a council's published reception schedules and its coming reception days."""
    council = get_object_or_404(Council, pk=council_id, is_active=True)
    schedules = ReceptionSchedule.objects.filter(council=council, is_published=True).prefetch_related("receivers")
    today = timezone.localdate()
    days = (
        ReceptionDay.objects.filter(schedule__in=schedules, date__gte=today)
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .prefetch_related("receivers")
        .order_by("date")[:12]
    )
    return render(request, "citizens/public_schedule.html", {"council": council, "schedules": schedules, "days": days})
