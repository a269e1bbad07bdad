from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from hdnd_portal.core.models import Council

from .models import Report


class ReportSerializer(serializers.ModelSerializer):
    downloads = serializers.SerializerMethodField()
    council_name = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "council",
            "council_name",
            "kind",
            "period_start",
            "period_end",
            "include_below",
            "number",
            "issued_on",
            "title",
            "status",
            "progress",
            "step",
            "error",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "figures_seconds",
            "render_seconds",
            "downloads",
            "version",
        ]
        read_only_fields = fields

    def get_downloads(self, obj) -> dict:
        if obj.status != Report.Status.DONE:
            return {}
        request = self.context.get("request")
        urls = {}
        for fmt in ("pdf", "xlsx", "docx"):
            if obj.file_for(fmt):
                url = reverse("reports-api:report-download", args=[obj.pk, fmt])
                urls[fmt] = request.build_absolute_uri(url) if request else url
        return urls


class ReportRequestSerializer(serializers.Serializer):
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    include_below = serializers.BooleanField(default=True)
    signer_name = serializers.CharField(required=False, allow_blank=True, default="")
    recipients = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": [_("The end of the period cannot be before its start.")]})
        return attrs


class ReportFiguresSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "number", "figures", "narrative"]
        read_only_fields = fields
