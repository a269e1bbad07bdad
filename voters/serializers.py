from django.utils.translation import gettext as _
from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer
from hdnd_portal.core.models import Agency, Body, Deputy

from .models import ForwardingLetter, Petition, VoterMeeting


class MeetingSerializer(PortalSerializer):
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
            "notes",
            "outside_constituency",
            "outside_requested_on",
            "outside_decision_due",
            "outside_approved_on",
            "outside_notice_due",
            "outside_notice_on",
            "version",
        ]
        read_only_fields = ["minutes", "outside_decision_due", "outside_notice_due", "version"]

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
    meetings = serializers.PrimaryKeyRelatedField(many=True, queryset=VoterMeeting.objects.all(), required=False)
    source_count = serializers.IntegerField(source="n_sources", read_only=True)

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

    def validate(self, attrs):
        many = {k: attrs.pop(k) for k in ("meetings", "deputies") if k in attrs}
        attrs = super().validate(attrs)
        council = attrs.get("council") or getattr(self.instance, "council", None)
        for name, values in many.items():
            if council and any(v.council_id != council.id for v in values):
                raise serializers.ValidationError({name: [_("This record belongs to another council.")]})
        attrs.update(many)
        return attrs


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1)


class ForwardSerializer(serializers.Serializer):
    council = serializers.IntegerField()
    petitions = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    on = serializers.DateField(required=False)
    signer_name = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in Petition.Status.values if s in Petition.ANSWERED])
    response_text = serializers.CharField(allow_blank=True, required=False, default="")
    response_date = serializers.DateField()
    response_by = serializers.CharField(allow_blank=True, required=False, default="")
    response_number = serializers.CharField(allow_blank=True, required=False, default="")
    roadmap = serializers.CharField(allow_blank=True, required=False, default="")
    target_date = serializers.DateField(required=False, allow_null=True, default=None)


class EvaluateSerializer(serializers.Serializer):
    evaluation = serializers.ChoiceField(choices=["satisfactory", "unsatisfactory"])
    needs_follow_up = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(allow_blank=True, required=False, default="")
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), required=False, allow_null=True, default=None
    )
    on = serializers.DateField(required=False, allow_null=True, default=None)


class LetterSerializer(serializers.ModelSerializer):
    petitions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ForwardingLetter
        fields = ["id", "council", "agency", "number", "sequence", "date", "signer_name", "file", "petitions"]


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
