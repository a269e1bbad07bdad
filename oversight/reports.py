"""The oversight section of the summary report: activities by kind, recommendations made,
implemented and overdue (by agency), questioning and explanation sessions, people questioned,
commitments and confidence votes. A handful of grouped SQL queries whatever the number of rows."""

from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.reports import charts

from .models import (
    ActivityKind,
    Commitment,
    ConductingLevel,
    ConfidenceSubject,
    ExplanationSession,
    OversightActivity,
    Question,
    QuestioningSession,
    Recommendation,
    Respondent,
)
from .queries import overdue_q


def section(council_ids: list[int], start: date, end: date) -> dict:
    today = timezone.localdate()
    activities = OversightActivity.objects.filter(council_id__in=council_ids, start_date__range=(start, end)).exclude(
        status=OversightActivity.Status.CANCELLED
    )
    kinds = dict(ActivityKind.choices)
    by_kind = [
        {"key": r["kind"], "label": str(kinds.get(r["kind"], r["kind"])), "count": r["n"]}
        for r in activities.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    activity_totals = activities.aggregate(
        total=Count("id"),
        concluded=Count("id", filter=Q(status=OversightActivity.Status.CONCLUDED)),
        supervised_units=Coalesce(Sum("supervised_units"), 0),
    )
    # Who conducted them (the seeds: "Thường trực HĐND tổ chức 04 cuộc khảo sát chuyên đề; các Ban
    # tổ chức 03 cuộc giám sát"), with the units supervised.
    bodies = dict(ConductingLevel.choices)
    by_body = [
        {
            "key": r["conducting_level"],
            "label": str(bodies.get(r["conducting_level"], r["conducting_level"])),
            "count": r["n"],
            "oversight": r["n"] - r["surveys"],
            "surveys": r["surveys"],
            "supervised_units": r["units"] or 0,
        }
        for r in activities.values("conducting_level")
        .annotate(n=Count("id"), surveys=Count("id", filter=Q(kind=ActivityKind.SURVEY)), units=Sum("supervised_units"))
        .order_by()
    ]
    # In the order of the bodies (council, standing committee, committees, groups), as a report lists them.
    order = list(bodies)
    by_body.sort(key=lambda row: order.index(row["key"]) if row["key"] in order else len(order))
    recs = Recommendation.objects.filter(council_id__in=council_ids, issued_on__range=(start, end))
    # The seeds: "Thường trực HĐND tổ chức 11 cuộc giám sát đối với 82 đơn vị với 65 kiến nghị".
    recs_by_body = dict(
        recs.values_list("activity__conducting_level").annotate(n=Count("id")).order_by()
    )
    for row in by_body:
        row["recommendations"] = recs_by_body.get(row["key"], 0)
    rec_totals = recs.aggregate(
        made=Count("id"),
        done=Count("id", filter=Q(status=Recommendation.Status.DONE)),
        accepted=Count("id", filter=Q(evaluation=Recommendation.Evaluation.ACCEPTED)),
        partly=Count("id", filter=Q(status=Recommendation.Status.PARTLY_DONE)),
        overdue=Count("id", filter=overdue_q(today)),
        follow_up=Count("id", filter=Q(needs_follow_up=True)),
    )
    by_agency = [
        {"agency": r["agency__name"], "made": r["made"], "done": r["done"], "overdue": r["overdue"]}
        for r in recs.values("agency__name")
        .annotate(
            made=Count("id"),
            done=Count("id", filter=Q(status=Recommendation.Status.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by("-made")[:30]
    ]
    sessions = QuestioningSession.objects.filter(council_id__in=council_ids, held_on__range=(start, end))
    venues = sessions.aggregate(
        total=Count("id"),
        at_council_session=Count("id", filter=Q(venue=QuestioningSession.Venue.COUNCIL_SESSION)),
        at_standing_meeting=Count("id", filter=Q(venue=QuestioningSession.Venue.STANDING_MEETING)),
    )
    questioning = {
        "sessions": venues["total"],
        "at_council_session": venues["at_council_session"],
        "at_standing_meeting": venues["at_standing_meeting"],
        "people_questioned": Respondent.objects.filter(questioning_session__in=sessions)
        .values("official_name", "agency_id")
        .distinct()
        .count(),
        "questions": Question.objects.filter(questioning_session__in=sessions).aggregate(
            total=Count("id"),
            written=Count("id", filter=Q(answer_mode="written")),
            requestioning=Count("id", filter=Q(requestion_of__isnull=False)),
        ),
    }
    commitments = Commitment.objects.filter(council_id__in=council_ids, made_on__range=(start, end)).aggregate(
        made=Count("id"),
        fulfilled=Count("id", filter=Q(status=Commitment.Status.FULFILLED)),
        late=Count("id", filter=Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=today)),
        unfulfilled=Count(
            "id", filter=Q(status__in=[Commitment.Status.UNFULFILLED, Commitment.Status.PARTLY_FULFILLED])
        ),
    )
    # The press bands ("N people above 50 % high + confidence, M of them above 80 % high"), in
    # integer arithmetic against the deputies sitting on the day, as the law counts percentages.
    confidence = (
        ConfidenceSubject.objects.filter(council_id__in=council_ids, vote__held_on__range=(start, end))
        .annotate(
            high_x2=F("high") * 2,
            positive_x2=(F("high") + F("confidence")) * 2,
            high_x5=F("high") * 5,
            total_x4=F("vote__total_deputies") * 4,
        )
        .aggregate(
            votes=Count("vote", distinct=True),
            subjects=Count("id"),
            over_half_positive=Count("id", filter=Q(positive_x2__gt=F("vote__total_deputies"))),
            over_half_high=Count("id", filter=Q(high_x2__gt=F("vote__total_deputies"))),
            over_80_high=Count("id", filter=Q(high_x5__gt=F("total_x4"))),
            may_resign=Count("id", filter=Q(may_resign=True)),
            resigned=Count("id", filter=Q(resigned=True)),
            formal_vote=Count("id", filter=Q(requires_formal_vote=True)),
            dismissal=Count("id", filter=Q(requires_dismissal=True)),
        )
    )
    return {
        "title": _("Oversight"),
        "activities": {**activity_totals, "by_kind": by_kind, "by_body": by_body},
        "recommendations": {**rec_totals, "by_agency": by_agency},
        "questioning": questioning,
        "explanation_sessions": ExplanationSession.objects.filter(
            council_id__in=council_ids, held_on__range=(start, end)
        ).count(),
        "commitments": commitments,
        "confidence": confidence,
    }


def _per_council(qs) -> dict[int, int]:
    return {r["council_id"]: r["n"] for r in qs.values("council_id").annotate(n=Count("id")).order_by()}


def council_figures() -> list[tuple]:
    """The columns of the table per council (same definitions as in section())."""

    def activities(ids, start, end):
        return _per_council(OversightActivity.objects.filter(council_id__in=ids, start_date__range=(start, end))
                            .exclude(status=OversightActivity.Status.CANCELLED))

    def recommendations(ids, start, end):
        return _per_council(Recommendation.objects.filter(council_id__in=ids, issued_on__range=(start, end)))

    return [
        ("oversight_activities", _("Oversight and survey activities"), activities),
        ("recommendations", _("Recommendations made"), recommendations),
    ]


def dashboard(council_ids: list[int], start: date, end: date, today: date) -> dict:
    """Overdue recommendations by agency."""
    overdue = [
        (r["agency__name"] or "—", r["n"])
        for r in Recommendation.objects.filter(council_id__in=council_ids)
        .filter(overdue_q(today))
        .values("agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "agency__name")[:12]
    ]
    return {
        "cards": [(_("Overdue recommendations"), sum(n for _l, n in overdue))],
        "charts": [{
            "title": _("Overdue recommendations by agency"),
            "svg": charts.hbar(overdue, color=charts.PALETTE[1]),
            "rows": overdue,
            "headers": [_("Agency"), _("Overdue")],
        }],
    }
