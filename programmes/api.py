"""API of programmes, tasks, briefings and briefing tasks. Writes go through the core base's one
guarded path (council_of + save_instance calling programmes.services); actions run the service
that checks permission and version itself."""

from django.db import transaction
from django.db.models import Q
from django.urls import include, path
from django.utils.translation import gettext as _
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import parse_version
from hdnd_portal.core.exceptions import DomainError

from . import queries, services
from .models import Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask
from .serializers import (
    BriefingSerializer,
    BriefingTaskSerializer,
    IssuedDocumentSerializer,
    ProgrammeSerializer,
    ProgrammeTaskSerializer,
    TaskDoneSerializer,
)

PERMS = {"read": queries.VIEW, "write": queries.CHANGE}


class ProgrammeViewSet(CouncilScopedViewSet):
    queryset = Programme.objects.select_related("body").prefetch_related("partner_agencies").order_by("-year", "pk")
    serializer_class = ProgrammeSerializer
    permissions_by_action = {**PERMS, "publish": queries.CHANGE}
    filterset_fields = ["council", "kind", "year", "status", "body", "is_published"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return queries.visible_programmes(get_access_of(self.request), super().get_queryset())

    def save_instance(self, instance, m2m):
        return services.programme_save(programme=instance, partner_agencies=m2m.get("partner_agencies"))

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        programme = self.get_object()
        published = request.data.get("published", True)
        if not isinstance(published, bool):
            raise DomainError(_("“published” must be true or false."), field="published")
        with transaction.atomic():
            programme = services.programme_publish(user=request.user, programme=programme, published=published,
                                                   expected_version=parse_version(request.data.get("version")))
        return Response(self.get_serializer(programme).data)


class ProgrammeTaskViewSet(CouncilScopedViewSet):
    queryset = queries.tasks(ProgrammeTask.objects.all()).order_by("programme", "position", "pk")
    serializer_class = ProgrammeTaskSerializer
    permissions_by_action = PERMS
    filterset_fields = ["council", "programme", "status", "lead_body"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        access = get_access_of(self.request)
        return super().get_queryset().filter(programme__in=queries.visible_programmes(access))

    def council_of(self, data, instance=None):
        programme = data.get("programme") or getattr(instance, "programme", None)
        return programme.council_id if programme is not None else None

    def save_instance(self, instance, m2m):
        if instance.pk and "programme" in self.request.data and instance.programme_id != instance._loaded_programme:
            raise DomainError(_("A task cannot move to another programme."), field="programme")
        return services.task_save(task=instance, links=m2m)

    def get_object(self):
        obj = super().get_object()
        obj._loaded_programme = obj.programme_id
        return obj


class BriefingViewSet(CouncilScopedViewSet):
    queryset = Briefing.objects.prefetch_related("participants", "bodies").order_by("-held_on", "pk")
    serializer_class = BriefingSerializer
    permissions_by_action = {**PERMS, "refresh_figures": queries.CHANGE}
    filterset_fields = ["council", "year", "period_kind", "scope", "status"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def save_instance(self, instance, m2m):
        return services.briefing_save(briefing=instance, participants=m2m.get("participants"), bodies=m2m.get("bodies"))

    @action(detail=True, methods=["post"], url_path="refresh-figures")
    def refresh_figures(self, request, pk=None):
        briefing = self.get_object()
        briefing = services.briefing_refresh_figures(user=request.user, briefing=briefing,
                                                     expected_version=parse_version(request.data.get("version")))
        return Response(self.get_serializer(briefing).data)


class BriefingTaskViewSet(CouncilScopedViewSet):
    queryset = BriefingTask.objects.select_related("briefing", "assignee_council").order_by("due_date", "pk")
    serializer_class = BriefingTaskSerializer
    permissions_by_action = {**PERMS, "complete": None}
    filterset_fields = ["council", "briefing", "assignee_council", "status"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped(self, queryset):
        # The assigned council sees the tasks given to it, though the briefing is its parent's.
        ids = get_access_of(self.request).visible_council_ids()
        if ids is not None:
            queryset = queryset.filter(Q(council_id__in=ids) | Q(assignee_council_id__in=ids))
        council = self.request.query_params.get("council")
        if council and council.isdigit():
            queryset = queryset.filter(council_id=int(council))
        return queryset

    def council_of(self, data, instance=None):
        briefing = data.get("briefing") or getattr(instance, "briefing", None)
        return briefing.council_id if briefing is not None else None

    def save_instance(self, instance, m2m):
        if instance.pk and instance.briefing_id != instance._loaded_briefing:
            raise DomainError(_("A task cannot move to another briefing."), field="briefing")
        return services.briefing_task_save(task=instance)

    def get_object(self):
        obj = super().get_object()
        obj._loaded_briefing = obj.briefing_id
        return obj

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The assignee council, the responsible person or the convening office reports it done."""
        task = self.get_object()
        body = TaskDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            task = services.briefing_task_complete(
                user=request.user, task=task, expected_version=parse_version(request.data.get("version")),
                completed_on=body.validated_data.get("completed_on"), result=body.validated_data.get("result", ""))
        return Response(self.get_serializer(task).data)


class IssuedDocumentViewSet(CouncilScopedViewSet):
    """The register of issued documents; the number is allocated by the service when not given."""

    queryset = IssuedDocument.objects.select_related("body").order_by("-issued_on", "-pk")
    serializer_class = IssuedDocumentSerializer
    permissions_by_action = PERMS
    filterset_fields = ["council", "body", "kind", "year"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def save_instance(self, instance, m2m):
        return services.issued_document_save(document=instance)


def get_access_of(request):
    from hdnd_portal.core.scoping import get_access

    return get_access(request.user)


router = DefaultRouter()
router.register("programmes", ProgrammeViewSet)
router.register("tasks", ProgrammeTaskViewSet)
router.register("briefings", BriefingViewSet)
router.register("briefing-tasks", BriefingTaskViewSet)
router.register("issued-documents", IssuedDocumentViewSet)

urlpatterns = [path("", include(router.urls))]
