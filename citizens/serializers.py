"""API serializers. People (visitors, senders) are written in and read back through one nested
serializer; a protected identity is replaced by the redaction mark unless the view passed
`disclose=True` in the context (a retrieve by a holder of the permission, which is logged)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer
from hdnd_portal.core.files import CheckedUploadField
from hdnd_portal.core.prefetch import rows_of
from hdnd_portal.core.rules import RuleMissing

from . import identity
from .deadlines import SETTLEMENT_MONITOR, deadlines_of
from .models import Case, IdentityViewLog, Letter, ReceptionDay, ReceptionSchedule, Visit
from .models.choices import Kind
from .services.settlement import extensions_allowed, second_round_window

MAX_ID = 2_147_483_647


class PeopleListSerializer(serializers.ListSerializer):
    """A letter's senders or a visit's citizens as the reader may see them (_people below): read
    from the record, so that the redaction is decided once for all of its people."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, record):
        return _people(record, rows_of(record, self.source), self.context)


class PersonSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    is_representative = serializers.BooleanField(required=False, default=False)

    class Meta:
        list_serializer_class = PeopleListSerializer


# One reader for every person of a list: a serializer instance deep-copies its declared fields when
# first used, which cost more than a person's six values when each sender of fifty letters got its
# own. Its fields read nothing but the person (no request, no context), so one instance serves all.
_PERSON_READER = PersonSerializer()


def _people(record, people, context) -> list[dict]:
    if record.is_protected and not context.get("disclose"):
        return [identity.redacted_person(p) for p in people]
    return [_PERSON_READER.to_representation(p) for p in people]


class ScheduleSerializer(PortalSerializer):
    class Meta:
        model = ReceptionSchedule
        fields = [
            "id",
            "council",
            "title",
            "receiver_kind",
            "body",
            "receivers",
            "location",
            "sessions_per_month",
            "weekday",
            "weeks",
            "start_time",
            "end_time",
            "valid_from",
            "valid_to",
            "is_published",
            "published_at",
            "note",
            "version",
        ]
        read_only_fields = ["is_published", "published_at", "version"]
        extra_kwargs = {"sessions_per_month": {"required": False}}


class DaySerializer(PortalSerializer):
    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "council",
            "schedule",
            "date",
            "start_time",
            "location",
            "receivers",
            "status",
            "cancel_reason",
            "note",
            "version",
        ]
        read_only_fields = ["status", "cancel_reason", "version"]


class VisitSerializer(PortalSerializer):
    citizens = PersonSerializer(many=True, required=False)
    visitors = serializers.SerializerMethodField()
    new_case_title = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=300)

    class Meta:
        model = Visit
        fields = [
            "id",
            "council",
            "day",
            "sequence",
            "date",
            "kind",
            "is_group",
            "citizen_count",
            "citizens",
            "visitors",
            "case",
            "new_case_title",
            "field",
            "content",
            "requests",
            "handling",
            "outcome",
            "refusal_reason",
            "forwarded_to",
            "answer",
            "answered_on",
            "answer_due",
            "identity_protected",
            "protection_lifted_at",
            "version",
        ]
        read_only_fields = ["council", "sequence", "date", "is_group", "answer", "answered_on", "answer_due", "version"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        day = attrs.get("day")
        if self.instance is not None and day is not None and day.pk != self.instance.day_id:
            raise serializers.ValidationError({"day": [_("A visit cannot be moved to another reception day.")]})
        return attrs

    def get_visitors(self, visit) -> str:
        return identity.visitor_summary(visit)


class CaseSerializer(PortalSerializer):
    visit_count = serializers.IntegerField(read_only=True)
    letter_count = serializers.IntegerField(read_only=True)
    citizen_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "council",
            "code",
            "title",
            "kind",
            "field",
            "opened_on",
            "status",
            "summary",
            "visit_count",
            "letter_count",
            "citizen_total",
            "version",
        ]
        read_only_fields = ["code", "version"]


class LetterSerializer(PortalSerializer):
    senders = PersonSerializer(many=True, required=False)
    sender_summary = serializers.SerializerMethodField()
    next_due = serializers.DateField(read_only=True)
    monitoring = serializers.SerializerMethodField()
    second_round_until = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "council",
            "register_number",
            "register_year",
            "received_on",
            "letter_date",
            "channel",
            "forwarded_by_deputy",
            "forwarded_by_agency",
            "kind",
            "field",
            "subject",
            "content",
            "respondent_agency",
            "respondent_person",
            "signer_count",
            "is_multi_signer",
            "is_anonymous",
            "is_signed",
            "has_address",
            "decision_known_on",
            "has_clear_evidence",
            "is_eligible",
            "eligibility_issues",
            "senders",
            "sender_summary",
            "case",
            "visit",
            "split_from",
            "duplicate_of",
            "status",
            "decision",
            "decided_on",
            "decision_note",
            "forwarded_to",
            "forward_doc_number",
            "for_inspection",
            "complexity",
            "remote_area",
            "round",
            "accepted_on",
            "result_kind",
            "result_date",
            "result_summary",
            "reported_on",
            "citizen_notified_on",
            "next_due",
            "monitoring",
            "second_round_until",
            "identity_protected",
            "protection_lifted_at",
            "version",
        ]
        read_only_fields = [
            "register_number",
            "register_year",
            "is_multi_signer",
            "is_eligible",
            "eligibility_issues",
            "split_from",
            "duplicate_of",
            "status",
            "decision",
            "decided_on",
            "decision_note",
            "forwarded_to",
            "forward_doc_number",
            "for_inspection",
            "complexity",
            "remote_area",
            "round",
            "accepted_on",
            "result_kind",
            "result_date",
            "result_summary",
            "reported_on",
            "citizen_notified_on",
            "version",
        ]
        extra_kwargs = {"kind": {"required": True, "allow_blank": False}, "signer_count": {"required": False}}

    def get_sender_summary(self, letter) -> str:
        return identity.sender_summary(letter)

    def _single(self) -> bool:
        # Computed for one letter (detail and action answers), not for every row of a list.
        return not isinstance(self.parent, serializers.ListSerializer)

    def get_monitoring(self, letter) -> dict | None:
        """The office's monitoring of the competent agency's settlement (theo dõi, đôn đốc)."""
        if not self._single() or letter.decision != Letter.Decision.FORWARD:
            return None
        deadline = next((d for d in deadlines_of(letter) if d.kind == SETTLEMENT_MONITOR), None)
        if deadline is None:
            return None
        return {
            "agency": letter.forwarded_to_id,
            "state": deadline.state,
            "start_date": deadline.start_date,
            "due_date": deadline.due_date,
            "original_due_date": deadline.original_due_date,
            "extensions": sum(1 for e in deadline.extensions.all() if not e.is_pause),
            "extensions_allowed": extensions_allowed(letter, letter.accepted_on or letter.decided_on)
            if letter.kind == Kind.DENUNCIATION else None,
            "rule": deadline.rule.code if deadline.rule else None,
            "citation": deadline.rule.citation if deadline.rule else "",
        }

    def get_second_round_until(self, letter):
        """Last day for a second-round complaint (first-round complaints with a result)."""
        if not self._single():
            return None
        try:
            window = second_round_window(letter)
        except RuleMissing:
            return None
        return window[0] if window else None


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Letter.Decision.choices)
    decided_on = serializers.DateField()
    forwarded_to = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    complexity = serializers.ChoiceField(choices=Letter.Complexity.choices, required=False)
    remote_area = serializers.BooleanField(required=False)


class AcceptSerializer(serializers.Serializer):
    """Left out, complexity, area and round keep the letter's (recorded when it was forwarded)."""

    accepted_on = serializers.DateField()
    complexity = serializers.ChoiceField(choices=Letter.Complexity.choices, required=False)
    remote_area = serializers.BooleanField(required=False)
    round = serializers.ChoiceField(choices=[1, 2], required=False)


class ExtendSerializer(serializers.Serializer):
    kind = serializers.CharField(default="citizens.denunciation_resolve", max_length=60)
    legal_basis = serializers.CharField(allow_blank=True, max_length=300)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    is_pause = serializers.BooleanField(default=False)
    new_due_date = serializers.DateField(required=False, allow_null=True)


class ResultSerializer(serializers.Serializer):
    result_kind = serializers.ChoiceField(choices=Letter.ResultKind.choices)
    result_date = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    reported_on = serializers.DateField(required=False, allow_null=True)


class DateSerializer(serializers.Serializer):
    on = serializers.DateField()


class SplitPartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


class SplitSerializer(serializers.Serializer):
    parts = SplitPartSerializer(many=True, min_length=2, max_length=len(Kind.values))


class DuplicateSerializer(serializers.Serializer):
    original = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Visit.Answer.choices)
    answered_on = serializers.DateField()


class IdentityLogSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    register_number = serializers.CharField(source="letter.register_number", read_only=True, default=None)

    class Meta:
        model = IdentityViewLog
        fields = [
            "id",
            "council",
            "user",
            "username",
            "letter",
            "register_number",
            "visit",
            "via",
            "reason",
            "ip_address",
            "viewed_at",
        ]


class PeriodInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class VersionInput(serializers.Serializer):
    """An action with nothing to give but the version the record was read at."""

    version = serializers.IntegerField(help_text=_("The version the record was read at."))


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class ScanInput(serializers.Serializer):
    """A scan of a letter, through the one upload validator (extension, signature, size)."""

    file = CheckedUploadField(allowed=(".pdf", ".jpg", ".jpeg", ".png"))
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
