"""Assembling the figures of a report from the parts each app registers
(hdnd_portal.core.report_registry: its section, its figures per council, its dashboard).

The report only assembles: it imports no domain model. For a council with councils below it the
same sections are computed once more over all of them together (their totals) plus one grouped
query per figure for the table per council (GROUP BY council_id, never one query per council)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, connections
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hdnd_portal.core import reports as core_reports
from hdnd_portal.core.report_registry import report_parts

if TYPE_CHECKING:
    from hdnd_portal.core.models import Council

logger = logging.getLogger(__name__)

CORE = "core"

# Which sections each kind of report carries (None: every registered part, in its order).
SECTIONS_BY_KIND: dict[str, tuple[str, ...] | None] = {
    "annual": None,
    "six_month": None,
    "quarterly": None,
    "custom": None,
    "petitions": ("voters",),
    "oversight": ("oversight",),
    "citizens": ("citizens",),
}


def section_functions() -> dict[str, Callable]:
    """name → section function of every registered part, in report order."""
    return {part.name: part.section for part in report_parts()}


def core_section(council_ids: list[int], start: date, end: date) -> dict:
    return core_reports.section(council_ids, start, end)


_SCALARS = (str, int, float, bool, type(None))


def plain(value):
    """JSON-safe copy of a section: dates as ISO strings, lazy strings as text, tuples as lists."""
    kind = type(value)
    if kind in _SCALARS:  # most of a section's values: return them before the checks below
        return value
    if kind is dict:  # rows of thousands of plain values: skip the call for the scalars among them
        return {
            str(k): v if type(v) in _SCALARS else plain(v)  # noqa: E721 — exact types, not subclasses
            for k, v in value.items()
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


# --- Across levels: one grouped query per figure -------------------------------------------


def _council_figures() -> list[tuple[str, str, Callable]]:
    """(key, label, fn(ids, start, end) -> {council_id: value}) for the table per council, from
    every registered part that declares figures per council."""
    specs: list[tuple[str, str, Callable]] = []
    for part in report_parts():
        if part.council_figures is not None:
            specs += part.council_figures()
    return specs


def by_council(council_ids: list[int], start: date, end: date, only: tuple[str, ...] | None = None) -> dict:
    """The table per council: one row per council, one grouped query per column."""
    councils = core_reports.council_rows(council_ids)
    specs = [s for s in _council_figures() if only is None or s[0] in only]
    values = {key: fn(council_ids, start, end) for key, _label, fn in specs}
    rows = [
        {
            "council_id": c["id"],
            "council": c["name"],
            "code": c["code"],
            **{k: values[k].get(c["id"], 0) for k in values},
        }
        for c in councils
    ]
    totals = {k: sum(r[k] for r in rows) for k in values}
    return {"columns": [{"key": k, "label": str(label)} for k, label, _fn in specs], "rows": rows, "totals": totals}


# Columns of the table per commune that belong to each kind of report.
TABLE_COLUMNS_BY_KIND = {
    "petitions": ("voter_meetings", "petitions"),
    "oversight": ("oversight_activities", "recommendations"),
    "citizens": ("visits", "letters"),
}


# The levels below a council, in the order a report prints them, with the name of their councils.
LEVEL_TITLES = core_reports.LEVEL_TITLES


def one_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _sections(functions: dict, names: list[str], ids: list[int], start: date, end: date, step) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name in names:
        step(name)
        try:
            out[name] = plain(functions[name](ids, start, end))
        except Exception:  # one app's broken section must not sink the whole report
            logger.exception("report section %s failed", name)
            out[name] = {"title": name, "error": _("This section could not be computed.")}
    return out


def beside(work: Callable[[], dict]) -> Callable[[], dict]:
    """Start `work` in a thread of its own, with its own database connection, and return the
    function that waits for its result (or raises its error).

    The database works on both at once: the year before of a report is as much work as its
    period (half of the figures' 0.9 s on the scale dataset), and a query of one waits on
    PostgreSQL while the other builds its next one. Inside a transaction another connection would
    not see what it holds (nor the rows a test wrote), so there `work` runs when waited for, in
    this thread, as before."""
    if connection.in_atomic_block:
        return work
    language = translation.get_language()
    outcome: dict = {}

    def run() -> None:
        try:
            with translation.override(language):
                outcome["value"] = work()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error
        finally:
            connections.close_all()  # this thread's own; the caller's stay open

    thread = threading.Thread(target=run, name="report-figures", daemon=True)
    thread.start()

    def wait() -> dict:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return wait


def assemble(
    council: Council,
    kind: str,
    start: date,
    end: date,
    include_below: bool,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    """Every figure of a report, as JSON-safe data. `progress(percent, step)` is called as it goes.

    `own`: the council's own figures; `levels`: for each level below (historical district councils,
    commune councils) its totals and its table per council; `below`: every council below together
    (the same as the one level when there is only one); `previous`: the same figures one year
    earlier (own, and below together), for the change against the same period."""
    functions = section_functions()
    chosen = SECTIONS_BY_KIND.get(kind)
    wanted = [name for name in functions if chosen is None or name in chosen]
    levels_below = core_reports.councils_below(council.id, start, end) if include_below else {}
    prev_start, prev_end = one_year_earlier(start), one_year_earlier(end)
    prev_levels = core_reports.councils_below(council.id, prev_start, prev_end) if include_below else {}
    below_ids = [i for ids in levels_below.values() for i in ids]
    prev_below_ids = [i for ids in prev_levels.values() for i in ids]
    passes = 2 + len(levels_below) + (1 if len(levels_below) > 1 else 0) + (1 if prev_below_ids else 0)
    total_steps = max(len(wanted) * passes + len(levels_below), 1)
    done = [0]

    def step(label: str) -> None:
        if progress:
            progress(int(60 * done[0] / total_steps), label)
        done[0] += 1

    def previous_sections() -> dict:
        return {
            "own": _sections(functions, wanted, [council.id], prev_start, prev_end, step),
            "below": _sections(functions, wanted, prev_below_ids, prev_start, prev_end, step) if prev_below_ids else None,
        }

    previous_figures = beside(previous_sections)
    own = _sections(functions, wanted, [council.id], start, end, step)
    levels = []
    for level, ids in levels_below.items():
        sections = _sections(functions, wanted, ids, start, end, step)
        step("by_council")
        levels.append({
            "key": level,
            "title": str(LEVEL_TITLES[level]),
            "count": len(ids),
            "sections": sections,
            "by_council": plain(by_council(ids, start, end, only=TABLE_COLUMNS_BY_KIND.get(kind))),
        })
    if len(levels) > 1:
        below = _sections(functions, wanted, below_ids, start, end, step)
    else:
        below = levels[0]["sections"] if levels else None
    previous = {"period": {"start": prev_start.isoformat(), "end": prev_end.isoformat()}, **previous_figures()}
    return {
        "council": {"id": council.id, "name": council.name, "level": council.level},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "kind": kind,
        "sections": wanted,
        "own": own,
        "below": below,
        "below_count": len(below_ids),
        "levels": levels,
        # The table per council of the only level below (older reports kept one table).
        "by_council": levels[0]["by_council"] if len(levels) == 1 else None,
        "previous": previous,
    }
