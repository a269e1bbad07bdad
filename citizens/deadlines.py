"""The legal deadlines of visits and letters, by kind: each is a row in core.Deadline (one
mechanism for the whole portal) computed from the rule in force on its start date.

A deadline title names the register number and the kind — never a sender (denouncer protection)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd_portal.core.deadlines import deadline_complete, deadline_set
from hdnd_portal.core.models import Agency, Deadline
from hdnd_portal.core.rules import RuleMissing, add_rule_period, due_date, rule_for

VISIT_ANSWER = "citizens.visit_answer"
COMPLAINT_ACCEPT = "citizens.complaint_accept"
COMPLAINT_RESOLVE = "citizens.complaint_resolve"
DENUNCIATION_INITIAL = "citizens.denunciation_initial"
DENUNCIATION_FORWARD = "citizens.denunciation_forward"
DENUNCIATION_RESOLVE = "citizens.denunciation_resolve"
RECOMMENDATION_RESOLVE = "citizens.recommendation_resolve"
AGENCY_REPORT = "citizens.agency_report"
CITIZEN_NOTICE = "citizens.citizen_notice"
# The council office's own deadlines: classify and deal with a letter it receives (forward, guide,
# file), and — once it has forwarded the letter — monitor and urge (theo dõi, đôn đốc) the
# competent agency's settlement. Responsible: the office (no agency), so the reminder scan
# tells the council's staff.
OFFICE_HANDLE = "citizens.office_handle"
SETTLEMENT_MONITOR = "citizens.settlement_monitor"

LABELS = {
    VISIT_ANSWER: gettext_lazy("Answer to the visitor"),
    COMPLAINT_ACCEPT: gettext_lazy("Acceptance of the complaint by the competent authority"),
    COMPLAINT_RESOLVE: gettext_lazy("Resolve the complaint"),
    DENUNCIATION_INITIAL: gettext_lazy("Register, classify and process the denunciation"),
    DENUNCIATION_FORWARD: gettext_lazy("Forward the denunciation outside competence"),
    DENUNCIATION_RESOLVE: gettext_lazy("Resolve the denunciation"),
    RECOMMENDATION_RESOLVE: gettext_lazy("Deal with the recommendation or reflection"),
    AGENCY_REPORT: gettext_lazy("Agency reports the result"),
    CITIZEN_NOTICE: gettext_lazy("Inform the citizen of the result"),
    OFFICE_HANDLE: gettext_lazy("Classify and deal with the letter (council office)"),
    SETTLEMENT_MONITOR: gettext_lazy("Monitor and urge the settlement"),
}

# Kinds the deadlines pages (notifications.kinds) did not name yet, and the acceptance of a
# complaint, which the pages must name as the competent agency's (the office accepts nothing).
NEW_KIND_LABELS = {
    k: LABELS[k]
    for k in (COMPLAINT_ACCEPT, DENUNCIATION_FORWARD, DENUNCIATION_RESOLVE, OFFICE_HANDLE, SETTLEMENT_MONITOR)
}


def complaint_resolve_code(round_: int, complex_: bool, remote: bool) -> str:
    """complaint.round1_days, complaint.round2_remote_complex_days, …"""
    parts = [f"complaint.round{2 if round_ == 2 else 1}"]
    if remote:
        parts.append("remote")
    if complex_:
        parts.append("complex")
    return "_".join(parts) + "_days"


def register(*, subject, kind: str, code: str, start: date, agency: Agency | None = None, label_for=None) -> Deadline:
    """Register (or move) deadline `kind` of a visit or letter: `code` (in force on `start`) from `start`."""
    due, rule = due_date(code, subject.council, start)
    title = _("%(record)s: %(what)s") % {"record": label_for or str(subject), "what": LABELS[kind]}
    return deadline_set(
        subject=subject,
        council=subject.council,
        kind=kind,
        title=title,
        start_date=start,
        due_date=due,
        rule=rule,
        responsible_agency=agency,
    )


def register_if_ruled(*, subject, kind: str, code: str, start: date, label_for=None) -> Deadline | None:
    """Like register, but a date no rule covers registers nothing (the letter is still saved)."""
    try:
        return register(subject=subject, kind=kind, code=code, start=start, label_for=label_for)
    except RuleMissing:
        return None


def complete(subject, *kinds: str, cancelled: bool = False) -> None:
    for kind in kinds:
        deadline_complete(subject=subject, kind=kind, cancelled=cancelled)


def period_after(code: str, council, start: date, times: int = 1) -> date:
    return add_rule_period(rule_for(code, council, start), start, times)


def deadlines_of(subject) -> list[Deadline]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        Deadline.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
        .select_related("rule", "responsible_agency")
        .prefetch_related("extensions")
        .order_by("start_date", "due_date")
    )
