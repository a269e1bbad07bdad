from datetime import date

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from hdnd_portal.core.api import PortalSerializer
from hdnd_portal.core.files import CheckedUploadField

from .models import ISSUED_UPLOADS, Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask
from .progress import task_progress


@extend_schema_serializer(component_name="WorkProgramme")
class ProgrammeSerializer(PortalSerializer):
    title = serializers.CharField(max_length=500)
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True)

    class Meta:
        model = Programme
        fields = ["id", "council", "body", "kind", "year", "part", "period_start", "period_end", "title", "summary",
                  "partner_agencies", "status", "document_number", "adopted_on", "signer_title", "signer_name",
                  "is_published", "published_on", "version"]
        read_only_fields = ["period_start", "period_end", "is_published", "published_on", "version"]


class ProgrammeTaskSerializer(PortalSerializer):
    title = serializers.CharField(max_length=500)
    progress = serializers.SerializerMethodField()
    completed = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeTask
        fields = ["id", "council", "programme", "position", "group", "title", "description", "lead_body",
                  "lead_agency", "lead_person", "partners", "due_date", "sessions", "activities", "voter_meetings",
                  "reports", "status", "completed_on", "result", "progress", "completed", "version"]
        read_only_fields = ["council", "version"]

    def validate(self, attrs):
        programme = attrs.get("programme") or getattr(self.instance, "programme", None)
        if programme is not None:
            attrs["council"] = programme.council
        attrs = super().validate(attrs)
        attrs.pop("council", None)
        return attrs

    def get_progress(self, obj) -> str:
        return task_progress(obj).state

    def get_completed(self, obj) -> date | None:
        return task_progress(obj).completed_on


class BriefingSerializer(PortalSerializer):
    title = serializers.CharField(max_length=500)

    class Meta:
        model = Briefing
        fields = ["id", "council", "scope", "title", "period_kind", "year", "part", "period_start", "period_end",
                  "held_on", "place", "chaired_by", "participants", "bodies", "attendees", "conclusions",
                  "notice_number", "status", "figures", "figures_at", "version"]
        read_only_fields = ["period_start", "period_end", "figures", "figures_at", "version"]


class BriefingTaskSerializer(PortalSerializer):
    title = serializers.CharField(max_length=500)

    class Meta:
        model = BriefingTask
        fields = ["id", "council", "briefing", "title", "assignee_council", "assignee_user", "due_date", "status",
                  "completed_on", "result", "version"]
        read_only_fields = ["council", "version"]


class TaskDoneSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, allow_null=True)
    result = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class IssuedDocumentSerializer(PortalSerializer):
    summary = serializers.CharField(max_length=2000)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    file = CheckedUploadField(allowed=ISSUED_UPLOADS, required=False, write_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = ["id", "council", "body", "kind", "number", "number_seq", "issuer", "year", "issued_on", "summary",
                  "signer_title", "signer_deputy", "signer_name", "file", "file_url", "version"]
        read_only_fields = ["number_seq", "issuer", "year", "version"]

    def get_file_url(self, obj) -> str | None:
        """Files leave through the permission-checked view, never the public /media/ URL."""
        return reverse("programmes:issued_file", args=[obj.pk]) if obj.file else None
