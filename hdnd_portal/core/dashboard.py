"""Home dashboard. Core figures here; each app adds its cards with register_cards() in its
AppConfig.ready(): a function (council, access) -> list of {"label", "value", "url"?} dicts,
computed in a handful of SQL queries."""

from collections.abc import Callable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agency, Body, Deadline, Deputy

CARD_PROVIDERS: list[Callable] = []


def register_cards(provider: Callable) -> None:
    CARD_PROVIDERS.append(provider)


def core_cards(council, access) -> list[dict]:
    """The council's own figures, each only for those who may see what it counts (an agency
    responder or a deputy does not read the council-wide deadline counts)."""
    today = timezone.localdate()
    cards = []
    if access.has(council.id, "can_view_directory"):
        deputies = Deputy.objects.filter(council=council).aggregate(
            sitting=Count("id", filter=Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))),
            full_time=Count("id", filter=Q(is_full_time=True) & (Q(end_date__isnull=True) | Q(end_date__gte=today))),
        )
        cards += [
            {"label": _("Sitting deputies"), "value": deputies["sitting"], "url": "core:deputy_list"},
            {"label": _("Full-time deputies"), "value": deputies["full_time"], "url": "core:deputy_list"},
            {"label": _("Committees and delegate groups"),
             "value": Body.objects.filter(council=council, is_active=True).count(), "url": "core:body_list"},
            {"label": _("Agencies"), "value": Agency.objects.filter(council=council, is_active=True).count(),
             "url": "core:agency_list"},
        ]
    if access.has(council.id, "can_view_deadline"):
        from .deadlines import thresholds

        soon, _long = thresholds(council, today)  # the same "due soon" as the deadlines page
        deadlines = Deadline.objects.filter(council=council, state=Deadline.State.OPEN).aggregate(
            open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)),
            soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=soon))),
        )
        cards += [
            {"label": _("Open deadlines"), "value": deadlines["open"], "url": "notifications:council_deadlines"},
            {"label": _("Due soon"), "value": deadlines["soon"], "url": "notifications:council_deadlines"},
            {"label": _("Overdue"), "value": deadlines["overdue"], "alert": deadlines["overdue"] > 0,
             "url": "notifications:council_deadlines"},
        ]
    return cards


def dashboard_sections(council, access) -> list[dict]:
    """Cards grouped by the app that provides them: [{"title", "cards"}]."""
    from django.apps import apps

    own = core_cards(council, access)
    sections = [{"title": _("Council"), "cards": own}] if own else []
    for provider in CARD_PROVIDERS:
        cards = provider(council, access)
        if not cards:
            continue
        config = apps.get_containing_app_config(provider.__module__)
        sections.append({"title": config.verbose_name if config else "", "cards": cards})
    return sections


def upcoming_deadlines(council, limit: int = 10, only=None):
    """Open deadlines from today on, soonest first (`only`: a Q limiting them to the user's own)."""
    qs = Deadline.objects.filter(only) if only is not None else Deadline.objects.all()
    return (
        qs.filter(council=council, state=Deadline.State.OPEN, due_date__gte=timezone.localdate())
        .select_related("responsible_agency", "content_type")
        .order_by("due_date")[:limit]
    )


def recent_overdue(council, limit: int = 10, only=None):
    """Overdue open deadlines, the most recently missed first."""
    qs = Deadline.objects.filter(only) if only is not None else Deadline.objects.all()
    return (
        qs.filter(council=council, state=Deadline.State.OPEN, due_date__lt=timezone.localdate())
        .select_related("responsible_agency", "content_type")
        .order_by("-due_date")[:limit]
    )


def dashboard_cards(council, access) -> list[dict]:
    """Every card, flattened (the home page shows them grouped, see dashboard_sections)."""
    return [card for section in dashboard_sections(council, access) for card in section["cards"]]
