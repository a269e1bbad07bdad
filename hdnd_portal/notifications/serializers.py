from django.utils import timezone
from rest_framework import serializers

from hdnd_portal.core.deadlines import status_of
from hdnd_portal.core.models import Council, Deadline, User

from .kinds import kind_label
from .models import Notification, ScanRun


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "council", "deadline", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class DeadlineSerializer(serializers.ModelSerializer):
    app = serializers.CharField(source="content_type.app_label", read_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)
    kind_label = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    responsible_agency_name = serializers.CharField(source="responsible_agency.name", read_only=True, default=None)
    council_name = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "council",
            "council_name",
            "app",
            "model",
            "object_id",
            "kind",
            "kind_label",
            "title",
            "start_date",
            "due_date",
            "original_due_date",
            "state",
            "status",
            "responsible_user",
            "responsible_agency",
            "responsible_agency_name",
            "completed_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)

    def get_status(self, obj) -> str:
        if obj.state == Deadline.State.CANCELLED:
            return "cancelled"
        soon, long = self.context.get("thresholds", (3, 30))
        return status_of(obj.due_date, obj.state == Deadline.State.DONE, timezone.localdate(), soon, long)


class ExtensionSerializer(serializers.Serializer):
    new_due_date = serializers.DateField()
    legal_basis = serializers.CharField(max_length=300)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    is_pause = serializers.BooleanField(required=False, default=False)


class ScanRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScanRun
        fields = [
            "id",
            "today",
            "trigger",
            "started_at",
            "finished_at",
            "duration_ms",
            "candidates",
            "batches",
            "reminders",
            "escalations",
            "emails_queued",
            "emails_requeued",
            "error",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True)


class CloseOverdueSerializer(serializers.Serializer):
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.all())
    older_than = serializers.IntegerField(min_value=1, max_value=3650)
    reason = serializers.CharField(min_length=5, max_length=500)
