"""manage.py benchmark_compare — two or more `benchmark --json` files side by side (see the
README's "Benchmark" section): per case, p50 / p95 / queries in each file and each file's p50
divided by the first file's. Typical use, the cost at 1× and 4× the city, with a second 1× run to
show the machine's noise:

    manage.py benchmark_compare /tmp/scale-1x.json /tmp/scale-4x.json /tmp/scale-1x-again.json
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand, CommandError


def _label(number: int, data: dict, path: str) -> str:
    provinces = data.get("provinces") or int((data.get("dataset") or {}).get("provinces", "1"))
    return f"#{number} {provinces}× ({data.get('database') or path})"


def _cell(timing: dict | None) -> str:
    if not timing:
        return "—"
    queries = timing.get("queries")
    return f"{timing['p50']:.1f} / {timing['p95']:.1f} / {queries if queries is not None else '—'}"


def compare_table(files: list[tuple[str, dict]]) -> str:
    """A Markdown table: one row per case of the first file (then the cases only later files have),
    one column per file (p50 / p95 / queries, ms), and p50 ÷ the first file's p50 for each other file."""
    labels = [_label(i, data, path) for i, (path, data) in enumerate(files, start=1)]
    by_name = [{r["name"]: r for r in data["results"]} for _path, data in files]
    names = list(by_name[0])
    for results in by_name[1:]:
        names += [n for n in results if n not in names]
    head = ["case", *[f"{label}: p50 / p95 / queries" for label in labels]]
    head += [f"p50 #{i} ÷ #1" for i in range(2, len(files) + 1)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        rows = [results.get(name) for results in by_name]
        cells = [name, *[_cell(r["portal"] if r else None) for r in rows]]
        base = rows[0]["portal"]["p50"] if rows[0] else None
        for r in rows[1:]:
            cells.append(f"{r['portal']['p50'] / base:.2f}" if r and base else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rows_table(files: list[tuple[str, dict]]) -> str:
    """The datasets' sizes, one column per file."""
    labels = [_label(i, data, path) for i, (path, data) in enumerate(files, start=1)]
    keys = []
    for _path, data in files:
        keys += [k for k in data.get("rows", {}) if k not in keys]
    lines = ["| rows | " + " | ".join(labels) + " |", "|" + "---|" * (len(labels) + 1)]
    for key in keys:
        values = [data.get("rows", {}).get(key) for _path, data in files]
        lines.append(f"| {key} | " + " | ".join(f"{v:,}".replace(",", ".") if v is not None else "—" for v in values)
                     + " |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Print two or more `benchmark --json` files side by side: per case p50 / p95 / queries in each, and "
        "each file's p50 divided by the first file's (Markdown)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="benchmark JSON files; the first is the reference")
        parser.add_argument("--out", help="also write the tables to this Markdown file")

    def handle(self, *args, files, out=None, **options):
        if len(files) < 2:
            raise CommandError("Give at least two benchmark JSON files.")
        loaded = []
        for path in files:
            try:
                with open(path, encoding="utf-8") as handle:
                    loaded.append((path, json.load(handle)))
            except (OSError, ValueError) as error:
                raise CommandError(f"{path}: {error}")
        text = rows_table(loaded) + "\n\n" + compare_table(loaded) + "\n\nTimes in ms (p50 / p95 over the runs).\n"
        self.stdout.write(text)
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(f"written {out}")
