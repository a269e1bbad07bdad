"""Read paths: council first, related rows selected, counts annotated in SQL."""

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from hdnd_portal.core.models import Deputy

from .models import (
    Commitment,
    ConfidenceSubject,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Question,
    Recommendation,
    RecommendationReport,
)


def overdue_q(today: date) -> Q:
    """A recommendation is overdue when its deadline has passed and it is not done."""
    return Q(deadline__lt=today) & ~Q(status=Recommendation.Status.DONE)


def recommendations(council_ids: list[int], today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    # Related rows are prefetched for the page rather than joined: the database then sorts narrow
    # recommendation rows only, which keeps the all-councils list fast.
    activity = OversightActivity.objects.select_related("body").only("id", "topic", "body__name", "body__kind")
    return (
        Recommendation.objects.filter(council_id__in=council_ids)
        .prefetch_related("agency", "field", Prefetch("activity", queryset=activity))
        .defer("search_text")
        .annotate(
            overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    )


def recommendation_detail(pk: int) -> QuerySet:
    return (
        Recommendation.objects.select_related("agency", "field", "activity", "activity__body", "evaluated_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=RecommendationReport.objects.select_related("posted_by").prefetch_related("evidence"),
            )
        )
        .filter(pk=pk)
    )


def activities(council_ids: list[int] | None) -> QuerySet:
    """Activities of the councils (all when None: the API scopes them itself)."""
    # Counted by a correlated subquery and related rows prefetched for the page: no GROUP BY over
    # a join of every activity, so the all-councils list stays fast.
    count = (
        Recommendation.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        OversightActivity.objects.all()
        if council_ids is None
        else OversightActivity.objects.filter(council_id__in=council_ids)
    )
    return (
        qs.defer("search_text")
        .prefetch_related("body", "lead_deputy", "agencies")
        .annotate(recommendation_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
    )


def programme_topics(programme: OversightProgramme) -> QuerySet:
    done = OversightActivity.objects.filter(planned_topic=OuterRef("pk"), status__in=OversightActivity.DONE_STATUSES)
    started = OversightActivity.objects.filter(planned_topic=OuterRef("pk")).exclude(
        status=OversightActivity.Status.CANCELLED
    )
    return (
        PlannedTopic.objects.filter(programme=programme)
        .select_related("body", "field")
        .annotate(is_done=Exists(done), is_started=Exists(started))
    )


def programmes(council_ids: list[int]) -> QuerySet:
    done = OversightActivity.objects.filter(planned_topic=OuterRef("pk"), status__in=OversightActivity.DONE_STATUSES)
    return OversightProgramme.objects.filter(council_id__in=council_ids).annotate(
        planned=Count("topics", distinct=True),
        done=Count("topics", filter=Q(topics__in=PlannedTopic.objects.filter(Exists(done))), distinct=True),
        activity_count=Count("activities", distinct=True),
    )


def next_session(council, after: date | None = None):
    """The council's next session opening after `after` (today by default), or None."""
    from sessions.models import CouncilSession

    after = after or timezone.localdate()
    return CouncilSession.objects.filter(council=council, planned_start__gt=after).order_by("planned_start").first()


def commitments(council_ids: list[int]) -> QuerySet:
    return Commitment.objects.filter(council_id__in=council_ids).select_related("agency", "field", "source_type")


def commitments_due_for_requestioning(council, before: date) -> QuerySet:
    """Commitments late or unfulfilled before `before` (the next session's opening): the
    agency did not fulfil them, or they are still open with a deadline on or before that day."""
    return (
        commitments([council.id])
        .filter(
            Q(status__in=[Commitment.Status.UNFULFILLED, Commitment.Status.PARTLY_FULFILLED])
            | Q(status__in=Commitment.OPEN_STATUSES, deadline__lte=before)
        )
        .order_by("agency__name", "deadline", "pk")
    )


def deputies_with_record(council_ids: list[int]) -> QuerySet:
    return Deputy.objects.filter(council_id__in=council_ids).annotate(
        question_count=Count("oversight_questions", distinct=True),
        activity_count=Count("oversight_activities", distinct=True),
        commitment_count=Count("oversight_commitments", distinct=True),
    )


def deputy_questions(deputy: Deputy) -> QuerySet:
    return (
        Question.objects.filter(deputy=deputy)
        .select_related("questioning_session", "respondent", "respondent__agency", "requestion_of")
        .order_by("-asked_on", "-pk")
    )


def deputy_activities(deputy: Deputy) -> QuerySet:
    return (
        OversightActivity.objects.filter(Q(team_deputies=deputy) | Q(lead_deputy=deputy))
        .distinct()
        .select_related("body", "field")
        .order_by("-start_date")
    )


def confidence_subjects(vote) -> QuerySet:
    return ConfidenceSubject.objects.filter(vote=vote).select_related("deputy").order_by("order", "pk")
