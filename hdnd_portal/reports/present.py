"""Turning any section's figures into rows and tables, whatever its shape: a scalar becomes a
figure row, a nested dict a group of rows (labels joined), a list of dicts a table. Known keys
get a translated label; an unknown key is shown as itself, so a new figure in an app's section
appears in the report without a change here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# Keys that are not figures: the section title, its period, an app's own summary rows, long lists
# ("resolution_list": a list of petitions that reports kept until December 2026, never printed).
SKIP_KEYS = {"title", "period", "rows", "error", "key", "resolution_list", "council_id", "id"}


LABELS = {
    # core
    "deputies": gettext_lazy("Deputies"),
    "sitting": gettext_lazy("sitting at the end of the period"),
    "full_time": gettext_lazy("full-time"),
    "female": gettext_lazy("women"),
    "joined": gettext_lazy("joined during the period"),
    "left": gettext_lazy("left during the period"),
    "committees": gettext_lazy("Committees"),
    "delegate_groups": gettext_lazy("Delegate groups"),
    "bodies_by_kind": gettext_lazy("Bodies by kind"),
    "standing_committee_members": gettext_lazy("Members of the standing committee"),
    "committee_members": gettext_lazy("Members of the committees"),
    "members_by_committee": gettext_lazy("Members of each committee"),
    # sessions
    "sessions_planned": gettext_lazy("Sessions planned"),
    "sessions_held": gettext_lazy("Sessions held"),
    "sessions_regular": gettext_lazy("of which regular sessions"),
    "sessions_non_regular": gettext_lazy("of which thematic and other sessions"),
    "sessions_paperless": gettext_lazy("Paperless sessions"),
    "councils_with_sessions": gettext_lazy("Councils that held sessions"),
    "sessions_by_kind": gettext_lazy("Sessions held by kind"),
    "resolutions": gettext_lazy("Resolutions adopted"),
    "resolutions_normative": gettext_lazy("Legal-normative resolutions"),
    "resolutions_individual": gettext_lazy("Individual resolutions"),
    "resolutions_personnel": gettext_lazy("Resolutions on personnel"),
    "resolutions_at_regular_sessions": gettext_lazy("Resolutions adopted at regular sessions (not personnel)"),
    "resolutions_at_thematic_sessions": gettext_lazy("Resolutions adopted at thematic sessions (not personnel)"),
    "resolutions_published": gettext_lazy("Resolutions published"),
    "resolutions_implemented": gettext_lazy("Resolutions implemented"),
    "resolutions_by_kind": gettext_lazy("Resolutions by kind"),
    "resolutions_by_field": gettext_lazy("Resolutions by field"),
    "votes": gettext_lazy("Votes taken"),
    "votes_passed": gettext_lazy("Votes passed"),
    "votes_electronic": gettext_lazy("Electronic votes"),
    "votes_secret": gettext_lazy("Secret ballots"),
    "documents": gettext_lazy("Session documents"),
    "submissions": gettext_lazy("Submissions"),
    "reports": gettext_lazy("Reports considered"),
    "verification_reports": gettext_lazy("Verification reports"),
    "verifications": gettext_lazy("Verifications assigned"),
    "verifications_done": gettext_lazy("Verifications done"),
    "verifications_on_time": gettext_lazy("Verifications done on time"),
    "attendance_records": gettext_lazy("Attendance records"),
    "attendance_present": gettext_lazy("Present"),
    "attendance_excused": gettext_lazy("Absent with leave"),
    "attendance_absent": gettext_lazy("Absent without leave"),
    "attendance_rate": gettext_lazy("Attendance rate (%)"),
    # oversight
    "activities": gettext_lazy("Oversight and survey activities"),
    "total": gettext_lazy("total"),
    "concluded": gettext_lazy("concluded"),
    "by_kind": gettext_lazy("by kind"),
    "by_body": gettext_lazy("by the body that conducted them"),
    "supervised_units": gettext_lazy("units supervised"),
    "surveys": pgettext_lazy("report column", "surveys"),
    "oversight": pgettext_lazy("report column", "oversight"),
    "at_council_session": gettext_lazy("of which at council sessions"),
    "at_standing_meeting": gettext_lazy("of which at standing-committee meetings"),
    "recommendations": gettext_lazy("Recommendations"),
    "made": gettext_lazy("made"),
    "done": gettext_lazy("done"),
    "accepted": gettext_lazy("accepted as done"),
    "partly": gettext_lazy("partly done"),
    "overdue": gettext_lazy("overdue"),
    "follow_up": gettext_lazy("needing follow-up"),
    "by_agency": gettext_lazy("by agency"),
    "agency": gettext_lazy("Agency"),
    "questioning": gettext_lazy("Questioning"),
    # Context: "sessions" alone is translated differently by other catalogues (Django's own too).
    "sessions": pgettext_lazy("questioning", "sessions"),
    "people_questioned": gettext_lazy("people questioned"),
    "questions": gettext_lazy("questions"),
    "written": gettext_lazy("answered in writing"),
    "requestioning": gettext_lazy("questioned again"),
    "explanation_sessions": gettext_lazy("Explanation sessions"),
    "commitments": gettext_lazy("Commitments"),
    "fulfilled": gettext_lazy("fulfilled"),
    "late": gettext_lazy("late"),
    "unfulfilled": gettext_lazy("not or partly fulfilled"),
    "confidence": gettext_lazy("Confidence votes"),
    "subjects": gettext_lazy("people rated"),
    # xgettext:no-python-format
    "over_half_positive": gettext_lazy("above 50% rating high or confidence"),
    # xgettext:no-python-format
    "over_half_high": gettext_lazy("above 50% rating high"),
    # xgettext:no-python-format
    "over_80_high": gettext_lazy("above 80% rating high"),
    "may_resign": gettext_lazy("more than half rating low"),
    "resigned": gettext_lazy("resigned after the vote"),
    "formal_vote": gettext_lazy("formal vote of confidence"),
    "dismissal": gettext_lazy("dismissal to be submitted (two thirds or more low)"),
    # voters
    "meetings": gettext_lazy("Voter meetings"),
    "count": gettext_lazy("number"),
    "voters": gettext_lazy("voters attending"),
    "before": gettext_lazy("before a session"),
    "after": gettext_lazy("after a session"),
    "thematic": gettext_lazy("thematic"),
    "groups": gettext_lazy("delegate groups that held meetings"),
    "thematic_groups": gettext_lazy("delegate groups that held thematic meetings"),
    "petitions": gettext_lazy("Petitions and opinions received"),
    "received": gettext_lazy("received"),
    "opinions": gettext_lazy("opinions"),
    "urgent": gettext_lazy("urgent"),
    "flow": gettext_lazy("Petition handling"),
    "forwarded": gettext_lazy("forwarded"),
    "answered": gettext_lazy("answered"),
    "resolved": gettext_lazy("resolved"),
    "in_progress": gettext_lazy("being resolved"),
    "explained": gettext_lazy("explained"),
    "not_competent": gettext_lazy("not within competence"),
    "on_time": gettext_lazy("answered on time"),
    "overdue_at_end": gettext_lazy("overdue at the end of the period"),
    "carried_over": gettext_lazy("carried over"),
    "satisfactory": gettext_lazy("evaluated satisfactory"),
    "unsatisfactory": gettext_lazy("evaluated not satisfactory"),
    "resolution_rate": gettext_lazy("Resolution rate (%)"),
    "answer_rate": gettext_lazy("Answer rate (%)"),
    "by_field": gettext_lazy("by field"),
    "by_committee": gettext_lazy("by committee"),
    "by_level": gettext_lazy("by competence level"),
    "by_locality": gettext_lazy("by locality"),
    # citizens
    "reception_days": gettext_lazy("Reception days held"),
    "reception_days_cancelled": gettext_lazy("Reception days cancelled"),
    "reception_days_not_held": gettext_lazy("Reception days planned, not recorded as held"),
    "reception_days_by_receiver": gettext_lazy("Reception days held, by who received"),
    "visits": gettext_lazy("Visits (lượt)"),
    "citizens": gettext_lazy("Citizens received"),
    "group_visits": gettext_lazy("Group visits"),
    "cases": gettext_lazy("Cases"),
    "visits_answered": gettext_lazy("Visits answered"),
    "letters": gettext_lazy("Letters"),
    "duplicates": gettext_lazy("duplicates"),
    "not_eligible": gettext_lazy("not eligible"),
    "multi_signer": gettext_lazy("multi-signer"),
    "anonymous": gettext_lazy("anonymous"),
    "pending": gettext_lazy("awaiting a decision"),
    "letters_by_kind": gettext_lazy("Letters by kind"),
    "letters_by_field": gettext_lazy("Letters by field"),
    "letters_by_channel": gettext_lazy("Letters by channel"),
    "letters_by_outcome": gettext_lazy("Letters by outcome"),
    "overdue_by_agency": gettext_lazy("Overdue letters by agency"),
    "overdue_total": gettext_lazy("Overdue letters"),
    # programmes
    # programmes
    "tasks_due": gettext_lazy("Programme tasks due in the period"),
    "tasks_done": gettext_lazy("of which done"),
    "tasks_done_late": gettext_lazy("of which done after their date"),
    "tasks_overdue": gettext_lazy("overdue, not done"),
    "documents_issued": gettext_lazy("Documents issued by the standing committee and committees"),
    "documents_by_standing_committee": gettext_lazy("of which by the standing committee"),
    "documents_by_committees": gettext_lazy("of which by the committees"),
    "documents_issued_by_kind": gettext_lazy("Documents issued by kind"),
    # table columns
    "label": gettext_lazy("Item"),
    "council": gettext_lazy("Council"),
    "code": gettext_lazy("Code"),
}

SECTION_TITLES = {
    "core": gettext_lazy("Deputies and bodies"),
    "sessions": gettext_lazy("Sessions and resolutions"),
    "oversight": gettext_lazy("Oversight, questioning and explanation"),
    "voters": gettext_lazy("Voter meetings and petitions"),
    "citizens": gettext_lazy("Citizen reception and letters"),
}


# A nested key repeating its parent ("petitions.petitions"): the inner one is the narrower count.
NESTED_SAME_KEY = {"petitions": gettext_lazy("of which petitions"), "letters": gettext_lazy("of which letters")}

# A key whose meaning depends on where it sits: "votes" of a session are votes taken on items,
# "votes" of the confidence section are the confidence votes held.
PATH_LABELS = {"confidence.votes": gettext_lazy("confidence votes held")}

# Column headings of breakdown tables, where the figure label would read oddly.
COLUMN_LABELS = {"label": gettext_lazy("Item"), "count": gettext_lazy("Quantity"), "agency": gettext_lazy("Agency")}


def column_label(key: str) -> str:
    return str(COLUMN_LABELS[key]) if key in COLUMN_LABELS else label(key)


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
        own_label = label(key) if not prefix.endswith(f"{key}.") else str(NESTED_SAME_KEY.get(key, label(key)))
        if path in PATH_LABELS:
            own_label = str(PATH_LABELS[path])
        text = own_label if not label_prefix else f"{label_prefix} — {own_label}"
        if isinstance(value, dict):
            flatten(value, f"{path}.", text, out)
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) for v in value):
                keys: list[str] = []
                for row in value:
                    for k in row:
                        if k not in keys and k not in SKIP_KEYS:
                            keys.append(k)
                columns = [(k, column_label(k)) for k in keys]
                numeric = [k for k in keys if all(isinstance(r.get(k), (int, float)) for r in value)]
                out.tables.append(
                    Table(title=text, key=path, columns=columns, rows=value, chart=bool(numeric) and "label" in keys)
                )
        elif isinstance(value, (int, float)) or value is None or isinstance(value, str):
            out.figures.append((path, text, value))
    return out


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def figure_rows(
    own: dict | None,
    levels: list[dict | None] | None = None,
    previous: dict | None = None,
) -> list[dict]:
    """One row per figure of the council's own section: `values` holds, in column order, its own
    figure, each level below and their total (when there are levels), then the same total one year
    earlier and the change (when `previous` is given). Rates are not summed: their total is blank."""
    levels = levels or []
    level_maps = [{p: v for p, _l, v in flatten(section).figures} if section else {} for section in levels]
    previous_map = {p: v for p, _l, v in flatten(previous).figures} if previous is not None else None
    rows = []
    for path, text, value in flatten(own).figures:
        values = [value]
        total = value
        if levels:
            others = [m.get(path) for m in level_maps]
            values += others
            summable = isinstance(value, int) and not isinstance(value, bool)
            summable = summable and all(isinstance(o, int) or o is None for o in others)
            total = value + sum(o or 0 for o in others) if summable else None
            values.append(total)
        if previous_map is not None:
            before = previous_map.get(path)
            values.append(before)
            values.append(total - before if _number(total) and _number(before) and not path.endswith("rate") else None)
        rows.append({"path": path, "label": text, "own": value, "values": values})
    return rows


def change_text(value) -> str:
    """+12 / −3 / 0, as the change column prints it."""
    if value is None:
        return "—"
    if value > 0:
        return "+" + vn_number(value).lstrip("0") if value < 10 else "+" + vn_number(value)
    if value < 0:
        return "−" + (vn_number(-value).lstrip("0") if -value < 10 else vn_number(-value))
    return "0"


def get_path(data: dict | None, path: str, default=0):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return default
        value = value[part]
    return value if value is not None else default
