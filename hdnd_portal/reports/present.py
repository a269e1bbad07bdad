"""Turning any section's figures into rows and tables, whatever its shape: a scalar becomes a
figure row, a nested dict a group of rows (labels joined), a list of dicts a table. Known keys
get a translated label; an unknown key is shown as itself, so a new figure in an app's section
appears in the report without a change here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Keys that are not figures: the section title, its period, an app's own summary rows, long lists.
SKIP_KEYS = {"title", "period", "rows", "error", "key", "resolution_list", "council_id", "id"}

L = gettext_lazy
LABELS = {
    # core
    "deputies": L("Deputies"),
    "sitting": L("sitting at the end of the period"),
    "full_time": L("full-time"),
    "female": L("women"),
    "joined": L("joined during the period"),
    "left": L("left during the period"),
    "committees": L("Committees"),
    "delegate_groups": L("Delegate groups"),
    "bodies_by_kind": L("Bodies by kind"),
    # sessions
    "sessions_planned": L("Sessions planned"),
    "sessions_held": L("Sessions held"),
    "sessions_paperless": L("Paperless sessions"),
    "councils_with_sessions": L("Councils that held sessions"),
    "sessions_by_kind": L("Sessions held by kind"),
    "resolutions": L("Resolutions adopted"),
    "resolutions_normative": L("Legal-normative resolutions"),
    "resolutions_individual": L("Individual resolutions"),
    "resolutions_published": L("Resolutions published"),
    "resolutions_implemented": L("Resolutions implemented"),
    "resolutions_by_kind": L("Resolutions by kind"),
    "resolutions_by_field": L("Resolutions by field"),
    "votes": L("Votes taken"),
    "votes_passed": L("Votes passed"),
    "votes_electronic": L("Electronic votes"),
    "votes_secret": L("Secret ballots"),
    "documents": L("Session documents"),
    "submissions": L("Submissions"),
    "reports": L("Reports considered"),
    "verification_reports": L("Verification reports"),
    "verifications": L("Verifications assigned"),
    "verifications_done": L("Verifications done"),
    "verifications_on_time": L("Verifications done on time"),
    "attendance_records": L("Attendance records"),
    "attendance_present": L("Present"),
    "attendance_excused": L("Absent with leave"),
    "attendance_absent": L("Absent without leave"),
    "attendance_rate": L("Attendance rate (%)"),
    # oversight
    "activities": L("Oversight and survey activities"),
    "total": L("total"),
    "concluded": L("concluded"),
    "by_kind": L("by kind"),
    "recommendations": L("Recommendations"),
    "made": L("made"),
    "done": L("done"),
    "accepted": L("accepted as done"),
    "partly": L("partly done"),
    "overdue": L("overdue"),
    "follow_up": L("needing follow-up"),
    "by_agency": L("by agency"),
    "agency": L("Agency"),
    "questioning": L("Questioning"),
    "sessions": L("sessions"),
    "people_questioned": L("people questioned"),
    "questions": L("questions"),
    "written": L("answered in writing"),
    "requestioning": L("questioned again"),
    "explanation_sessions": L("Explanation sessions"),
    "commitments": L("Commitments"),
    "fulfilled": L("fulfilled"),
    "late": L("late"),
    "unfulfilled": L("not or partly fulfilled"),
    "confidence": L("Confidence votes"),
    "subjects": L("people rated"),
    "may_resign": L("more than half rating low"),
    "formal_vote": L("formal vote required"),
    # voters
    "meetings": L("Voter meetings"),
    "count": L("number"),
    "voters": L("voters attending"),
    "before": L("before a session"),
    "after": L("after a session"),
    "thematic": L("thematic"),
    "petitions": L("Petitions and opinions received"),
    "received": L("received"),
    "opinions": L("opinions"),
    "urgent": L("urgent"),
    "flow": L("Petition handling"),
    "forwarded": L("forwarded"),
    "answered": L("answered"),
    "resolved": L("resolved"),
    "in_progress": L("being resolved"),
    "explained": L("explained"),
    "not_competent": L("not within competence"),
    "on_time": L("answered on time"),
    "overdue_at_end": L("overdue at the end of the period"),
    "carried_over": L("carried over"),
    "satisfactory": L("evaluated satisfactory"),
    "unsatisfactory": L("evaluated not satisfactory"),
    "resolution_rate": L("Resolution rate (%)"),
    "answer_rate": L("Answer rate (%)"),
    "by_field": L("by field"),
    "by_committee": L("by committee"),
    "by_level": L("by competence level"),
    "by_locality": L("by locality"),
    # citizens
    "reception_days": L("Reception days held"),
    "reception_days_cancelled": L("Reception days cancelled"),
    "visits": L("Visits (lượt)"),
    "citizens": L("Citizens received"),
    "group_visits": L("Group visits"),
    "cases": L("Cases"),
    "visits_answered": L("Visits answered"),
    "letters": L("Letters"),
    "duplicates": L("duplicates"),
    "not_eligible": L("not eligible"),
    "multi_signer": L("multi-signer"),
    "anonymous": L("anonymous"),
    "pending": L("awaiting a decision"),
    "letters_by_kind": L("Letters by kind"),
    "letters_by_field": L("Letters by field"),
    "letters_by_channel": L("Letters by channel"),
    "letters_by_outcome": L("Letters by outcome"),
    "overdue_by_agency": L("Overdue letters by agency"),
    "overdue_total": L("Overdue letters"),
    # table columns
    "label": L("Item"),
    "council": L("Council"),
    "code": L("Code"),
}

SECTION_TITLES = {
    "core": L("Deputies and bodies"),
    "sessions": L("Sessions and resolutions"),
    "oversight": L("Oversight, questioning and explanation"),
    "voters": L("Voter meetings and petitions"),
    "citizens": L("Citizen reception and letters"),
}


def label(key: str) -> str:
    if key in LABELS:
        return str(LABELS[key])
    return key.replace("_", " ").capitalize()


def vn_number(value) -> str:
    """A figure as Vietnamese documents write it: 4.034; counts below ten zero-padded (04)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if isinstance(value, int):
        if 0 < value < 10:
            return f"{value:02d}"
        return f"{value:,}".replace(",", ".")
    return str(value)


@dataclass
class Table:
    title: str
    key: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict]
    chart: bool = False

    def cells(self) -> list[list]:
        return [[row.get(k) for k, _l in self.columns] for row in self.rows]


@dataclass
class Flat:
    figures: list[tuple[str, str, object]] = field(default_factory=list)  # (path, label, value)
    tables: list[Table] = field(default_factory=list)


def flatten(section: dict | None, prefix: str = "", label_prefix: str = "", out: Flat | None = None) -> Flat:
    out = out if out is not None else Flat()
    if not section:
        return out
    for key, value in section.items():
        if key in SKIP_KEYS:
            continue
        path = f"{prefix}{key}"
        text = f"{label_prefix}{label(key)}" if not label_prefix else f"{label_prefix} — {label(key)}"
        if isinstance(value, dict):
            flatten(value, f"{path}.", text, out)
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) for v in value):
                keys: list[str] = []
                for row in value:
                    for k in row:
                        if k not in keys and k not in SKIP_KEYS:
                            keys.append(k)
                columns = [(k, label(k)) for k in keys]
                numeric = [k for k in keys if all(isinstance(r.get(k), (int, float)) for r in value)]
                out.tables.append(
                    Table(title=text, key=path, columns=columns, rows=value, chart=bool(numeric) and "label" in keys)
                )
        elif isinstance(value, (int, float)) or value is None or isinstance(value, str):
            out.figures.append((path, text, value))
    return out


def figure_rows(own: dict | None, below: dict | None) -> list[dict]:
    """Rows joining the council's own figure and the councils below for the same path."""
    own_flat = flatten(own).figures
    below_map = {p: v for p, _l, v in flatten(below).figures} if below is not None else {}
    rows = []
    for path, text, value in own_flat:
        row = {"path": path, "label": text, "own": value}
        if below is not None:
            other = below_map.get(path)
            row["below"] = other
            if isinstance(value, (int,)) and isinstance(other, int) and not isinstance(value, bool):
                row["total"] = value + other
            else:
                row["total"] = None
        rows.append(row)
    return rows


def get_path(data: dict | None, path: str, default=0):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return default
        value = value[part]
    return value if value is not None else default
