"""The sessions section of the summary report: sessions held by kind, resolutions adopted
(normative vs individual, by kind and field), votes, documents, verification on time, and
attendance. A handful of grouped SQL queries whatever the number of rows."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from hdnd_portal.reports import charts
from hdnd_portal.reports.charts import QUARTERS, by_quarter

from .models import Attendance, CouncilSession, Resolution, ResolutionKind, SessionDocument, Verification, Vote


def _labelled(rows, choices: dict, key: str) -> list[dict]:
    return [{"key": r[key], "label": str(choices.get(r[key], r[key])), "count": r["n"]} for r in rows]


def section(council_ids: list[int], start: date, end: date) -> dict:
    sessions = CouncilSession.objects.filter(council_id__in=council_ids, planned_start__range=(start, end))
    held = sessions.filter(status=CouncilSession.Status.CLOSED)
    session_counts = sessions.aggregate(
        planned=Count("id"),
        held=Count("id", filter=Q(status=CouncilSession.Status.CLOSED)),
        paperless=Count("id", filter=Q(status=CouncilSession.Status.CLOSED, is_paperless=True)),
        councils=Count("council", distinct=True, filter=Q(status=CouncilSession.Status.CLOSED)),
        regular=Count("id", filter=Q(status=CouncilSession.Status.CLOSED, kind=CouncilSession.Kind.REGULAR)),
        non_regular=Count(
            "id", filter=Q(status=CouncilSession.Status.CLOSED) & ~Q(kind=CouncilSession.Kind.REGULAR)
        ),
    )
    by_kind = _labelled(
        held.values("kind").annotate(n=Count("id")).order_by("-n", "kind"), dict(CouncilSession.Kind.choices), "kind"
    )
    resolutions = Resolution.objects.filter(council_id__in=council_ids, adopted_on__range=(start, end))
    resolution_counts = resolutions.aggregate(
        total=Count("id"),
        normative=Count("id", filter=Q(is_normative=True)),
        individual=Count("id", filter=Q(is_normative=False)),
        published=Count("id", filter=Q(is_published=True)),
        implemented=Count("id", filter=Q(implementation_status=Resolution.Implementation.DONE)),
        # As the seeds count them: personnel, then the others by the kind of session adopting them.
        personnel=Count("id", filter=Q(kind=ResolutionKind.PERSONNEL)),
        at_regular=Count(
            "id", filter=~Q(kind=ResolutionKind.PERSONNEL) & Q(session__kind=CouncilSession.Kind.REGULAR)
        ),
        at_thematic=Count(
            "id",
            filter=~Q(kind=ResolutionKind.PERSONNEL)
            & Q(session__isnull=False)
            & ~Q(session__kind=CouncilSession.Kind.REGULAR),
        ),
    )
    resolutions_by_kind = _labelled(
        resolutions.values("kind").annotate(n=Count("id")).order_by("-n", "kind"), dict(ResolutionKind.choices), "kind"
    )
    resolutions_by_field = [
        {"key": r["field__code"] or "", "label": r["field__name"] or _("Not classified"), "count": r["n"]}
        for r in resolutions.values("field__code", "field__name").annotate(n=Count("id")).order_by("-n", "field__code")
    ]
    votes = Vote.objects.filter(council_id__in=council_ids, voted_on__range=(start, end)).aggregate(
        total=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
        electronic=Count("id", filter=Q(is_electronic=True)),
        secret=Count("id", filter=Q(method=Vote.Method.SECRET)),
    )
    documents = SessionDocument.objects.filter(council_id__in=council_ids, session__planned_start__range=(start, end))
    document_counts = documents.aggregate(
        total=Count("id"),
        submissions=Count("id", filter=Q(kind=SessionDocument.Kind.SUBMISSION)),
        reports=Count("id", filter=Q(kind=SessionDocument.Kind.REPORT)),
        verification_reports=Count("id", filter=Q(kind=SessionDocument.Kind.VERIFICATION_REPORT)),
    )
    verifications = Verification.objects.filter(council_id__in=council_ids, due_date__range=(start, end)).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Verification.Status.DONE)),
        on_time=Count("id", filter=Q(status=Verification.Status.DONE, completed_on__lte=F("due_date"))),
    )
    attendance = Attendance.objects.filter(council_id__in=council_ids, day__range=(start, end)).aggregate(
        records=Count("id"),
        present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
        excused=Count("id", filter=Q(status=Attendance.Status.ABSENT_EXCUSED)),
        absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
    )
    rate = round(100 * attendance["present"] / attendance["records"], 1) if attendance["records"] else None
    return {
        "title": _("Sessions and resolutions"),
        "period": {"start": start, "end": end},
        "sessions_planned": session_counts["planned"],
        "sessions_held": session_counts["held"],
        "sessions_regular": session_counts["regular"],
        "sessions_non_regular": session_counts["non_regular"],
        "sessions_paperless": session_counts["paperless"],
        "councils_with_sessions": session_counts["councils"],
        "sessions_by_kind": by_kind,
        "resolutions": resolution_counts["total"],
        "resolutions_normative": resolution_counts["normative"],
        "resolutions_individual": resolution_counts["individual"],
        "resolutions_personnel": resolution_counts["personnel"],
        "resolutions_at_regular_sessions": resolution_counts["at_regular"],
        "resolutions_at_thematic_sessions": resolution_counts["at_thematic"],
        "resolutions_published": resolution_counts["published"],
        "resolutions_implemented": resolution_counts["implemented"],
        "resolutions_by_kind": resolutions_by_kind,
        "resolutions_by_field": resolutions_by_field,
        "votes": votes["total"],
        "votes_passed": votes["passed"],
        "votes_electronic": votes["electronic"],
        "votes_secret": votes["secret"],
        "documents": document_counts["total"],
        "submissions": document_counts["submissions"],
        "reports": document_counts["reports"],
        "verification_reports": document_counts["verification_reports"],
        "verifications": verifications["total"],
        "verifications_done": verifications["done"],
        "verifications_on_time": verifications["on_time"],
        "attendance_records": attendance["records"],
        "attendance_present": attendance["present"],
        "attendance_excused": attendance["excused"],
        "attendance_absent": attendance["absent"],
        "attendance_rate": rate,
        "rows": [
            (_("Sessions held"), session_counts["held"]),
            (_("Resolutions adopted"), resolution_counts["total"]),
            (_("of which legal-normative"), resolution_counts["normative"]),
            (_("of which individual"), resolution_counts["individual"]),
            (_("Votes taken (electronic)"), f"{votes['total']} ({votes['electronic']})"),
            (_("Session documents"), document_counts["total"]),
            (_("Verifications issued on time"), f"{verifications['on_time']}/{verifications['total']}"),
            (_("Attendance rate (%)"), rate if rate is not None else "—"),
        ],
    }


def _per_council(qs) -> dict[int, int]:
    return {r["council_id"]: r["n"] for r in qs.values("council_id").annotate(n=Count("id")).order_by()}


def council_figures() -> list[tuple]:
    """The columns of the table per council (same definitions as in section())."""

    def sessions_held(ids, start, end):
        return _per_council(CouncilSession.objects.filter(
            council_id__in=ids, planned_start__range=(start, end), status=CouncilSession.Status.CLOSED
        ))

    def resolutions(ids, start, end):
        return _per_council(Resolution.objects.filter(council_id__in=ids, adopted_on__range=(start, end)))

    return [("sessions_held", _("Sessions held"), sessions_held), ("resolutions", _("Resolutions"), resolutions)]


def dashboard(council_ids: list[int], start: date, end: date, today: date) -> dict:
    """Sessions held and resolutions adopted, by quarter."""
    sessions = by_quarter(
        CouncilSession.objects.filter(
            council_id__in=council_ids, planned_start__range=(start, end), status=CouncilSession.Status.CLOSED
        ),
        "planned_start",
        n=Count("id"),
    )["n"]
    resolutions = by_quarter(
        Resolution.objects.filter(council_id__in=council_ids, adopted_on__range=(start, end)), "adopted_on",
        n=Count("id"),
    )["n"]
    return {
        "cards": [(_("Sessions held"), sum(sessions)), (_("Resolutions adopted"), sum(resolutions))],
        "charts": [{
            "title": _("Sessions and resolutions by quarter"),
            "svg": charts.grouped_bars(QUARTERS, [(_("Sessions held"), sessions), (_("Resolutions"), resolutions)]),
            "rows": [(q, s, r) for q, s, r in zip(QUARTERS, sessions, resolutions, strict=True)],
            "headers": [_("Quarter"), _("Sessions held"), _("Resolutions")],
        }],
    }
