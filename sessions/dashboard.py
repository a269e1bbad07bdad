"""Home-page cards of the sessions app (a few aggregate queries)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CouncilSession, Poll, Resolution
from .services import deputy_sitting
from .services.quorum import regular_session_shortfalls


def session_cards(council, access) -> list[dict]:
    if not access.has(council.id, "can_view_session"):
        return []
    today = timezone.localdate()
    sessions = CouncilSession.objects.filter(council=council).aggregate(
        upcoming=Count("id", filter=Q(planned_start__gte=today) & ~Q(status=CouncilSession.Status.CLOSED)),
        year=Count("id", filter=Q(planned_start__year=today.year)),
    )
    resolutions = Resolution.objects.filter(council=council, year=today.year).aggregate(
        total=Count("id"),
        normative=Count("id", filter=Q(is_normative=True)),
    )
    cards = [
        {"label": _("Upcoming sessions"), "value": sessions["upcoming"], "url": "sessions:session_calendar"},
        {"label": _("Sessions this year"), "value": sessions["year"], "url": "sessions:session_list"},
        {"label": _("Resolutions this year"), "value": resolutions["total"], "url": "sessions:resolution_list"},
        {
            "label": _("Normative resolutions this year"),
            "value": resolutions["normative"],
            "url": "sessions:resolution_list",
        },
    ]
    # The office is warned while it can still plan the missing session (this year) and for
    # last year's record (the annual report states how many regular sessions were held).
    for shortfall in regular_session_shortfalls(council, until=today.year):
        cards.append(
            {
                "label": _(
                    "Year %(year)s: %(count)s regular session(s) held or planned, fewer than the minimum of "
                    "%(required)s a year (%(citation)s)"
                )
                % {
                    "year": shortfall.year,
                    "count": shortfall.count,
                    "required": shortfall.required,
                    "citation": shortfall.rule.citation,
                },
                "value": f"{shortfall.count}/{shortfall.required}",
                "url": "sessions:session_list",
                "alert": True,
                "year": shortfall.year,
            }
        )
    polls = Poll.objects.filter(council=council, state=Poll.State.OPEN)
    role = access.role_on(council.id, "deputy")
    if role is not None and role.deputy_id:
        # A deputy is shown the polls they may vote in — none once their mandate has ended.
        polls = polls.filter(entitlements__deputy_id=role.deputy_id) if deputy_sitting(role.deputy) else polls.none()
    open_polls = polls.count()
    if open_polls:
        # Deputies go to their voting page; the office to the sessions.
        url = "sessions:my_sessions" if role is not None else "sessions:session_list"
        cards.append({"label": _("Open electronic polls"), "value": open_polls, "url": url, "alert": True})
    return cards
