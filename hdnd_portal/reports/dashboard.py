"""The leaders' dashboard for the current council (optionally with the councils below): the cards
and charts each app registers (hdnd_portal.core.report_registry) — sessions and resolutions by
quarter, petitions by status and field, overdue recommendations and letters by agency, reception
figures — one grouped query per chart, rendered as server-side SVG."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from hdnd_portal.core.report_registry import report_parts


def dashboard_data(council_ids: list[int], year: int, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    data: dict = {"year": year, "charts": [], "cards": []}
    for part in report_parts():
        if part.dashboard is not None:
            contribution = part.dashboard(council_ids, start, end, today)
            data["cards"] += contribution.get("cards", [])
            data["charts"] += contribution.get("charts", [])
    return data
