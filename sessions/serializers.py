from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer
from hdnd_portal.core.files import CheckedUploadField

from .models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    DocumentVersion,
    IssueGroup,
    Poll,
    Resolution,
    SessionDocument,
    Threshold,
    Verification,
    Vote,
)


class SessionSerializer(PortalSerializer):
    class Meta:
        model = CouncilSession
        fields = [
            "id",
            "council",
            "term",
            "number",
            "kind",
            "title",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "venue",
            "is_public",
            "is_paperless",
            "status",
            "notice_number",
            "notice_date",
            "notice_text",
            "version",
        ]
        read_only_fields = ["status", "version"]


class IssueGroupSerializer(PortalSerializer):
    class Meta:
        model = IssueGroup
        fields = ["id", "council", "session", "title", "position", "version"]
        read_only_fields = ["council", "position", "version"]


class AgendaItemSerializer(PortalSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "council",
            "session",
            "group",
            "position",
            "title",
            "description",
            "presenter_agency",
            "presenter_name",
            "expected_minutes",
            "proposes_resolution",
            "resolution_title",
            "resolution_kind",
            "field",
            "threshold",
            "version",
        ]
        read_only_fields = ["council", "position", "version"]


class DocumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = ["number", "original_name", "size", "note", "uploaded_at", "superseded_at"]


class DocumentSerializer(PortalSerializer):
    # The one upload validator (extension, signature, size), as on the pages.
    file = CheckedUploadField(write_only=True, required=False)
    note = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=255)
    versions = DocumentVersionSerializer(many=True, read_only=True)
    is_read = serializers.BooleanField(read_only=True, required=False)
    shown_number = serializers.CharField(read_only=True)

    class Meta:
        model = SessionDocument
        fields = [
            "id",
            "council",
            "session",
            "agenda_item",
            "kind",
            "title",
            "issuer",
            "number",
            "external_number",
            "external_date",
            "shown_number",
            "doc_date",
            "visibility",
            "sent_at",
            "current_version",
            "versions",
            "file",
            "note",
            "is_read",
            "version",
        ]
        read_only_fields = ["council", "number", "sent_at", "current_version", "version"]


class VerificationSerializer(PortalSerializer):
    class Meta:
        model = Verification
        fields = [
            "id",
            "council",
            "session",
            "submission",
            "committee",
            "status",
            "assigned_on",
            "due_date",
            "report",
            "conclusion",
            "completed_on",
            "version",
        ]
        read_only_fields = ["council", "session", "due_date", "version"]


class QuorumConfirmFields(serializers.Serializer):
    """Sent with a vote or an adoption when the day's attendance shows no quorum (see
    sessions.services.quorum.check_quorum): an explicit confirmation and its reason."""

    confirm_without_quorum = serializers.BooleanField(write_only=True, required=False, default=False)
    quorum_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500, default=""
    )


class VoteSerializer(QuorumConfirmFields, PortalSerializer):
    # Not sent: the agenda item's threshold (the service decides).
    threshold = serializers.ChoiceField(choices=Threshold.choices, required=False, allow_null=True, default=None)
    quorum_met = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "council",
            "session",
            "agenda_item",
            "method",
            "threshold",
            "voted_on",
            "total_deputies",
            "participants",
            "yes",
            "no",
            "not_voting",
            "required_yes",
            "passed",
            "is_electronic",
            "present_deputies",
            "quorum_required",
            "quorum_met",
            "quorum_override_reason",
            "confirm_without_quorum",
            "quorum_reason",
        ]
        read_only_fields = [
            "council",
            "session",
            "total_deputies",
            "required_yes",
            "passed",
            "is_electronic",
            "present_deputies",
            "quorum_required",
            "quorum_override_reason",
        ]
        extra_kwargs = {"participants": {"required": False}}


class ResolutionSerializer(QuorumConfirmFields, PortalSerializer):
    vote = VoteSerializer(read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "council",
            "session",
            "agenda_item",
            "draft",
            "vote",
            "number",
            "year",
            "is_normative",
            "kind",
            "title",
            "field",
            "adopted_on",
            "effective_on",
            "responsible_agency",
            "implementation_status",
            "implementation_note",
            "is_published",
            "quorum_override_reason",
            "confirm_without_quorum",
            "quorum_reason",
            "version",
        ]
        read_only_fields = ["number", "year", "is_normative", "vote", "quorum_override_reason", "version"]


class PollSerializer(QuorumConfirmFields, PortalSerializer):
    """Counts through services.poll_counts: a secret poll's choices are null while it is open.
    Opening carries the quorum confirmation (confirm_without_quorum, quorum_reason) when the
    day's attendance shows no quorum; the figures judged at opening are read back."""

    voted_count = serializers.SerializerMethodField()
    yes_count = serializers.SerializerMethodField()
    no_count = serializers.SerializerMethodField()
    not_voting_count = serializers.SerializerMethodField()
    counts_hidden = serializers.BooleanField(read_only=True)
    quorum_met = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Poll
        fields = [
            "id",
            "council",
            "session",
            "agenda_item",
            "method",
            "threshold",
            "state",
            "opened_at",
            "closed_at",
            "voted_count",
            "yes_count",
            "no_count",
            "not_voting_count",
            "counts_hidden",
            "entitled_count",
            "vote",
            "present_deputies",
            "quorum_total",
            "quorum_required",
            "quorum_met",
            "quorum_override_reason",
            "confirm_without_quorum",
            "quorum_reason",
        ]
        read_only_fields = [
            f for f in fields if f not in ("agenda_item", "method", "confirm_without_quorum", "quorum_reason")
        ]

    def _counts(self, poll) -> dict:
        from .services import poll_counts

        cache = self.context.setdefault("_poll_counts", {})
        if poll.pk not in cache:
            cache[poll.pk] = poll_counts(poll)
        return cache[poll.pk]

    def get_voted_count(self, poll) -> int | None:
        return self._counts(poll)["voted"]

    def get_yes_count(self, poll) -> int | None:
        return self._counts(poll)["yes"]

    def get_no_count(self, poll) -> int | None:
        return self._counts(poll)["no"]

    def get_not_voting_count(self, poll) -> int | None:
        return self._counts(poll)["not_voting"]


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "day", "deputy", "status", "reason"]
