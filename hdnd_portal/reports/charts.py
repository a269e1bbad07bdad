"""Small server-side SVG charts (no JavaScript, no network): horizontal bars for a breakdown and
grouped vertical bars for figures by quarter. Used both on the dashboard and inside the PDF."""

from __future__ import annotations

from django.db.models.functions import ExtractQuarter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]


def by_quarter(qs, date_field: str, **aggregates) -> dict[str, list[int]]:
    """Each aggregate as four values, one per quarter of the date field (one grouped query)."""
    rows = qs.annotate(q=ExtractQuarter(date_field)).values("q").annotate(**aggregates).order_by("q")
    series = {name: [0, 0, 0, 0] for name in aggregates}
    for row in rows:
        for name in aggregates:
            series[name][row["q"] - 1] = row[name] or 0
    return series


PALETTE = ["#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6"]


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")  # Vietnamese decimal comma
    return f"{int(value):,}".replace(",", ".")


def hbar(
    items: list[tuple[str, float]],
    width: int = 520,
    bar_height: int = 16,
    label_width: int = 190,
    color: str = PALETTE[0],
    font: str = "inherit",
    font_size: int = 11,
) -> SafeString:
    """Horizontal bars, one per (label, value); the longest bar fills the width."""
    items = [(str(label), value or 0) for label, value in items]
    if not items:
        return mark_safe("")
    top = max(v for _l, v in items) or 1
    gap = 6
    height = len(items) * (bar_height + gap) + gap
    room = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="{escape(font)}" font-size="{font_size}" style="max-width:100%;height:auto">'
        # the chart's text alternative (what a screen reader says): every bar with its value
        f"<title>{escape('; '.join(f'{label}: {_fmt(value)}' for label, value in items))}</title>"
    ]
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = max(1, room * value / top) if value else 0
        limit = max(12, int(label_width / (font_size * 0.65)))
        short = label if len(label) <= limit else label[: limit - 1] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _series_text(categories: list[str], series: list[tuple[str, list[float]]]) -> str:
    """The text alternative of grouped bars: each series with its value per category."""
    return "; ".join(
        f"{name}: " + ", ".join(f"{c} {_fmt(v or 0)}" for c, v in zip(categories, values, strict=False))
        for name, values in series
    )


def grouped_bars(
    categories: list[str],
    series: list[tuple[str, list[float]]],
    width: int = 520,
    height: int = 220,
    font: str = "inherit",
    font_size: int = 11,
) -> SafeString:
    """Vertical bars grouped by category (e.g. quarters), one colour per series, with a legend."""
    if not categories or not series:
        return mark_safe("")
    top = max((v or 0) for _n, values in series for v in values) or 1
    left, bottom, legend = 30, 24, 36  # the legend row plus room for the value above the tallest bar
    plot_h = height - bottom - legend - 4
    group_w = (width - left - 10) / len(categories)
    bar_w = max(4.0, (group_w - 12) / len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="{escape(font)}" font-size="{font_size}" style="max-width:100%;height:auto">',
        f"<title>{escape(_series_text(categories, series))}</title>",
        f'<line x1="{left}" y1="{legend + plot_h}" x2="{width - 10}" y2="{legend + plot_h}" stroke="#555"/>',
    ]
    for s_index, (name, _values) in enumerate(series):
        x = left + s_index * 150
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[s_index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="14">{escape(name)}</text>'
        )
    for c_index, category in enumerate(categories):
        gx = left + c_index * group_w + 6
        for s_index, (name, values) in enumerate(series):
            value = values[c_index] or 0
            h = plot_h * value / top
            x = gx + s_index * bar_w
            y = legend + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"><title>{escape(name)} {escape(category)}: {_fmt(value)}'
                f"</title></rect>"
            )
            if value:
                parts.append(
                    f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" '
                    f'font-size="{font_size - 1}">{_fmt(value)}</text>'
                )
        parts.append(
            f'<text x="{gx + group_w / 2 - 6:.1f}" y="{height - 6}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
