"""The leaders' dashboard for the current council (optionally with the councils below): sessions
and resolutions by quarter, petitions by status and field, overdue recommendations and letters
by agency, reception figures — one grouped query per chart, rendered as server-side SVG."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts
from .sections import section_functions

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]


def _by_quarter(qs, date_field: str, **aggregates) -> dict[str, list[int]]:
    rows = qs.annotate(q=ExtractQuarter(date_field)).values("q").annotate(**aggregates).order_by("q")
    series = {name: [0, 0, 0, 0] for name in aggregates}
    for row in rows:
        for name in aggregates:
            series[name][row["q"] - 1] = row[name] or 0
    return series


def dashboard_data(council_ids: list[int], year: int, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    apps = section_functions()
    data: dict = {"year": year, "charts": [], "cards": []}

    if "sessions" in apps:
        from sessions.models import CouncilSession, Resolution

        sessions = _by_quarter(
            CouncilSession.objects.filter(
                council_id__in=council_ids, planned_start__range=(start, end), status=CouncilSession.Status.CLOSED
            ),
            "planned_start",
            n=Count("id"),
        )["n"]
        resolutions = _by_quarter(
            Resolution.objects.filter(council_id__in=council_ids, adopted_on__range=(start, end)),
            "adopted_on",
            n=Count("id"),
        )["n"]
        data["cards"] += [(_("Sessions held"), sum(sessions)), (_("Resolutions adopted"), sum(resolutions))]
        data["charts"].append(
            {
                "title": _("Sessions and resolutions by quarter"),
                "svg": charts.grouped_bars(QUARTERS, [(_("Sessions held"), sessions), (_("Resolutions"), resolutions)]),
                "rows": [(q, s, r) for q, s, r in zip(QUARTERS, sessions, resolutions, strict=True)],
                "headers": [_("Quarter"), _("Sessions held"), _("Resolutions")],
            }
        )
    if "voters" in apps:
        from voters.models import Petition

        petitions = Petition.objects.filter(council_id__in=council_ids, received_on__range=(start, end)).exclude(
            status=Petition.Status.MERGED
        )
        labels = dict(Petition.Status.choices)
        by_status = [
            (str(labels.get(r["status"], r["status"])), r["n"])
            for r in petitions.values("status").annotate(n=Count("id")).order_by("-n")
        ]
        by_field = [
            (r["field__name"] or _("Not classified"), r["n"])
            for r in petitions.values("field__name").annotate(n=Count("id")).order_by("-n")[:12]
        ]
        data["cards"].append((_("Petitions and opinions received"), sum(n for _l, n in by_status)))
        data["charts"].append(
            {
                "title": _("Petitions by status"),
                "svg": charts.hbar(by_status, color=charts.PALETTE[2]),
                "rows": by_status,
                "headers": [_("Status"), _("Petitions")],
            }
        )
        data["charts"].append(
            {
                "title": _("Petitions by field"),
                "svg": charts.hbar(by_field, color=charts.PALETTE[3]),
                "rows": by_field,
                "headers": [_("Field"), _("Petitions")],
            }
        )
    if "oversight" in apps:
        from oversight.models import Recommendation
        from oversight.queries import overdue_q

        overdue = [
            (r["agency__name"] or "—", r["n"])
            for r in Recommendation.objects.filter(council_id__in=council_ids)
            .filter(overdue_q(today))
            .values("agency__name")
            .annotate(n=Count("id"))
            .order_by("-n", "agency__name")[:12]
        ]
        data["cards"].append((_("Overdue recommendations"), sum(n for _l, n in overdue)))
        data["charts"].append(
            {
                "title": _("Overdue recommendations by agency"),
                "svg": charts.hbar(overdue, color=charts.PALETTE[1]),
                "rows": overdue,
                "headers": [_("Agency"), _("Overdue")],
            }
        )
    if "citizens" in apps:
        from django.contrib.contenttypes.models import ContentType

        from citizens.models import Letter, ReceptionDay, Visit
        from hdnd_portal.core.models import Deadline

        overdue_letters = [
            (r["responsible_agency__name"] or _("Council office"), r["n"])
            for r in Deadline.objects.filter(
                council_id__in=council_ids,
                content_type=ContentType.objects.get_for_model(Letter),
                state=Deadline.State.OPEN,
                due_date__lt=today,
            )
            .values("responsible_agency__name")
            .annotate(n=Count("object_id", distinct=True))
            .order_by("-n", "responsible_agency__name")[:12]
        ]
        visits = _by_quarter(
            Visit.objects.filter(council_id__in=council_ids, date__range=(start, end)),
            "date",
            visits=Count("id"),
            citizens=Sum("citizen_count"),
        )
        days = ReceptionDay.objects.filter(council_id__in=council_ids, date__range=(start, end)).aggregate(
            held=Count("id", filter=~Q(status=ReceptionDay.Status.CANCELLED))
        )["held"]
        data["cards"] += [
            (_("Reception days"), days),
            (_("Visits"), sum(visits["visits"])),
            (_("Overdue letters"), sum(n for _l, n in overdue_letters)),
        ]
        data["charts"].append(
            {
                "title": _("Overdue letters by agency"),
                "svg": charts.hbar(overdue_letters, color=charts.PALETTE[4]),
                "rows": overdue_letters,
                "headers": [_("Agency"), _("Overdue")],
            }
        )
        data["charts"].append(
            {
                "title": _("Reception by quarter"),
                "svg": charts.grouped_bars(
                    QUARTERS, [(_("Visits"), visits["visits"]), (_("Citizens received"), visits["citizens"])]
                ),
                "rows": [(q, v, c) for q, v, c in zip(QUARTERS, visits["visits"], visits["citizens"], strict=True)],
                "headers": [_("Quarter"), _("Visits"), _("Citizens received")],
            }
        )
    return data
