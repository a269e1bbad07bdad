"""Assembling the figures of a report from each app's `reports.section(council_ids, start, end)`.

The report only assembles: every domain app contributes its own section (discovered by import,
an app without one is skipped), the core section (deputies, bodies) is here, and for a council
with councils below it the same sections are computed once more over all of them together
(their totals) plus one grouped query per figure for the table per commune (GROUP BY council_id,
never one query per commune)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd_portal.core.models import Body, Council, Deputy
from hdnd_portal.core.scoping import council_and_below

logger = logging.getLogger(__name__)

DOMAIN_APPS = ("sessions", "oversight", "voters", "citizens", "programmes")
CORE = "core"

# Which sections each kind of report carries, in document order.
ALL_SECTIONS = (CORE, *DOMAIN_APPS)
SECTIONS_BY_KIND = {
    "annual": ALL_SECTIONS,
    "six_month": ALL_SECTIONS,
    "quarterly": ALL_SECTIONS,
    "custom": ALL_SECTIONS,
    "petitions": ("voters",),
    "oversight": ("oversight",),
    "citizens": ("citizens",),
}


def core_section(council_ids: list[int], start: date, end: date) -> dict:
    """Deputies sitting at the end of the period, who joined or left during it, and the bodies."""
    sitting = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end))
    deputies = Deputy.objects.filter(council_id__in=council_ids).aggregate(
        sitting=Count("id", filter=sitting),
        full_time=Count("id", filter=sitting & Q(is_full_time=True)),
        female=Count("id", filter=sitting & Q(gender=Deputy.Gender.FEMALE)),
        joined=Count("id", filter=Q(start_date__range=(start, end))),
        left=Count("id", filter=Q(end_date__range=(start, end))),
    )
    kinds = dict(Body.Kind.choices)
    bodies = [
        {"key": r["kind"], "label": str(kinds.get(r["kind"], r["kind"])), "count": r["n"]}
        for r in Body.objects.filter(council_id__in=council_ids, is_active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    ]
    by_kind = {b["key"]: b["count"] for b in bodies}
    return {
        "title": _("Deputies and bodies"),
        "deputies": deputies,
        "committees": by_kind.get(Body.Kind.COMMITTEE, 0),
        "delegate_groups": by_kind.get(Body.Kind.GROUP, 0),
        "bodies_by_kind": bodies,
    }


def section_functions() -> dict[str, Callable]:
    """The section function of every app that has one (apps still without reports.py are skipped)."""
    found: dict[str, Callable] = {CORE: core_section}
    for app in DOMAIN_APPS:
        try:
            module = importlib.import_module(f"{app}.reports")
        except ModuleNotFoundError as error:
            if error.name in (app, f"{app}.reports"):
                continue
            raise
        if callable(getattr(module, "section", None)):
            found[app] = module.section
    return found


def plain(value):
    """JSON-safe copy of a section: dates as ISO strings, lazy strings as text, tuples as lists."""
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


def _grouped(qs, **aggregates) -> dict[int, dict]:
    return {row.pop("council_id"): row for row in qs.values("council_id").annotate(**aggregates).order_by()}


def _council_figures() -> list[tuple[str, str, Callable]]:
    """(key, label, fn(ids, start, end) -> {council_id: value}) for the table per council. Each
    definition is the same as in the app's own section, so the column sums equal its totals."""
    specs: list[tuple[str, str, Callable]] = []

    def deputies(ids, start, end):
        sitting = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end))
        rows = _grouped(Deputy.objects.filter(council_id__in=ids), n=Count("id", filter=sitting))
        return {k: v["n"] for k, v in rows.items()}

    specs.append(("deputies", _("Sitting deputies"), deputies))
    functions = section_functions()
    if "sessions" in functions:
        from sessions.models import CouncilSession, Resolution

        def sessions_held(ids, start, end):
            qs = CouncilSession.objects.filter(
                council_id__in=ids, planned_start__range=(start, end), status=CouncilSession.Status.CLOSED
            )
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        def resolutions(ids, start, end):
            qs = Resolution.objects.filter(council_id__in=ids, adopted_on__range=(start, end))
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        specs += [("sessions_held", _("Sessions held"), sessions_held), ("resolutions", _("Resolutions"), resolutions)]
    if "oversight" in functions:
        from oversight.models import OversightActivity, Recommendation

        def activities(ids, start, end):
            qs = OversightActivity.objects.filter(council_id__in=ids, start_date__range=(start, end)).exclude(
                status=OversightActivity.Status.CANCELLED
            )
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        def recommendations(ids, start, end):
            qs = Recommendation.objects.filter(council_id__in=ids, issued_on__range=(start, end))
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        specs += [
            ("oversight_activities", _("Oversight and survey activities"), activities),
            ("recommendations", _("Recommendations made"), recommendations),
        ]
    if "voters" in functions:
        from voters.models import Petition, VoterMeeting

        def meetings(ids, start, end):
            qs = VoterMeeting.objects.filter(council_id__in=ids, date__range=(start, end))
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        def petitions(ids, start, end):
            qs = Petition.objects.filter(council_id__in=ids, received_on__range=(start, end)).exclude(
                status=Petition.Status.MERGED
            )
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        specs += [
            ("voter_meetings", _("Voter meetings"), meetings),
            ("petitions", _("Petitions and opinions"), petitions),
        ]
    if "citizens" in functions:
        from citizens.models import Letter, Visit

        def visits(ids, start, end):
            qs = Visit.objects.filter(council_id__in=ids, date__range=(start, end))
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        def letters(ids, start, end):
            qs = Letter.objects.filter(council_id__in=ids, received_on__range=(start, end)).exclude(
                status=Letter.Status.SPLIT
            )
            return {k: v["n"] for k, v in _grouped(qs, n=Count("id")).items()}

        specs += [("visits", _("Reception visits"), visits), ("letters", _("Letters received"), letters)]
    return specs


def by_council(council_ids: list[int], start: date, end: date, only: tuple[str, ...] | None = None) -> dict:
    """The table per council: one row per council, one grouped query per column."""
    councils = list(Council.objects.filter(id__in=council_ids).order_by("name").values("id", "name", "code"))
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
LEVEL_TITLES = {
    Council.Level.DISTRICT: gettext_lazy("District-level councils"),
    Council.Level.COMMUNE: gettext_lazy("Commune-level councils"),
}


def councils_below(council: Council, start: date, end: date) -> dict[str, list[int]]:
    """level → ids of the councils below `council` that existed at some day of the period (a
    district dissolved on 30/6/2025 counts in a 2025 report, not in a 2026 one)."""
    existed = (Q(established_on__isnull=True) | Q(established_on__lte=end)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start)
    )
    ids = [i for i in council_and_below(council) if i != council.id]
    found: dict[str, list[int]] = {}
    for cid, level in Council.objects.filter(existed, id__in=ids).order_by("id").values_list("id", "level"):
        found.setdefault(level, []).append(cid)
    return {level: found[level] for level in LEVEL_TITLES if level in found}


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
    wanted = [name for name in SECTIONS_BY_KIND.get(kind, ALL_SECTIONS) if name in functions]
    levels_below = councils_below(council, start, end) if include_below else {}
    prev_start, prev_end = one_year_earlier(start), one_year_earlier(end)
    prev_levels = councils_below(council, prev_start, prev_end) if include_below else {}
    below_ids = [i for ids in levels_below.values() for i in ids]
    prev_below_ids = [i for ids in prev_levels.values() for i in ids]
    passes = 2 + len(levels_below) + (1 if len(levels_below) > 1 else 0) + (1 if prev_below_ids else 0)
    total_steps = max(len(wanted) * passes + len(levels_below), 1)
    done = [0]

    def step(label: str) -> None:
        if progress:
            progress(int(60 * done[0] / total_steps), label)
        done[0] += 1

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
    previous = {
        "period": {"start": prev_start.isoformat(), "end": prev_end.isoformat()},
        "own": _sections(functions, wanted, [council.id], prev_start, prev_end, step),
        "below": _sections(functions, wanted, prev_below_ids, prev_start, prev_end, step) if prev_below_ids else None,
    }
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
