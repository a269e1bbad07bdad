"""The document model shared by the three renderers (PDF, Excel, Word): the heading, the
numbered sections with their narrative, figure rows, tables and charts, the table per commune,
the signature block and the recipients — so the three files always carry the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from . import charts
from .narrative import ROMAN, report_levels
from .present import SECTION_TITLES, Table, figure_rows, flatten

TABLE_ROW_LIMIT = 15
CHART_KEYS = {
    "sessions_by_kind",
    "resolutions_by_field",
    "activities.by_kind",
    "by_field",
    "letters_by_kind",
    "letters_by_field",
    "recommendations.by_agency",
    "overdue_by_agency",
}
CHART_FONT = "Report Serif, serif"


@dataclass
class DocSection:
    number: str
    key: str
    heading: str
    text: str
    rows: list[dict]
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, svg)


@dataclass
class Document:
    issuer_lines: list[str]
    number: str
    place: str
    issued_on: date
    kind_title: str
    title: str
    intro: str
    sections: list[DocSection]
    has_below: bool
    below_count: int
    columns: list[str]  # the headings of a figure row's values (after the indicator)
    annexes: list[dict]  # per level below: {"title", "count", "table"} (the table per council)
    direction: dict | None
    signer_prefix: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    council_name: str = ""
    has_previous: bool = False  # the last value of a figure row is the change against a year earlier

    @property
    def direction_number(self) -> str:
        return _roman(len(self.sections) + 1)

    @property
    def date_line(self) -> str:
        d = self.issued_on
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _roman(index: int) -> str:
    return ROMAN[index - 1] if 0 < index <= len(ROMAN) else str(index)


def _chart_for(table: Table) -> str:
    value_key = next((k for k, _l in table.columns if k in ("count", "made", "n")), None)
    if value_key is None or not any(k == "label" or k == "agency" for k, _l in table.columns):
        return ""
    label_key = "label" if any(k == "label" for k, _l in table.columns) else "agency"
    items = [(r.get(label_key) or "—", r.get(value_key) or 0) for r in table.rows[:10]]
    if len([v for _l, v in items if v]) < 2:
        return ""  # one bar says nothing the table does not
    return charts.hbar(items, width=600, bar_height=18, label_width=230, font=CHART_FONT, font_size=13)


def build_document(report, *, with_charts: bool = True) -> Document:
    figures = report.figures or {}
    council = report.council
    narrative = {b.get("key"): b for b in (report.narrative or [])}
    levels = report_levels(figures)
    previous = figures.get("previous")
    sections: list[DocSection] = []
    for index, key in enumerate(figures.get("sections", [])):
        own = figures.get("own", {}).get(key) or {}
        level_sections = [(level["sections"] or {}).get(key) for level in levels]
        previous_section = _previous_total(previous, key, bool(levels)) if previous else None
        flat = flatten(own)
        tables = [t for t in flat.tables]
        for table in tables:
            table.rows = table.rows[:TABLE_ROW_LIMIT]
        chart_list = []
        if with_charts:
            for table in tables:
                if table.key in CHART_KEYS:
                    svg = _chart_for(table)
                    if svg:
                        chart_list.append((table.title, svg))
        block = narrative.get(key, {})
        sections.append(
            DocSection(
                number=_roman(index + 1),
                key=key,
                heading=block.get("heading") or str(SECTION_TITLES.get(key, own.get("title", key))),
                text=block.get("text", ""),
                rows=figure_rows(own, level_sections, previous_section if previous else None),
                tables=tables,
                charts=chart_list[:2],
            )
        )
    recipients = [line.strip() for line in (report.recipients or "").splitlines() if line.strip()]
    return Document(
        issuer_lines=["HỘI ĐỒNG NHÂN DÂN", council.heading_name],
        number=report.number,
        place=council.place_name or council.name,
        issued_on=report.issued_on,
        kind_title="BÁO CÁO",
        title=report.title,
        intro=narrative.get("intro", {}).get("text", ""),
        sections=sections,
        has_below=bool(levels),
        below_count=figures.get("below_count") or 0,
        columns=column_labels(levels, previous),
        has_previous=bool(previous),
        annexes=[
            {"title": level["title"], "count": level["count"], "table": level["by_council"]}
            for level in levels
            if level.get("by_council")
        ],
        direction=narrative.get("direction"),
        signer_prefix="TM. HỘI ĐỒNG NHÂN DÂN",
        signer_title=report.signer_title or "CHỦ TỊCH",
        signer_name=report.signer_name,
        recipients=recipients or default_recipients(council),
        council_name=council.name,
    )


def default_recipients(council) -> list[str]:
    parent = council.parent.name if council.parent_id else None
    lines = ["Thường trực HĐND " + (parent or council.name)] if parent else []
    lines += [
        "Thường trực Thành ủy/Tỉnh ủy" if not parent else "Thường trực Đảng ủy",
        "UBND, Ủy ban MTTQ cùng cấp",
        "Các Ban của HĐND",
        "Các đại biểu HĐND",
        "Lưu: VT.",
    ]
    return lines


def _previous_total(previous: dict, key: str, with_below: bool) -> dict | None:
    """The previous year's figures of a section for the total column: own, plus below when the
    report has levels (summed figure by figure; rates dropped)."""
    own = (previous.get("own") or {}).get(key)
    below = (previous.get("below") or {}).get(key) if with_below else None
    if not with_below or not below:
        return own
    return _sum_sections(own or {}, below)


def _sum_sections(a: dict, b: dict) -> dict:
    out: dict = {}
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if isinstance(x, dict) or isinstance(y, dict):
            out[k] = _sum_sections(x if isinstance(x, dict) else {}, y if isinstance(y, dict) else {})
        elif isinstance(x, int) and isinstance(y, int) and not isinstance(x, bool):
            out[k] = x + y
        elif isinstance(x, int) and y is None and not isinstance(x, bool):
            out[k] = x
        elif isinstance(y, int) and x is None and not isinstance(y, bool):
            out[k] = y
    return out


def column_labels(levels: list[dict], previous: dict | None) -> list[str]:
    """Headings of the figure columns: this council, each level below and the total, then the same
    period a year earlier and the change."""
    columns = [_("This council")] if levels else [_("Figure")]
    if levels:
        columns += [level["title"] for level in levels] + [_("Total")]
    if previous:
        start = previous.get("period", {}).get("start", "")
        end = previous.get("period", {}).get("end", "")
        if start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]:
            earlier = _("Year %(year)s") % {"year": start[:4]}  # a calendar year: "Năm 2024"
        else:
            earlier = _("Same period a year earlier") + (f" ({_short(start)}–{_short(end)})" if start else "")
        columns += [earlier, _("Change")]
    return columns


def _short(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
