from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..dashboard import dashboard_cards, upcoming_deadlines


@login_required
def home(request):
    council = request.council
    context = {"council": council}
    if council:
        context["cards"] = dashboard_cards(council, request.access)
        context["deadlines"] = upcoming_deadlines(council)
        context["today"] = timezone.localdate()
    return render(request, "core/home.html", context)
