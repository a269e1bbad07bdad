"""API serializers. Writes go through the services (see api.py); these validate shapes and
that related records belong to the record's council (PortalSerializer)."""

from django.utils import timezone
from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer
from hdnd_portal.core.files import CheckedUploadField

from .models import (
    Commitment,
    CommitmentMilestone,
    CommitmentUpdate,
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
from .services.common import DOCUMENTS, EVIDENCE
from .services.confidence import percent

LONG_TEXT = 10_000

READ_ONLY = ["version", "created_at", "updated_at"]


class ProgrammeSerializer(PortalSerializer):
    planned = serializers.IntegerField(read_only=True)
    done = serializers.IntegerField(read_only=True)

    class Meta:
        model = OversightProgramme
        fields = [
            "id",
            "council",
            "year",
            "title",
            "resolution",
            "resolution_number",
            "resolution_date",
            "note",
            "planned",
            "done",
            *READ_ONLY,
        ]
        read_only_fields = READ_ONLY
        # DRF's generated unique-together check answers in its own words without a field; the
        # service (and the constraint's message) say it beside "year" instead.
        validators = []


class TopicSerializer(PortalSerializer):
    class Meta:
        model = PlannedTopic
        fields = [
            "id",
            "council",
            "programme",
            "topic",
            "conducting_level",
            "body",
            "kind",
            "field",
            "period_start",
            "period_end",
            *READ_ONLY,
        ]
        read_only_fields = ["council", *READ_ONLY]


class ActivitySerializer(PortalSerializer):
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = OversightActivity
        fields = [
            "id",
            "council",
            "programme",
            "planned_topic",
            "conducting_level",
            "body",
            "lead_deputy",
            "kind",
            "follows",
            "topic",
            "field",
            "agencies",
            "supervised_units",
            "start_date",
            "end_date",
            "team_deputies",
            "team_staff",
            "plan_number",
            "plan_sent_on",
            "programme_number",
            "programme_sent_on",
            "report_number",
            "report_date",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
            "status",
            "recommendation_count",
            *READ_ONLY,
        ]
        read_only_fields = READ_ONLY


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecommendationReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = RecommendationReport
        fields = [
            "id",
            "recommendation",
            "reported_on",
            "status",
            "text",
            "document_number",
            "on_behalf",
            "posted_by",
            "evidence",
            "created_at",
        ]
        read_only_fields = fields


class RecommendationSerializer(PortalSerializer):
    overdue = serializers.SerializerMethodField()
    deadline = serializers.DateField(required=False, allow_null=True)
    issued_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "council",
            "activity",
            "agency",
            "field",
            "text",
            "issued_on",
            "is_complex",
            "deadline",
            "status",
            "done_on",
            "overdue",
            "evaluation",
            "evaluation_note",
            "evaluated_on",
            "needs_follow_up",
            *READ_ONLY,
        ]
        read_only_fields = ["council", "status", "done_on", "evaluation", "evaluation_note", "evaluated_on", *READ_ONLY]

    def get_overdue(self, obj) -> bool:
        if hasattr(obj, "overdue"):
            return bool(obj.overdue)
        return obj.is_overdue(timezone.localdate())


class ReportInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Recommendation.Status.choices)
    text = serializers.CharField(max_length=LONG_TEXT)
    reported_on = serializers.DateField(required=False, allow_null=True)
    document_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    on_behalf = serializers.BooleanField(required=False, default=False)
    evidence = CheckedUploadField(required=False, allow_null=True, allowed=EVIDENCE)


class EvaluationInputSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=LONG_TEXT)
    needs_follow_up = serializers.BooleanField(required=False, allow_null=True, default=None)


class QuestioningSessionSerializer(PortalSerializer):
    class Meta:
        model = QuestioningSession
        fields = [
            "id",
            "council",
            "venue",
            "council_session",
            "title",
            "held_on",
            "status",
            "conclusion_kind",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
            *READ_ONLY,
        ]
        read_only_fields = READ_ONLY


class QuestioningIssueGroupSerializer(PortalSerializer):
    class Meta:
        model = IssueGroup
        fields = ["id", "council", "questioning_session", "title", "field", "order", *READ_ONLY]
        read_only_fields = ["council", *READ_ONLY]


class RespondentSerializer(PortalSerializer):
    class Meta:
        model = Respondent
        fields = [
            "id",
            "council",
            "questioning_session",
            "official_name",
            "post",
            "official_title",
            "agency",
            *READ_ONLY,
        ]
        read_only_fields = ["council", *READ_ONLY]


class QuestionSerializer(PortalSerializer):
    asked_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "council",
            "questioning_session",
            "issue_group",
            "deputy",
            "respondent",
            "form",
            "text",
            "asked_on",
            "answer_mode",
            "written_due",
            "answer_text",
            "answered_on",
            "requestion_of",
            *READ_ONLY,
        ]
        read_only_fields = ["council", "written_due", "answer_text", "answered_on", *READ_ONLY]


class AnswerInputSerializer(serializers.Serializer):
    answer_text = serializers.CharField(max_length=LONG_TEXT)
    answered_on = serializers.DateField(required=False, allow_null=True)
    answer_mode = serializers.ChoiceField(choices=Question.AnswerMode.choices, required=False)
    answer_file = CheckedUploadField(required=False, allow_null=True, allowed=DOCUMENTS)


class ExplanationSerializer(PortalSerializer):
    class Meta:
        model = ExplanationSession
        fields = [
            "id",
            "council",
            "body",
            "topic",
            "field",
            "agency",
            "officials",
            "held_on",
            "notice_sent_on",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
            *READ_ONLY,
        ]
        read_only_fields = READ_ONLY


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentMilestone
        fields = ["id", "title", "due_date", "done_on"]


class CommitmentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentUpdate
        fields = ["id", "reported_on", "percent", "status", "text", "created_by", "created_at"]
        read_only_fields = fields


class CommitmentSerializer(PortalSerializer):
    source_type = serializers.SlugRelatedField(slug_field="model", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "council",
            "agency",
            "official_name",
            "official_title",
            "text",
            "made_on",
            "deadline",
            "status",
            "percent",
            "completed_on",
            "field",
            "source_type",
            "source_id",
            "deputies",
            "note",
            "milestones",
            "late",
            *READ_ONLY,
        ]
        read_only_fields = ["status", "percent", "completed_on", "source_id", *READ_ONLY]

    def get_late(self, obj) -> bool:
        return obj.is_late(timezone.localdate())


class ProgressInputSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    status = serializers.ChoiceField(choices=Commitment.Status.choices)
    text = serializers.CharField(max_length=LONG_TEXT)
    reported_on = serializers.DateField(required=False, allow_null=True)
    document = CheckedUploadField(required=False, allow_null=True, allowed=DOCUMENTS)


class ConfidenceSubjectSerializer(PortalSerializer):
    high_percent = serializers.SerializerMethodField()
    confidence_percent = serializers.SerializerMethodField()
    low_percent = serializers.SerializerMethodField()

    class Meta:
        model = ConfidenceSubject
        fields = [
            "id",
            "council",
            "vote",
            "order",
            "full_name",
            "post",
            "deputy",
            "appointed_on",
            "valid_ballots",
            "high",
            "confidence",
            "low",
            "high_percent",
            "confidence_percent",
            "low_percent",
            "resigned",
            "may_resign",
            "requires_formal_vote",
            "requires_dismissal",
            "formal_result",
            *READ_ONLY,
        ]
        read_only_fields = ["council", "may_resign", "requires_formal_vote", "requires_dismissal", *READ_ONLY]

    def get_high_percent(self, obj) -> float:
        return percent(obj.high, obj.vote.total_deputies)

    def get_confidence_percent(self, obj) -> float:
        return percent(obj.confidence, obj.vote.total_deputies)

    def get_low_percent(self, obj) -> float:
        return percent(obj.low, obj.vote.total_deputies)


class ConfidenceVoteSerializer(PortalSerializer):
    class Meta:
        model = ConfidenceVote
        fields = [
            "id",
            "council",
            "council_session",
            "title",
            "held_on",
            "total_deputies",
            "ballots_issued",
            "ballots_returned",
            "resolution_number",
            *READ_ONLY,
        ]
        read_only_fields = [*READ_ONLY, "total_deputies"]


class RespondentReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = RespondentReport
        fields = ["id", "council", "council_session", "agency", "official_name", "due_date", "received_on"]
        read_only_fields = fields
