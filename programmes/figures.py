"""The figures a briefing puts on the table, computed by the portal rather than retyped: one row
per council taking part and one per level, with exactly the functions the summary reports use
(hdnd_portal.reports.sections: by_council for the table per council, each app's section for
the breakdown of oversight activities by kind), so a briefing and the report of the same
councils and period always agree."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from hdnd_portal.core.models import Council
from hdnd_portal.reports.sections import by_council, plain, section_functions


def briefing_figures(council: Council, participant_ids: list[int], start: date, end: date) -> dict:
    ids = [council.id, *[i for i in participant_ids if i != council.id]]
    table = by_council(ids, start, end)
    keys = [c["key"] for c in table["columns"]]
    own_row = next((r for r in table["rows"] if r["council_id"] == council.id), None)
    below_rows = [r for r in table["rows"] if r["council_id"] != council.id]
    levels = [{"label": council.name, "council_count": 1, **{k: (own_row or {}).get(k, 0) for k in keys}}]
    if below_rows:
        levels.append({
            "label": _("Councils below taking part (%(n)s)") % {"n": len(below_rows)},
            "council_count": len(below_rows),
            **{k: sum(r[k] for r in below_rows) for k in keys},
        })
    oversight_by_kind = []
    oversight = section_functions().get("oversight")
    if oversight is not None:
        for label, level_ids in ((council.name, [council.id]), (_("Councils below"), [r["council_id"] for r in below_rows])):
            if not level_ids:
                continue
            activities = oversight(level_ids, start, end)["activities"]
            oversight_by_kind.append({"label": label, "total": activities["total"], "by_kind": activities["by_kind"]})
    return plain({
        "period": {"start": start, "end": end},
        "columns": table["columns"],
        "rows": [{**r, "is_convening": r["council_id"] == council.id} for r in
                 ([own_row] if own_row else []) + below_rows],
        "levels": levels,
        "totals": table["totals"],
        "oversight_by_kind": oversight_by_kind,
    })
