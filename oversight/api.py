"""The oversight API (/api/oversight/). Every write calls the same services as the pages.
Agency responders list and report only on what is addressed to their agency."""

from django.db import transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import Http404
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import parse_version
from hdnd_portal.core.models import Council
from hdnd_portal.core.scoping import get_access
from hdnd_portal.core.search import apply_search
from hdnd_portal.core.writes import guard_create

from . import queries, services
from .access import ASSIGNED, VIEW, sees_item
from .filters import ActivityFilter, CommitmentFilter, ExplanationFilter, QuestioningFilter, RecommendationFilter
from .models import (
    Commitment,
    ConfidenceSubject,
    ConfidenceVote,
    ExplanationSession,
    IssueGroup,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Question,
    QuestioningSession,
    Recommendation,
    RecommendationReport,
    Respondent,
    RespondentReport,
)
from .serializers import (
    ActivitySerializer,
    AnswerInputSerializer,
    CommitmentSerializer,
    CommitmentUpdateSerializer,
    ConfidenceSubjectSerializer,
    ConfidenceVoteSerializer,
    EvaluationInputSerializer,
    ExplanationSerializer,
    ProgrammeSerializer,
    ProgressInputSerializer,
    QuestioningIssueGroupSerializer,
    QuestioningSessionSerializer,
    QuestionSerializer,
    RecommendationReportSerializer,
    RecommendationSerializer,
    ReportInputSerializer,
    RespondentReportSerializer,
    RespondentSerializer,
    TopicSerializer,
)

OVERSIGHT = {"read": VIEW, "write": "can_change_oversight"}


class OversightViewSet(CouncilScopedViewSet):
    """The core base (its guard runs on every create and update); each subclass only names where
    a record's council comes from (`council_of`) and which service saves it (`save_instance`)."""

    permissions_by_action = OVERSIGHT
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


def parent_council(data: dict, instance, parent_field: str) -> int | None:
    """Records created under a parent take the parent's council; an existing record keeps its own."""
    if instance is not None and instance.pk is not None:
        return instance.council_id
    parent = data.get(parent_field)
    return parent.council_id if parent is not None else None


class ProgrammeViewSet(OversightViewSet):
    queryset = OversightProgramme.objects.order_by("-year")
    serializer_class = ProgrammeSerializer
    filterset_fields = ["council", "year"]

    def get_queryset(self):
        return self.scoped(
            queries.programmes(
                list(OversightProgramme.objects.values_list("council_id", flat=True).distinct())
            ).order_by("-year")
        )

    def save_instance(self, instance, m2m):
        return services.programme_save(programme=instance)


class TopicViewSet(OversightViewSet):
    queryset = PlannedTopic.objects.select_related("programme").order_by("programme", "period_start")
    serializer_class = TopicSerializer
    searchable = False
    filterset_fields = ["council", "programme", "body", "kind"]

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "programme")

    def save_instance(self, instance, m2m):
        return services.topic_save(topic=instance)


class ActivityViewSet(OversightViewSet):
    queryset = OversightActivity.objects.order_by("-start_date", "-pk")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["start_date", "topic", "status"]

    def get_queryset(self):
        return self.scoped(
            queries.activities(None).prefetch_related("team_deputies", "team_staff").order_by("-start_date", "-pk")
        )

    def save_instance(self, instance, m2m):
        return services.activity_save(activity=instance, user=self.request.user, **{k: m2m[k] for k in m2m})


# Reads a responder may make on their own agency's items (another agency's answer 404).
READ_ACTIONS = ("list", "retrieve", "reports", "updates")


class AssignedMixin:
    """Read access for agency responders, limited to their agency's rows."""

    def scoped(self, queryset):
        access = get_access(self.request.user)
        full = access.council_ids(VIEW)
        assigned = access.council_ids(ASSIGNED)
        if full is not None:
            queryset = queryset.filter(
                Q(council_id__in=full) | Q(council_id__in=assigned or [], agency_id__in=access.agency_ids())
            )
        council = self.request.query_params.get("council")
        if council and council.isdigit():
            queryset = queryset.filter(council_id=int(council))
        if self.request.query_params.get("q"):
            queryset = apply_search(queryset, self.request.query_params["q"])
        return queryset

    def check_permissions(self, request):
        if getattr(self, "action", None) in READ_ACTIONS:
            access = get_access(request.user)
            ids_full, ids_assigned = access.council_ids(VIEW), access.council_ids(ASSIGNED)
            if not request.user.is_authenticated:
                self.permission_denied(request)
            if ids_full is None or ids_full or ids_assigned:
                return
            self.permission_denied(request, message=_("You lack the permission to see oversight records."))
        return super().check_permissions(request)

    def check_object_permissions(self, request, obj):
        access = get_access(request.user)
        if getattr(self, "action", None) in READ_ACTIONS:
            if not sees_item(access, obj.council_id, obj.agency_id):
                raise Http404
            return
        if not sees_item(access, obj.council_id, obj.agency_id):
            if access.has(obj.council_id, ASSIGNED):
                raise Http404
        return super().check_object_permissions(request, obj)


class RecommendationViewSet(AssignedMixin, OversightViewSet):
    queryset = Recommendation.objects.all()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering_fields = ["issued_on", "deadline", "status"]
    permissions_by_action = {
        **OVERSIGHT,
        "report": "can_report_oversight",
        "evaluate": "can_evaluate_recommendation",
        "reports": VIEW,
    }

    def get_queryset(self):
        base = Recommendation.objects.select_related("agency", "field", "activity", "activity__body").annotate(
            overdue=Case(
                When(queries.overdue_q(timezone.localdate()), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        return self.scoped(base).order_by("-issued_on", "-pk")

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "activity")

    def save_instance(self, instance, m2m):
        if instance.pk is not None:
            return services.recommendation_update(recommendation=instance)
        return services.recommendation_create(
            activity=instance.activity,
            agency=instance.agency,
            text=instance.text,
            deadline=instance.deadline,
            issued_on=instance.issued_on,
            is_complex=instance.is_complex,
            field=instance.field,
            needs_follow_up=instance.needs_follow_up,
        )

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request, pk=None):
        """Post a progress report (multipart with an optional `evidence` file)."""
        rec = self.get_object()
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        evidence = values.get("evidence")
        report = services.recommendation_report(
            recommendation=rec,
            status=values["status"],
            text=values["text"],
            user=request.user,
            reported_on=values.get("reported_on"),
            on_behalf=values["on_behalf"],
            document_number=values["document_number"],
            files=[evidence] if evidence else [],
        )
        return Response(RecommendationReportSerializer(report).data, status=201)

    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        rec = self.get_object()
        data = EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rec = services.recommendation_evaluate(
            recommendation=rec,
            user=request.user,
            expected_version=parse_version(request.data.get("version")),
            **data.validated_data,
        )
        return Response(self.get_serializer(rec).data)

    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        rec = self.get_object()
        reports = RecommendationReport.objects.filter(recommendation=rec).prefetch_related("evidence")
        return Response(RecommendationReportSerializer(reports, many=True).data)


class QuestioningViewSet(OversightViewSet):
    queryset = QuestioningSession.objects.select_related("council_session").order_by("-held_on", "-pk")
    serializer_class = QuestioningSessionSerializer
    filterset_class = QuestioningFilter

    def save_instance(self, instance, m2m):
        return services.questioning_session_save(questioning_session=instance)


class IssueGroupViewSet(OversightViewSet):
    queryset = IssueGroup.objects.order_by("questioning_session", "order")
    serializer_class = QuestioningIssueGroupSerializer

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "questioning_session")
    searchable = False
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["questioning_session"]

    def save_instance(self, instance, m2m):
        return services.issue_group_add(
            questioning_session=instance.questioning_session,
            title=instance.title,
            field=instance.field,
            order=instance.order,
        )


class RespondentViewSet(OversightViewSet):
    queryset = Respondent.objects.select_related("agency").order_by("questioning_session", "pk")
    serializer_class = RespondentSerializer

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "questioning_session")
    searchable = False
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["questioning_session", "agency", "post"]

    def perform_create(self, serializer):
        # The agency may be a lower council's (a commune chairman answering at a district
        # session): the core guard checks everything else, the service checks the agency
        # (the questioning council or one below it, and a council the user can see).
        data = dict(serializer.validated_data)
        council_id = self.council_of(data)
        guard_create(
            user=self.request.user,
            council_id=council_id,
            values={k: v for k, v in data.items() if k != "agency"},
            permission=self.write_permission(),
        )
        with transaction.atomic():
            serializer.instance = services.respondent_add(
                questioning_session=data["questioning_session"],
                official_name=data.get("official_name", ""),
                post=data.get("post", ""),
                agency=data.get("agency"),
                official_title=data.get("official_title", ""),
                user=self.request.user,
            )


class QuestionViewSet(OversightViewSet):
    queryset = Question.objects.select_related("deputy", "respondent").order_by("questioning_session", "pk")
    serializer_class = QuestionSerializer

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "questioning_session")
    searchable = False
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["questioning_session", "deputy", "respondent", "answer_mode"]
    permissions_by_action = {**OVERSIGHT, "answer": "can_change_oversight"}

    def save_instance(self, instance, m2m):
        return services.question_ask(
            questioning_session=instance.questioning_session,
            deputy=instance.deputy,
            respondent=instance.respondent,
            text=instance.text,
            issue_group=instance.issue_group,
            form=instance.form,
            answer_mode=instance.answer_mode,
            asked_on=instance.asked_on,
            requestion_of=instance.requestion_of,
        )

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def answer(self, request, pk=None):
        question = self.get_object()
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_answer(
            question=question,
            user=request.user,
            expected_version=parse_version(request.data.get("version")),
            **data.validated_data,
        )
        return Response(self.get_serializer(question).data)


class ExplanationViewSet(OversightViewSet):
    queryset = ExplanationSession.objects.select_related("agency", "body").order_by("-held_on", "-pk")
    serializer_class = ExplanationSerializer
    filterset_class = ExplanationFilter

    def save_instance(self, instance, m2m):
        return services.explanation_save(explanation=instance)


class CommitmentViewSet(AssignedMixin, OversightViewSet):
    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ["made_on", "deadline", "status", "percent"]
    permissions_by_action = {**OVERSIGHT, "progress": "can_report_oversight", "requestioning": VIEW, "updates": VIEW}

    def get_queryset(self):
        return self.scoped(
            Commitment.objects.select_related("agency", "source_type").prefetch_related("deputies", "milestones")
        ).order_by("-made_on", "-pk")

    def save_instance(self, instance, m2m):
        if instance.pk is not None:
            return services.commitment_update(
                commitment=instance, user=self.request.user, deputies=m2m.get("deputies")
            )
        return services.commitment_create(
            council=instance.council,
            agency=instance.agency,
            official_name=instance.official_name,
            official_title=instance.official_title,
            text=instance.text,
            made_on=instance.made_on,
            deadline=instance.deadline,
            deputies=m2m.get("deputies", ()),
            user=self.request.user,
            field=instance.field,
            note=instance.note,
        )

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def progress(self, request, pk=None):
        commitment = self.get_object()
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.commitment_progress_report(commitment=commitment, user=request.user, **data.validated_data)
        return Response(CommitmentUpdateSerializer(update).data, status=201)

    @action(detail=True, methods=["get"])
    def updates(self, request, pk=None):
        return Response(CommitmentUpdateSerializer(self.get_object().updates.all(), many=True).data)

    @action(detail=False, methods=["get"])
    def requestioning(self, request):
        """Commitments due for re-questioning before the next session of ?council= (required)."""
        council_id = request.query_params.get("council", "")
        if not council_id.isdigit():
            raise ValidationError({"council": [_("Give the council.")]})
        council = Council.objects.filter(pk=int(council_id)).first()
        if council is None or not sees_any(request.user, council.id):
            raise Http404
        session = queries.next_session(council)
        cutoff = session.start if session else timezone.localdate()
        qs = self.scoped(queries.commitments_due_for_requestioning(council, before=cutoff))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def sees_any(user, council_id: int) -> bool:
    access = get_access(user)
    return access.has(council_id, VIEW) or access.has(council_id, ASSIGNED)


class ConfidenceVoteViewSet(OversightViewSet):
    queryset = ConfidenceVote.objects.order_by("-held_on", "-pk")
    serializer_class = ConfidenceVoteSerializer
    filterset_fields = ["council"]

    def save_instance(self, instance, m2m):
        return services.confidence_vote_save(vote=instance)


class ConfidenceSubjectViewSet(OversightViewSet):
    queryset = ConfidenceSubject.objects.select_related("vote").order_by("vote", "order", "pk")
    serializer_class = ConfidenceSubjectSerializer

    def council_of(self, data, instance=None):
        return parent_council(data, instance, "vote")
    searchable = False
    filterset_fields = ["vote", "may_resign", "requires_formal_vote"]

    def save_instance(self, instance, m2m):
        return services.confidence_subject_save(subject=instance)


class RespondentReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports owed before a session (created from the re-questioning view)."""

    queryset = RespondentReport.objects.select_related("agency").order_by("due_date")
    serializer_class = RespondentReportSerializer
    permission_classes = CouncilScopedViewSet.permission_classes
    permissions_by_action = OVERSIGHT
    filterset_fields = ["council", "council_session", "agency"]

    def object_council_id(self, obj):
        return obj.council_id

    def get_queryset(self):
        ids = get_access(self.request.user).council_ids(VIEW)
        qs = super().get_queryset()
        return qs if ids is None else qs.filter(council_id__in=ids)


router = DefaultRouter()
router.register("programmes", ProgrammeViewSet)
router.register("topics", TopicViewSet)
router.register("activities", ActivityViewSet)
router.register("recommendations", RecommendationViewSet)
router.register("questioning-sessions", QuestioningViewSet)
router.register("issue-groups", IssueGroupViewSet)
router.register("respondents", RespondentViewSet)
router.register("questions", QuestionViewSet)
router.register("explanation-sessions", ExplanationViewSet)
router.register("commitments", CommitmentViewSet)
router.register("confidence-votes", ConfidenceVoteViewSet)
router.register("confidence-subjects", ConfidenceSubjectViewSet)
router.register("respondent-reports", RespondentReportViewSet)

urlpatterns = [path("", include(router.urls))]
