"""The voters API under /api/voters/: meetings, petitions (with merge, forward, answer, evaluate,
similar and import actions) and forwarding letters. Same services as the pages."""

from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilPermission, CouncilScopedViewSet
from hdnd_portal.core.concurrency import parse_version
from hdnd_portal.core.models import Council
from hdnd_portal.core.scoping import get_access

from . import importer, services
from .models import ForwardingLetter, Petition, VoterMeeting
from .queries import (
    DEPUTY_ORDER,
    MEETING_ORDER,
    VIEW_ANY,
    meeting_list_qs,
    parse_id,
    petition_list_qs,
    similar_petitions,
    visible_petitions,
)
from .serializers import (
    AnswerSerializer,
    EvaluateSerializer,
    ForwardSerializer,
    LetterSerializer,
    MeetingSerializer,
    MergeSerializer,
    PetitionSerializer,
)


def council_param(value) -> int:
    """A council number from a query or form parameter; anything else is a 400 with a message."""
    number = parse_id(str(value) if isinstance(value, int) and not isinstance(value, bool) else value)
    if number is None:
        raise ValidationError({"council": [_("Give the number of a council.")]})
    return number


class MeetingViewSet(CouncilScopedViewSet):
    queryset = VoterMeeting.objects.order_by("-date", "-pk")
    serializer_class = MeetingSerializer
    permissions_by_action = {"read": "can_view_voter_meeting", "write": "can_change_voter_meeting"}
    filterset_fields = ["council", "kind", "group", "session", "outside_constituency"]
    list_joins = ()  # the group and the commune by id
    list_ids = {"deputies": DEPUTY_ORDER}

    def get_queryset(self):
        return meeting_list_qs(super().get_queryset())

    def save_instance(self, instance, m2m):
        # The core base has already run the guard (permission, relations, council, version).
        return services.meeting_save(meeting=instance, deputies=m2m.get("deputies"), user=self.request.user)


class PetitionPermission(CouncilPermission):
    """Reading petitions needs one of the petition read permissions; the rows are narrowed by
    queries.visible_petitions (deputies: theirs + public; responders: their agency's)."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in ("list", "retrieve"):
            if not request.user.is_authenticated:
                return False
            access = get_access(request.user)
            return any(access.council_ids(p) is None or access.council_ids(p) for p in VIEW_ANY)
        if getattr(view, "action", None) in ("answer",):
            return request.user.is_authenticated
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        if getattr(view, "action", None) in ("retrieve", "answer"):
            return True  # visibility already decided by the queryset; answer checks below
        return super().has_object_permission(request, view, obj)


class PetitionViewSet(CouncilScopedViewSet):
    queryset = Petition.objects.order_by("-received_on", "-pk")
    serializer_class = PetitionSerializer
    permission_classes = [PetitionPermission]
    permissions_by_action = {
        "read": "can_view_petition",
        "write": "can_change_petition",
        "merge": "can_change_petition",
        "forward": "can_forward_petition",
        "evaluate": "can_evaluate_petition",
        "similar": "can_change_petition",
        "import_xlsx": "can_import_petition",
    }
    filterset_fields = ["council", "status", "kind", "level", "field", "committee", "agency", "is_urgent", "evaluation"]
    list_joins = ()  # the field, the committee and the agency by id
    list_ids = {"deputies": DEPUTY_ORDER, "meetings": MEETING_ORDER}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        access = get_access(self.request.user)
        qs = visible_petitions(access, access.visible_council_ids())
        council = parse_id(self.request.query_params.get("council"))
        if council is not None:
            qs = qs.filter(council_id=council)
        if self.request.query_params.get("q"):
            from hdnd_portal.core.search import apply_search

            qs = apply_search(qs, self.request.query_params["q"])
        if self.request.query_params.get("mine") == "1":
            qs = qs.filter(deputies__in=access.deputy_ids()).distinct()
        return petition_list_qs(qs).order_by("-received_on", "-pk")

    def save_instance(self, instance, m2m):
        # The core base has already run the guard (permission, relations, council, version).
        if instance.pk is None:
            return services.petition_create(
                council=instance.council,
                content=instance.content,
                kind=instance.kind,
                field=instance.field,
                locality=instance.locality,
                # Not given: the level of the council it is raised to (services.default_level).
                level=instance.level if "level" in self.request.data else None,
                committee=instance.committee,
                meetings=m2m.get("meetings", ()),
                deputies=m2m.get("deputies", ()),
                is_urgent=instance.is_urgent,
                is_public=instance.is_public,
                received_on=instance.received_on,
                user=self.request.user,
            )
        return services.petition_update(
            petition=instance, deputies=m2m.get("deputies"), meetings=m2m.get("meetings"), user=self.request.user
        )

    def _result(self, petition, code=status.HTTP_200_OK):
        return Response(
            PetitionSerializer(petition_list_qs(Petition.objects.filter(pk=petition.pk)).get()).data, status=code
        )

    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        petition = self.get_object()
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        expected = parse_version(request.data.get("version"))
        into = get_object_or_404(Petition, pk=data.validated_data["into"], council_id=petition.council_id)
        return self._result(
            services.petition_merge(petition=petition, into=into, user=request.user, expected_version=expected)
        )

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        petition = self.get_object()
        access = get_access(request.user)
        staff = access.has(petition.council_id, "can_change_petition")
        if not staff and not access.has(petition.council_id, "can_answer_petition"):
            raise PermissionDenied(_("You may not answer petitions of this council."))
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        expected = parse_version(request.data.get("version"))
        services.petition_answer(
            petition=petition,
            status=v["status"],
            text=v["response_text"],
            response_date=v["response_date"],
            response_by=v["response_by"],
            response_number=v["response_number"],
            roadmap=v["roadmap"],
            target_date=v["target_date"],
            user=request.user,
            agency_ids=None if staff else access.agency_ids(),
            document=v["document"],
            expected_version=expected,
        )
        return self._result(petition)

    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        petition = self.get_object()
        data = EvaluateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        expected = parse_version(request.data.get("version"))
        services.petition_evaluate(
            petition=petition,
            evaluation=v["evaluation"],
            needs_follow_up=v["needs_follow_up"],
            note=v["note"],
            body=v["body"],
            on=v["on"],
            user=request.user,
            expected_version=expected,
        )
        return self._result(petition)

    def _council_for_write(self, value) -> Council:
        council_id = council_param(value)
        access = get_access(self.request.user)
        ids = access.visible_council_ids()
        if ids is not None and council_id not in ids:
            raise ValidationError({"council": [_("Choose a council you can edit.")]})
        council = get_object_or_404(Council, pk=council_id)
        if not access.has(council.id, CouncilPermission()._required(self)):
            raise PermissionDenied(_("You lack the permission on this council."))
        return council

    @action(detail=False, methods=["post"])
    def forward(self, request):
        data = ForwardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        council = self._council_for_write(v["council"])
        petitions = list(Petition.objects.filter(pk__in=v["petitions"], council=council))
        if len(petitions) != len(set(v["petitions"])):
            raise ValidationError({"petitions": [_("Some petitions do not exist in this council.")]})
        letter = services.petition_forward(
            council=council,
            petitions=petitions,
            agency=v["agency"],
            on=v.get("on"),
            signer_name=v["signer_name"],
            user=request.user,
        )
        return Response(LetterSerializer(letter, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["get"])
    def similar(self, request):
        council = self._council_for_write(request.query_params.get("council"))
        rows = similar_petitions(council_id=council.id, text=request.query_params.get("text", "")[:2000])
        return Response(
            {"results": [{"id": p.pk, "content": p.content, "score": p.similarity, "status": p.status} for p in rows]}
        )

    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        council = self._council_for_write(request.data.get("council"))
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": [_("Attach the Excel file.")]})
        result = importer.petition_import(council=council, uploaded=uploaded, user=request.user)
        body = {
            "rows": result.rows,
            "created": result.created,
            "errors": [{"row": line, "message": message} for line, message in result.errors],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST)

    def get_parsers(self):
        return [JSONParser(), MultiPartParser(), FormParser()]


class LetterViewSet(CouncilScopedViewSet):
    queryset = ForwardingLetter.objects.select_related("agency").prefetch_related("petitions").order_by("-date", "-pk")
    serializer_class = LetterSerializer
    permissions_by_action = {"read": "can_view_petition", "write": "can_forward_petition"}
    http_method_names = ["get", "head", "options"]
    searchable = False
    filterset_fields = ["council", "agency"]


router = DefaultRouter()
router.register("meetings", MeetingViewSet)
router.register("petitions", PetitionViewSet)
router.register("letters", LetterViewSet)

urlpatterns = [path("", include(router.urls))]
