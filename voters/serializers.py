from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer, PrimaryKeyRelatedField
from hdnd_portal.core.files import CheckedUploadField
from hdnd_portal.core.models import Agency, Body, Deputy

from .models import MINUTES_UPLOADS, RESPONSE_UPLOADS, TEXT_MAX, ForwardingLetter, Petition, VoterMeeting


def _download(obj, field: str, url_name: str) -> str | None:
    """Files leave through the permission-checked download views, never the public /media/ URL."""
    return reverse(url_name, args=[obj.pk]) if getattr(obj, field) else None


class MeetingSerializer(PortalSerializer):
    minutes = CheckedUploadField(allowed=MINUTES_UPLOADS, required=False, write_only=True)
    minutes_url = serializers.SerializerMethodField()

    class Meta:
        model = VoterMeeting
        fields = [
            "id",
            "council",
            "kind",
            "title",
            "session",
            "field",
            "date",
            "group",
            "deputies",
            "commune",
            "place",
            "voter_count",
            "minutes",
            "minutes_url",
            "notes",
            "outside_constituency",
            "outside_requested_on",
            "outside_decision_due",
            "outside_approved_on",
            "outside_notice_due",
            "outside_notice_on",
            "version",
        ]
        read_only_fields = ["outside_decision_due", "outside_notice_due", "version"]

    def get_minutes_url(self, obj) -> str | None:
        return _download(obj, "minutes", "voters:meeting_minutes")

    def validate(self, attrs):
        deputies = attrs.pop("deputies", None)
        attrs = super().validate(attrs)
        council = attrs.get("council") or getattr(self.instance, "council", None)
        if deputies is not None:
            if council and any(d.council_id != council.id for d in deputies):
                raise serializers.ValidationError({"deputies": [_("This record belongs to another council.")]})
            attrs["deputies"] = deputies
        return attrs


class PetitionSerializer(PortalSerializer):
    meetings = PrimaryKeyRelatedField(many=True, queryset=VoterMeeting.objects.all(), required=False)
    source_count = serializers.IntegerField(source="n_sources", read_only=True)
    # Absent: the service takes the earliest source meeting's date (or today).
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    response_document_url = serializers.SerializerMethodField()
    letter_url = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "council",
            "content",
            "kind",
            "field",
            "locality",
            "level",
            "committee",
            "meetings",
            "deputies",
            "received_on",
            "is_urgent",
            "is_public",
            "status",
            "agency",
            "letter",
            "forwarded_on",
            "forwarding_number",
            "response_due",
            "response_text",
            "response_number",
            "response_date",
            "response_by",
            "response_document_url",
            "letter_url",
            "roadmap",
            "target_date",
            "evaluation",
            "needs_follow_up",
            "evaluation_note",
            "evaluated_by",
            "evaluated_on",
            "merged_into",
            "source_count",
            "version",
        ]
        read_only_fields = [
            "status",
            "agency",
            "letter",
            "forwarded_on",
            "forwarding_number",
            "response_due",
            "response_text",
            "response_number",
            "response_date",
            "response_by",
            "roadmap",
            "target_date",
            "evaluation",
            "needs_follow_up",
            "evaluation_note",
            "evaluated_by",
            "evaluated_on",
            "merged_into",
            "version",
        ]

    def get_response_document_url(self, obj) -> str | None:
        return _download(obj, "response_document", "voters:petition_response_document")

    def get_letter_url(self, obj) -> str | None:
        return reverse("voters:letter_pdf", args=[obj.letter_id]) if obj.letter_id else None

    def validate(self, attrs):
        if attrs.get("received_on", "") is None and self.instance is not None:
            attrs.pop("received_on")  # an update without a date keeps the petition's date
        many = {k: attrs.pop(k) for k in ("meetings", "deputies") if k in attrs}
        attrs = super().validate(attrs)
        council = attrs.get("council") or getattr(self.instance, "council", None)
        for name, values in many.items():
            if council and any(v.council_id != council.id for v in values):
                raise serializers.ValidationError({name: [_("This record belongs to another council.")]})
        attrs.update(many)
        return attrs


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2_147_483_647)


class ForwardSerializer(serializers.Serializer):
    council = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    petitions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647), allow_empty=False, max_length=5000
    )
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    on = serializers.DateField(required=False)
    signer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class AnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in Petition.Status.values if s in Petition.ANSWERED])
    response_text = serializers.CharField(allow_blank=True, required=False, default="", max_length=TEXT_MAX)
    response_date = serializers.DateField()
    response_by = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    response_number = serializers.CharField(allow_blank=True, required=False, default="", max_length=60)
    roadmap = serializers.CharField(allow_blank=True, required=False, default="", max_length=TEXT_MAX)
    target_date = serializers.DateField(required=False, allow_null=True, default=None)
    document = CheckedUploadField(allowed=RESPONSE_UPLOADS, required=False, allow_null=True, default=None)


class EvaluateSerializer(serializers.Serializer):
    evaluation = serializers.ChoiceField(choices=["satisfactory", "unsatisfactory"])
    needs_follow_up = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=TEXT_MAX)
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), required=False, allow_null=True, default=None
    )
    on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(component_name="ForwardingLetter")
class LetterSerializer(serializers.ModelSerializer):
    petitions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = ForwardingLetter
        fields = ["id", "council", "agency", "number", "sequence", "date", "signer_name", "file_url", "petitions"]

    def get_file_url(self, obj) -> str | None:
        return _download(obj, "file", "voters:letter_pdf")


__all__ = [
    "MeetingSerializer",
    "PetitionSerializer",
    "MergeSerializer",
    "ForwardSerializer",
    "AnswerSerializer",
    "EvaluateSerializer",
    "LetterSerializer",
    "Deputy",
]
