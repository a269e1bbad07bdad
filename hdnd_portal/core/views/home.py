from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..dashboard import dashboard_sections, recent_overdue, upcoming_deadlines


@login_required
def home(request):
    council = request.council
    context = {"council": council}
    if council:
        context["sections"] = dashboard_sections(council, request.access)
        context["cards"] = [card for section in context["sections"] for card in section["cards"]]
        context["deadlines"] = upcoming_deadlines(council)
        context["overdue"] = recent_overdue(council)
        context["today"] = timezone.localdate()
    return render(request, "core/home.html", context)
