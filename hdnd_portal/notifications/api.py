"""API under /api/notifications/: the user's notifications (list, mark read one / all), the
deadlines that concern the user or their council ("my deadlines"), extensions, scan runs.

Scoping follows core.api: a deadline of a council the user cannot see (and not theirs) is 404;
a visible one without the permission is 403."""

from django.db.models import Q
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.deadlines import deadline_assign, deadline_close_overdue, thresholds
from hdnd_portal.core.models import Deadline
from hdnd_portal.core.scoping import get_access

from . import services
from .filters import DeadlineFilter, NotificationFilter
from .models import Notification, ScanRun
from .queries import deadline_list_queryset, is_mine, mine_q, search_deadlines
from .serializers import (
    AssignSerializer,
    CloseOverdueSerializer,
    DeadlineSerializer,
    ExtensionSerializer,
    NotificationSerializer,
    ScanRunSerializer,
)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Only the requesting user's notifications exist here; ?unread=true, ?kind=…"""

    queryset = Notification.objects.none()  # the schema's model; get_queryset() gives the user's own
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        services.notification_mark_read(user=request.user, notification_id=note.pk)
        note.refresh_from_db()
        return Response(self.get_serializer(note).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})

    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().filter(read_at__isnull=True).count()})


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """My deadlines: ?scope=mine (default: mine and, where the user may see them, the council's)
    ?scope=council, ?council=ID, ?status=open|due_soon|overdue|long_overdue|done|cancelled|all,
    ?app=, ?kind=, ?responsible_agency=, ?due_from=, ?due_to= (dd/mm/yyyy or ISO), ?q= (words of the
    title or the agency's name, without accents, as on the page)."""

    queryset = Deadline.objects.none()  # the schema's model; get_queryset() scopes by the user
    serializer_class = DeadlineSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = DeadlineFilter
    ordering_fields = ["due_date", "title", "kind"]

    def get_queryset(self):
        user = self.request.user
        access = get_access(user)
        mine = mine_q(user, access.agency_ids())
        qs = deadline_list_queryset().order_by("due_date", "id")
        if self.action == "list":
            scope = self.request.query_params.get("scope", "mine")
            if scope == "council":
                ids = access.council_ids("can_view_deadline")
                qs = qs if ids is None else qs.filter(council_id__any=ids)
            else:
                qs = qs.filter(mine)
            qs = search_deadlines(qs, self.request.query_params.get("q"))
        else:
            ids = access.visible_council_ids()
            qs = qs if ids is None else qs.filter(Q(council_id__any=ids) | mine)
        council = self.request.query_params.get("council")
        if council and council.isdigit():
            qs = qs.filter(council_id=int(council))
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        council = getattr(self.request, "council", None)
        context["thresholds"] = thresholds(council, timezone.localdate()) if council else (3, 30)
        return context

    def get_object(self):
        deadline = super().get_object()
        access = get_access(self.request.user)
        permission = "can_extend_deadline" if self.action in ("extend", "assign") else "can_view_deadline"
        allowed = access.has(deadline.council_id, permission) or (
            permission == "can_view_deadline" and is_mine(deadline, self.request.user, access.agency_ids())
        )
        if not allowed:
            raise PermissionDenied(permission)
        return deadline

    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        deadline = self.get_object()
        serializer = ExtensionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.deadline_extension_record(
            deadline=deadline, user=request.user, **serializer.validated_data
        )
        deadline.refresh_from_db()
        data = self.get_serializer(deadline).data
        data["extension"] = {
            "id": extension.pk,
            "old_due_date": extension.old_due_date,
            "new_due_date": extension.new_due_date,
        }
        return Response(data, status=status.HTTP_201_CREATED)


    @extend_schema(request=AssignSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """POST {"user": id or null}: the responsible staff member (someone with a role on the council)."""
        deadline = self.get_object()
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deadline = deadline_assign(deadline=deadline, user=serializer.validated_data.get("user"), by=request.user)
        return Response(self.get_serializer(deadline_list_queryset().get(pk=deadline.pk)).data)

    @extend_schema(request=CloseOverdueSerializer, responses={200: {"type": "object"}})
    @action(detail=False, methods=["post"], url_path="close-overdue")
    def close_overdue(self, request):
        """POST {"council", "older_than", "reason"}: close the council's deadlines overdue for more
        than `older_than` days, with the reason (managers of the council's deadlines)."""
        serializer = CloseOverdueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible = get_access(request.user).visible_council_ids()
        if visible is not None and data["council"].pk not in visible:
            raise NotFound()
        closed = deadline_close_overdue(council=data["council"], older_than=data["older_than"],
                                        reason=data["reason"], by=request.user)
        return Response({"closed": closed})


class ScanRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScanRunSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = ScanRun.objects.order_by("-started_at", "-id")

    def get_queryset(self):
        # A scan covers every council: its runs are the system operator's (superuser) view.
        if not self.request.user.is_superuser:
            raise PermissionDenied("superuser")
        return super().get_queryset()


router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("scan-runs", ScanRunViewSet, basename="scanrun")

urlpatterns = [path("", include(router.urls))]
