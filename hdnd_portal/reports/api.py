"""API: request a report, follow its progress, download it (permission re-checked), read its
figures. Scoping and permissions through core.api (the page side is core.views.mixins)."""

from django.http import FileResponse, Http404
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.scoping import get_access

from . import services
from .models import Report
from .serializers import ReportFiguresSerializer, ReportRequestSerializer, ReportSerializer
from .views import FORMATS


class ReportViewSet(CouncilScopedViewSet):
    http_method_names = ["get", "post", "head", "options"]  # reports are never edited or deleted here
    queryset = Report.objects.select_related("council").defer("figures", "narrative").order_by("-requested_at", "-pk")
    serializer_class = ReportSerializer
    permissions_by_action = {
        "list": "can_view_report",
        "retrieve": "can_view_report",
        "progress": "can_view_report",
        "download": "can_view_report",
        "figures": "can_view_report",
        "create": "can_request_report",
        "regenerate": "can_view_report",
    }
    filterset_fields = ["kind", "status", "council"]
    ordering_fields = ["requested_at", "period_start", "number_seq"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "figures":
            qs = Report.objects.select_related("council").filter(pk__in=qs.values("pk"))
        return qs

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportSerializer, 200: ReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        council = data["council"]
        access = get_access(request.user)
        visible = access.visible_council_ids()
        if visible is not None and council.id not in visible:
            # A council the user cannot read at all: refused as if it did not exist.
            return Response({"council": [_("Choose a council you may read.")]}, status=status.HTTP_400_BAD_REQUEST)
        allowed = services.requestable_council_ids(request.user)
        if allowed is not None and council.id not in allowed:
            raise PermissionDenied(_("You may not request a report for this council."))
        report, created = services.report_request(user=request.user, **data)
        body = ReportSerializer(report, context={"request": request}).data
        body["created"] = created
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @action(detail=True)
    def progress(self, request, pk=None):
        report = self.get_object()
        return Response(
            {
                "id": report.pk,
                "status": report.status,
                "progress": report.progress,
                "step": report.step,
                "error": report.error,
            }
        )

    @action(detail=True)
    def figures(self, request, pk=None):
        return Response(ReportFiguresSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        report = self.get_object()
        if not services.may_change(get_access(request.user), report):
            raise PermissionDenied(_("You may not regenerate this report."))
        services.report_regenerate(report=report, reset_narrative=bool(request.data.get("reset_narrative")))
        report.refresh_from_db()
        return Response(ReportSerializer(report, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, url_path="download/(?P<fmt>pdf|xlsx|docx)")
    def download(self, request, pk=None, fmt=None):
        report = self.get_object()  # re-checks can_view_report on the report's council
        field = report.file_for(fmt)
        if report.status != Report.Status.DONE or not field:
            raise Http404
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=f"{report.number.replace('/', '-')}.{fmt}", content_type=FORMATS[fmt]
        )


router = DefaultRouter()
router.register("reports", ReportViewSet, basename="report")

app_name = "reports-api"
urlpatterns = [path("", include(router.urls))]
