"""Staff API under /api/public-admin/: publish / withdraw records and issue tracking codes.
Both go through public/services.py, like the staff page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.scoping import get_access

from . import services
from .apps import CAN_PUBLISH
from .kinds import KINDS, TRACKABLE
from .models import Publication, TrackingCode


class PublicationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=sorted(KINDS), write_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "council", "kind", "model", "object_id", "published_at", "published_by", "summary", "version"]
        read_only_fields = ["council", "published_at", "published_by", "version"]


class TrackingCodeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=sorted(TRACKABLE), write_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = TrackingCode
        fields = ["id", "council", "kind", "model", "object_id", "code", "created_at"]
        read_only_fields = ["council", "code", "created_at"]


def _visible_or_404(request, kind_label_model, object_id: int) -> None:
    """Another council's record answers 404 (a missing permission on a visible council: 403)."""
    record = kind_label_model.objects.filter(pk=object_id).values("council_id").first()
    ids = get_access(request.user).visible_council_ids()
    if record is None or (ids is not None and record["council_id"] not in ids):
        raise Http404


class PublicationViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """POST {kind, object_id, summary} publishes; DELETE withdraws. ?council=ID narrows the list."""

    queryset = Publication.objects.select_related("content_type").order_by("-published_at")
    serializer_class = PublicationSerializer
    permission_classes = CouncilScopedViewSet.permission_classes
    permissions_by_action = {"read": CAN_PUBLISH, "write": CAN_PUBLISH}
    council_field = "council"
    searchable = False
    scoped = CouncilScopedViewSet.scoped
    object_council_id = CouncilScopedViewSet.object_council_id

    def get_queryset(self):
        return self.scoped(super().get_queryset())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        object_id = serializer.validated_data["object_id"]
        _visible_or_404(request, KINDS[kind].model, object_id)
        try:
            publication = services.publication_publish(
                user=request.user, kind=kind, object_id=object_id, summary=serializer.validated_data.get("summary", "")
            )
        except PermissionDenied:
            raise DRFPermissionDenied()
        return Response(self.get_serializer(publication).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        publication = self.get_object()
        kind = next(k for k, v in KINDS.items() if v.content_type.id == publication.content_type_id)
        try:
            services.publication_withdraw(user=request.user, kind=kind, object_id=publication.object_id)
        except PermissionDenied:
            raise DRFPermissionDenied()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrackingCodeViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """POST {kind: petition|letter, object_id} returns the record's code (created on first call)."""

    queryset = TrackingCode.objects.select_related("content_type").order_by("-created_at")
    serializer_class = TrackingCodeSerializer
    permission_classes = CouncilScopedViewSet.permission_classes
    permissions_by_action = {"read": CAN_PUBLISH, "write": CAN_PUBLISH}
    council_field = "council"
    searchable = False
    scoped = CouncilScopedViewSet.scoped
    object_council_id = CouncilScopedViewSet.object_council_id

    def get_queryset(self):
        return self.scoped(super().get_queryset())

    def create(self, request, *args, **kwargs):
        from django.apps import apps

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        object_id = serializer.validated_data["object_id"]
        _visible_or_404(request, apps.get_model(TRACKABLE[kind]), object_id)
        try:
            code = services.tracking_code_issue(user=request.user, kind=kind, object_id=object_id)
        except PermissionDenied:
            raise DRFPermissionDenied()
        return Response(self.get_serializer(code).data, status=status.HTTP_201_CREATED)




router = SimpleRouter()
router.register("publications", PublicationViewSet, basename="public-publication")
router.register("tracking-codes", TrackingCodeViewSet, basename="public-tracking-code")
