"""Where each app registers what it contributes to the reports and the leaders' dashboard.

The report module (hdnd_portal.reports) assembles and prints; it imports no domain model. Each
app declares, in its AppConfig.ready(), one `ReportPart`:

- `section(council_ids, start, end) -> dict`: the app's figures for a period, over the councils
  given together (a few grouped SQL queries whatever the number of rows or councils);
- `council_figures() -> [(key, label, fn)]`, each `fn(council_ids, start, end) -> {council_id:
  value}` one query grouped by council: the columns of the table per council (the same definition
  as in the section, so the column sums equal the section's totals);
- `dashboard(council_ids, start, end, today) -> {"cards": [(label, value)], "charts": [...]}`:
  the app's cards and charts on the leaders' dashboard.

Parts are listed in `order` (then registration order), which is also their order in a report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportPart:
    name: str
    section: Callable
    order: int = 100
    council_figures: Callable | None = None
    dashboard: Callable | None = None


_PARTS: dict[str, ReportPart] = {}


def register_report_part(part: ReportPart) -> None:
    _PARTS[part.name] = part


def report_parts() -> list[ReportPart]:
    return sorted(_PARTS.values(), key=lambda p: p.order)
