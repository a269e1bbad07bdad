"""Home dashboard. Core figures here; each app adds its cards with register_cards() in its
AppConfig.ready().

A provider is a function (council, access, figures) -> callable returning a list of
{"label", "value", "url"?, "alert"?} dicts: it asks `figures` for the aggregates it needs
(figures.aggregate / count / first) and returns a function that builds its cards once they are read.
Every provider's figures are read together in ONE SQL statement, so the home page costs the same
few queries whatever the number of apps and rows. An older provider (council, access) -> list,
computing its own figures with its own queries, still works (each of its queries is one more on
the home page)."""

import inspect
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agency, Body, Deadline, Deputy

CARD_PROVIDERS: list[tuple[Callable, bool]] = []


def register_cards(provider: Callable) -> None:
    batched = len(inspect.signature(provider).parameters) >= 3
    CARD_PROVIDERS.append((provider, batched))


class Figure:
    """One part of the batch; read its values (figure["name"]) once Figures.run() has run."""

    def __init__(self, figures: "Figures", index: int):
        self._figures, self._index = figures, index

    def __getitem__(self, name: str):
        return self._figures.value(self._index, name)


class Figures:
    """The home page's figures: aggregates (and single values) of any querysets, gathered from
    every card provider and read with one statement, SELECT (SELECT row_to_json(…) FROM (q1)),
    (SELECT row_to_json(…) FROM (q2)), … Each part is the queryset's own SQL, so every filter
    (permissions included) is the provider's."""

    def __init__(self, using: str = "default"):
        self.using = using
        self._parts: list[tuple[str, tuple, dict, Callable]] = []
        self._rows: list | None = None

    def _add(self, queryset, defaults: dict, convert: Callable) -> Figure:
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            # A queryset that can match nothing (qs.none(), an empty __in): no row, its defaults.
            sql, params = "SELECT 1 WHERE FALSE", ()
        self._parts.append((sql, params, defaults, convert))
        return Figure(self, len(self._parts) - 1)

    def aggregate(self, queryset, **aggregates) -> Figure:
        """Like queryset.aggregate(**aggregates), read later: figure["name"]."""
        query = queryset.order_by().values(_one=Value(1)).annotate(**aggregates).values(*aggregates)
        # An aggregate over no rows: Count gives 0, the others None (as QuerySet.aggregate).
        defaults = {name: getattr(agg, "empty_result_set_value", None) for name, agg in aggregates.items()}
        return self._add(query, defaults, lambda name, value: value)

    def count(self, queryset) -> Figure:
        """queryset.count(), read later: figure["count"]."""
        return self.aggregate(queryset, count=Count("pk"))

    def first(self, queryset, field: str) -> Figure:
        """The first row's `field` in the queryset's order (None if no row): figure[field]."""
        model_field = queryset.model._meta.get_field(field)
        return self._add(queryset.values(field)[:1], {field: None},
                         lambda name, value: None if value is None else model_field.to_python(value))

    def run(self) -> None:
        if self._rows is not None:
            return
        if not self._parts:
            self._rows = []
            return
        sql = "SELECT " + ", ".join(f"(SELECT row_to_json(t) FROM ({part}) t)" for part, *_rest in self._parts)
        params = [p for _sql, part_params, *_rest in self._parts for p in part_params]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            self._rows = list(cursor.fetchone())

    def value(self, index: int, name: str):
        if self._rows is None:
            raise RuntimeError("Figures.run() has not run yet")
        _sql, _params, defaults, convert = self._parts[index]
        row = self._rows[index]
        return convert(name, row[name]) if row is not None else defaults[name]


def core_cards(council, access, figures: Figures):
    """The council's own figures, each only for those who may see what it counts (an agency
    responder or a deputy does not read the council-wide deadline counts)."""
    today = timezone.localdate()
    directory = deadlines = None
    soon = 0
    if access.has(council.id, "can_view_directory"):
        deputies = figures.aggregate(
            Deputy.objects.filter(council=council),
            sitting=Count("id", filter=Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))),
            full_time=Count("id", filter=Q(is_full_time=True) & (Q(end_date__isnull=True) | Q(end_date__gte=today))),
        )
        bodies = figures.count(Body.objects.filter(council=council, is_active=True))
        agencies = figures.count(Agency.objects.filter(council=council, is_active=True))
        directory = deputies, bodies, agencies
    if access.has(council.id, "can_view_deadline"):
        from .deadlines import thresholds

        soon, _long = thresholds(council, today)  # the same "due soon" as the deadlines page
        deadlines = figures.aggregate(
            Deadline.objects.filter(council=council, state=Deadline.State.OPEN),
            open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)),
            soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=soon))),
        )

    def cards() -> list[dict]:
        result = []
        if directory:
            deputies, bodies, agencies = directory
            result += [
                {"label": _("Sitting deputies"), "value": deputies["sitting"], "url": "core:deputy_list"},
                {"label": _("Full-time deputies"), "value": deputies["full_time"], "url": "core:deputy_list"},
                {"label": _("Committees and delegate groups"), "value": bodies["count"], "url": "core:body_list"},
                {"label": _("Agencies"), "value": agencies["count"], "url": "core:agency_list"},
            ]
        if deadlines:
            result += [
                {"label": _("Open deadlines"), "value": deadlines["open"], "url": "notifications:council_deadlines"},
                {"label": _("Due soon"), "value": deadlines["soon"], "url": "notifications:council_deadlines"},
                {"label": _("Overdue"), "value": deadlines["overdue"], "alert": deadlines["overdue"] > 0,
                 "url": "notifications:council_deadlines"},
            ]
        return result

    return cards


def dashboard_sections(council, access) -> list[dict]:
    """Cards grouped by the app that provides them: [{"title", "cards"}]. The batched providers'
    figures are read in one statement, after every provider has asked for its own."""
    from django.apps import apps

    figures = Figures()
    pending = [(None, core_cards(council, access, figures))]
    for provider, batched in CARD_PROVIDERS:
        pending.append((provider, provider(council, access, figures) if batched else provider(council, access)))
    figures.run()
    sections = []
    for provider, result in pending:
        cards = result() if callable(result) else result
        if not cards:
            continue
        if provider is None:
            title = _("Council")
        else:
            config = apps.get_containing_app_config(provider.__module__)
            title = config.verbose_name if config else ""
        sections.append({"title": title, "cards": cards})
    return sections


def home_deadlines(council, limit: int = 10, only=None) -> tuple[list, list]:
    """(upcoming, overdue) for the home page, read in one query (a UNION of the two lists)."""
    today = timezone.localdate()
    both = list(upcoming_deadlines(council, limit, only).union(recent_overdue(council, limit, only), all=True))
    upcoming = sorted((d for d in both if d.due_date >= today), key=lambda d: (d.due_date, d.pk))
    overdue = sorted((d for d in both if d.due_date < today), key=lambda d: (d.due_date, d.pk), reverse=True)
    return upcoming, overdue


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
