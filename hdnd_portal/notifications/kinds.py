"""Readable names of deadline kinds ("petition.response" → "Petition response").

Apps may add theirs with register_kinds({...}) in AppConfig.ready(); an unknown kind shows its
code. The list below covers the deadlines the portal's issues name."""

from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

KIND_LABELS: dict[str, object] = {
    "session.documents": _("Session documents to deputies"),
    "session.document": _("Session document to deputies"),
    "verification.report": _("Verification report"),
    "question.written_answer": _("Written answer to a question"),
    "question.answer": _("Answer to a question"),
    "recommendation.followup": _("Recommendation follow-up report"),
    "recommendation.implementation": _("Recommendation implementation"),
    "commitment.due": _("Commitment"),
    "commitment.milestone": _("Commitment milestone"),
    "commitment.report": _("Report before the next session"),
    "petition.response": _("Petition response"),
    "petition.target": _("Petition promised resolution date"),
    "reception.answer": _("Answer to a visitor"),
    "letter.acceptance": _("Letter acceptance"),
    "letter.initial": _("Letter initial processing"),
    "letter.forward": _("Letter forwarding"),
    "letter.resolution": _("Letter resolution"),
    "letter.report_back": _("Agency report on a forwarded letter"),
    "letter.inform_citizen": _("Notice to the citizen"),
    "citizens.agency_report": _("Agency report on a forwarded letter"),
    "citizens.citizen_notice": _("Notice to the citizen"),
    "citizens.complaint_accept": _("Accepting a complaint"),
    "citizens.complaint_resolve": _("Settling a complaint"),
    "citizens.denunciation_initial": _("Initial processing of a denunciation"),
    "citizens.recommendation_resolve": _("Settling a recommendation or reflection"),
    "citizens.visit_answer": _("Answer to a visitor"),
    "commitment.deadline": _("Commitment"),
    "recommendation.deadline": _("Recommendation implementation"),
    "oversight.plan_notice": _("Sending the oversight plan"),
    "oversight.programme_notice": _("Sending the oversight programme"),
    "oversight.report": _("Oversight team's report"),
    "voter_meeting.outside_decision": _("Decision on a voter meeting outside the constituency"),
    "voter_meeting.outside_notice": _("Notice of a voter meeting outside the constituency"),
}


def register_kinds(labels: dict[str, object]) -> None:
    KIND_LABELS.update(labels)
    _translated.cache_clear()


@cache
def _translated(language: str | None) -> tuple[dict[str, str], str]:
    """Every kind's name in one language, and the generic label: translated once per language
    and process, not for each of a page's rows and of its filter's options (a hundred a page)."""
    return {code: str(label) for code, label in KIND_LABELS.items()}, str(_("Deadline"))


def kind_label(code: str) -> str:
    """A kind's name; an unregistered kind reads as a generic label, never as its code."""
    labels, generic = _translated(get_language())
    return labels.get(code) or generic


def point_label(code: str) -> str:
    """ "before_3" → "3 days before", "weekly_overdue_2" → "Overdue, weekly reminder 2"…"""
    base, _sep, moved = code.partition("@")
    if base.startswith("before_"):
        text = _("%(n)s day(s) before") % {"n": base.split("_", 1)[1]}
    elif base.startswith("weekly_overdue_"):
        text = _("Overdue, weekly reminder %(n)s") % {"n": base.rsplit("_", 1)[1]}
    elif base.startswith("extension_"):
        text = str(_("Extension notice"))
    else:
        text = str(
            {"due": _("On the due date"), "overdue": _("Overdue"), "escalation": _("Escalation")}.get(base, base)
        )
    if moved:
        text += " " + _("(new due date %(date)s)") % {"date": f"{moved[6:8]}/{moved[4:6]}/{moved[:4]}"}
    return text
