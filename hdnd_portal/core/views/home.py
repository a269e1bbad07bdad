from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..dashboard import dashboard_sections, home_deadlines


@login_required
def home(request):
    council = request.council
    context = {"council": council}
    if council:
        context["sections"] = dashboard_sections(council, request.access)
        context["cards"] = [card for section in context["sections"] for card in section["cards"]]
        # The council's deadlines for those who may see them; for everyone else (deputies, agency
        # responders) only their own: responsible, their agency's, or ones they were reminded of.
        only = None
        if not request.access.has(council.id, "can_view_deadline"):
            from hdnd_portal.notifications.queries import mine_q

            only = mine_q(request.user, request.access.agency_ids())
        context["deadlines"], context["overdue"] = home_deadlines(council, only=only)
        context["today"] = timezone.localdate()
    return render(request, "core/home.html", context)
