"""Home-page cards of the sessions app (parts of the home page's one batch of figures)."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CouncilSession, Poll, Resolution
from .services import deputy_sitting
from .services.quorum import regular_session_counts, regular_session_shortfalls


def session_cards(council, access, figures):
    if not access.has(council.id, "can_view_session"):
        return []
    today = timezone.localdate()
    sessions = figures.aggregate(
        CouncilSession.objects.filter(council=council),
        upcoming=Count("id", filter=Q(planned_start__gte=today) & ~Q(status=CouncilSession.Status.CLOSED)),
        year=Count("id", filter=Q(planned_start__year=today.year)),
    )
    resolutions = figures.aggregate(
        Resolution.objects.filter(council=council, year=today.year),
        total=Count("id"),
        normative=Count("id", filter=Q(is_normative=True)),
    )
    # The office is warned while it can still plan the missing session (this year) and for
    # last year's record (the annual report states how many regular sessions were held).
    regular = figures.aggregate(
        CouncilSession.objects.filter(council=council),
        **regular_session_counts(council, [today.year - 1, today.year]),
    )
    polls = Poll.objects.filter(council=council, state=Poll.State.OPEN)
    role = access.role_on(council.id, "deputy")
    if role is not None and role.deputy_id:
        # A deputy is shown the polls they may vote in — none once their mandate has ended.
        polls = polls.filter(entitlements__deputy_id=role.deputy_id) if deputy_sitting(role.deputy) else polls.none()
    open_polls = figures.count(polls)

    def cards() -> list[dict]:
        result = [
            {"label": _("Upcoming sessions"), "value": sessions["upcoming"], "url": "sessions:session_calendar"},
            {"label": _("Sessions this year"), "value": sessions["year"], "url": "sessions:session_list"},
            {"label": _("Resolutions this year"), "value": resolutions["total"], "url": "sessions:resolution_list"},
            {
                "label": _("Normative resolutions this year"),
                "value": resolutions["normative"],
                "url": "sessions:resolution_list",
            },
        ]
        read = {key: regular[key] for key in (f"regular_{today.year - 1}", f"regular_{today.year}")}
        earliest = regular["earliest"]
        read["earliest"] = date.fromisoformat(earliest) if isinstance(earliest, str) else earliest
        for shortfall in regular_session_shortfalls(council, until=today.year, figures=read):
            result.append(
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
        if open_polls["count"]:
            # Deputies go to their voting page; the office to the sessions.
            url = "sessions:my_sessions" if role is not None else "sessions:session_list"
            result.append({"label": _("Open electronic polls"), "value": open_polls["count"], "url": url, "alert": True})
        return result

    return cards
