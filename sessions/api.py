"""The sessions API under /api/sessions/: the same services as the pages."""

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import include, path
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import check_and_bump, parse_version
from hdnd_portal.core.scoping import get_access

from . import services
from .models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    DocumentRead,
    IssueGroup,
    Poll,
    Resolution,
    SessionDocument,
    Verification,
    Vote,
)
from .queries import read_receipts, visible_documents_any
from .serializers import (
    AgendaItemSerializer,
    AttendanceSerializer,
    DocumentSerializer,
    IssueGroupSerializer,
    PollSerializer,
    ResolutionSerializer,
    SessionSerializer,
    VerificationSerializer,
    VoteSerializer,
)

SESSION = {"read": "can_view_session", "write": "can_change_session"}


def _deputy(request, council_id: int):
    role = get_access(request.user).role_on(council_id, "deputy")
    return role.deputy if role else None


class SessionViewSet(CouncilScopedViewSet):
    queryset = CouncilSession.objects.select_related("council", "term").order_by("-planned_start", "-number")
    serializer_class = SessionSerializer
    permissions_by_action = {**SESSION, "attendance": "can_change_session"}
    filterset_fields = ["council", "term", "kind", "status", "is_paperless"]
    ordering_fields = ["planned_start", "number"]

    def perform_create(self, serializer):
        self.check_council_write(serializer.validated_data["council"].id)
        serializer.instance = services.session_save(session=CouncilSession(**serializer.validated_data))

    def perform_update(self, serializer):
        session = serializer.instance
        with transaction.atomic():
            check_and_bump(session, parse_version(self.request.data.get("version")))
            for key, value in serializer.validated_data.items():
                setattr(session, key, value)
            services.session_save(session=session)

    def _transition(self, request, fn):
        session = self.get_object()
        fn(session)
        session.refresh_from_db()
        return Response(SessionSerializer(session).data)

    @action(detail=True, methods=["post"])
    def send_documents(self, request, pk=None):
        return self._transition(request, lambda s: services.session_send_documents(session=s, user=request.user))

    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._transition(request, lambda s: services.session_open(session=s))

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, lambda s: services.session_close(session=s))

    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        session = self.get_object()
        order = request.data.get("order")
        if not isinstance(order, list):
            raise ValidationError({"order": [_("A list of agenda item ids.")]})
        services.agenda_reorder(session=session, item_ids=[int(i) for i in order])
        return Response(AgendaItemSerializer(session.agenda_items.order_by("position"), many=True).data)

    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """GET: the records; POST {"day": "2026-12-08", "entries": [{"deputy", "status", "reason"}]}."""
        session = self.get_object()
        if request.method == "POST":
            try:
                day = date.fromisoformat(str(request.data.get("day")))
                entries = [
                    (int(e["deputy"]), e.get("status", "present"), e.get("reason", ""))
                    for e in request.data.get("entries", [])
                ]
            except (ValueError, KeyError, TypeError):
                raise ValidationError({"entries": [_("Give a day and a list of {deputy, status, reason}.")]})
            services.attendance_record(session=session, day=day, entries=entries)
        rows = Attendance.objects.filter(session=session).order_by("day", "deputy__full_name")
        return Response(AttendanceSerializer(rows, many=True).data)


class IssueGroupViewSet(CouncilScopedViewSet):
    queryset = IssueGroup.objects.order_by("session", "position")
    serializer_class = IssueGroupSerializer
    permissions_by_action = SESSION
    searchable = False
    filterset_fields = ["session"]

    def perform_create(self, serializer):
        session = serializer.validated_data["session"]
        self.check_council_write(session.council_id)
        serializer.instance = services.issue_group_save(group=IssueGroup(**serializer.validated_data))


class AgendaItemViewSet(CouncilScopedViewSet):
    queryset = AgendaItem.objects.select_related("session").order_by("session", "position")
    serializer_class = AgendaItemSerializer
    permissions_by_action = SESSION
    filterset_fields = ["session", "group", "proposes_resolution"]

    def perform_create(self, serializer):
        session = serializer.validated_data["session"]
        self.check_council_write(session.council_id)
        serializer.instance = services.agenda_item_save(item=AgendaItem(**serializer.validated_data))

    def perform_update(self, serializer):
        item = serializer.instance
        with transaction.atomic():
            check_and_bump(item, parse_version(self.request.data.get("version")))
            for key, value in serializer.validated_data.items():
                setattr(item, key, value)
            services.agenda_item_save(item=item)

    def perform_destroy(self, instance):
        services.agenda_item_delete(item=instance)


class DocumentViewSet(CouncilScopedViewSet):
    """Upload (multipart: file + fields), list and read documents; `version`, `send`, `read`,
    `receipts` actions. Deputies see documents sent to them; viewers public ones."""

    queryset = (
        SessionDocument.objects.select_related("session").prefetch_related("versions").order_by("-doc_date", "-pk")
    )
    serializer_class = DocumentSerializer
    permissions_by_action = {
        **SESSION,
        "read": "can_view_session",
        "mark_read": "can_cast_vote",
        "receipts": "can_view_read_receipt",
    }
    filterset_fields = ["session", "kind", "visibility", "agenda_item"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = visible_documents_any(super().get_queryset(), get_access(self.request.user))
        deputy_ids = get_access(self.request.user).deputy_ids()
        if deputy_ids:
            qs = qs.annotate(
                is_read=Exists(DocumentRead.objects.filter(document=OuterRef("pk"), deputy_id__in=deputy_ids))
            )
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        session = data.pop("session")
        self.check_council_write(session.council_id)
        serializer.instance = services.document_create(session=session, user=self.request.user, **data)

    def perform_update(self, serializer):
        data = serializer.validated_data
        if "file" in data or "session" in data or "kind" in data:
            raise ValidationError({"file": [_("Upload a new file through the version action.")]})
        super().perform_update(serializer)

    @action(detail=True, methods=["post"])
    def version(self, request, pk=None):
        document = self.get_object()
        services.document_add_version(
            document=document, file=request.data.get("file"), user=request.user, note=request.data.get("note", "")
        )
        return Response(DocumentSerializer(SessionDocument.objects.get(pk=document.pk)).data)

    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        document = services.document_send(document=self.get_object())
        return Response(DocumentSerializer(document).data)

    @action(detail=True, methods=["post"], url_path="read")
    def mark_read(self, request, pk=None):
        document = self.get_object()
        deputy = _deputy(request, document.council_id)
        if deputy is None:
            raise PermissionDenied(_("Only deputies leave read receipts."))
        receipt = services.document_mark_read(document=document, deputy=deputy)
        return Response({"document": document.pk, "deputy": deputy.pk, "first_read_at": receipt.first_read_at})

    @action(detail=True, methods=["get"])
    def receipts(self, request, pk=None):
        data = read_receipts(self.get_object())
        row = lambda r: {"deputy": r.deputy.pk, "name": r.deputy.full_name, "first_read_at": r.first_read_at}  # noqa: E731
        return Response(
            {"total": data["total"], "read": [row(r) for r in data["read"]], "unread": [row(r) for r in data["unread"]]}
        )


class VerificationViewSet(CouncilScopedViewSet):
    queryset = Verification.objects.select_related("submission", "committee").order_by("due_date")
    serializer_class = VerificationSerializer
    permissions_by_action = SESSION
    filterset_fields = ["session", "committee", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.check_council_write(data["submission"].council_id)
        serializer.instance = services.verification_assign(
            submission=data["submission"], committee=data["committee"], assigned_on=data.get("assigned_on")
        )

    def perform_update(self, serializer):
        v = serializer.instance
        data = serializer.validated_data
        with transaction.atomic():
            check_and_bump(v, parse_version(self.request.data.get("version")))
            serializer.instance = services.verification_update(
                verification=v,
                status=data.get("status", v.status),
                report=data.get("report", v.report),
                conclusion=data.get("conclusion", v.conclusion),
                completed_on=data.get("completed_on", v.completed_on),
            )


class ResolutionViewSet(CouncilScopedViewSet):
    queryset = Resolution.objects.select_related("vote", "field", "session").order_by("-adopted_on", "-number_seq")
    serializer_class = ResolutionSerializer
    permissions_by_action = {"read": "can_view_resolution", "write": "can_change_resolution"}
    filterset_fields = ["council", "year", "kind", "field", "session", "implementation_status", "is_published"]
    ordering_fields = ["adopted_on", "number_seq", "effective_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        council = data.pop("council")
        self.check_council_write(council.id)
        status, note = data.pop("implementation_status", None), data.pop("implementation_note", "")
        resolution = services.resolution_adopt(council=council, **data)
        if status or note:
            resolution.implementation_status = status or resolution.implementation_status
            resolution.implementation_note = note
            resolution.save()
        serializer.instance = resolution

    def perform_update(self, serializer):
        resolution = serializer.instance
        with transaction.atomic():
            check_and_bump(resolution, parse_version(self.request.data.get("version")))
            for key, value in serializer.validated_data.items():
                setattr(resolution, key, value)
            services.resolution_check(resolution=resolution)
            resolution.save()


class VoteViewSet(CouncilScopedViewSet):
    """Votes are recorded (never edited): the result is computed against all sitting deputies."""

    queryset = Vote.objects.select_related("agenda_item").order_by("-voted_on", "-pk")
    serializer_class = VoteSerializer
    permissions_by_action = SESSION
    searchable = False
    filterset_fields = ["council", "session", "agenda_item", "passed", "method"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        item = data["agenda_item"]
        self.check_council_write(item.council_id)
        serializer.instance = services.vote_record(
            agenda_item=item,
            voted_on=data["voted_on"],
            yes=data["yes"],
            no=data["no"],
            not_voting=data["not_voting"],
            participants=data.get("participants"),
            method=data.get("method", "open"),
            threshold=data.get("threshold"),
            user=self.request.user,
        )


class CastSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=["yes", "no", "not_voting"])


class PollViewSet(CouncilScopedViewSet):
    """POST /polls/ {agenda_item, method} opens a poll; /polls/{id}/cast/ {choice} votes (deputies);
    /polls/{id}/tally/ reads the live tally; /polls/{id}/close/ closes it."""

    queryset = Poll.objects.select_related("agenda_item").order_by("-opened_at")
    serializer_class = PollSerializer
    permissions_by_action = {
        "read": "can_view_session",
        "write": "can_run_poll",
        "tally": "can_view_session",
        "cast": "can_cast_vote",
        "close": "can_run_poll",
    }
    searchable = False
    filterset_fields = ["council", "session", "agenda_item", "state"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        item = data["agenda_item"]
        self.check_council_write(item.council_id)
        serializer.instance = services.poll_open(
            agenda_item=item, user=self.request.user, method=data.get("method", "open")
        )

    @action(detail=True, methods=["get"])
    def tally(self, request, pk=None):
        return Response(services.poll_tally(self.get_object()))

    @action(detail=True, methods=["post"])
    def cast(self, request, pk=None):
        poll = self.get_object()
        body = CastSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deputy = _deputy(request, poll.council_id)
        if deputy is None:
            raise PermissionDenied(_("Only deputies vote."))
        try:
            services.poll_cast(poll=poll, deputy=deputy, choice=body.validated_data["choice"])
        except services.AlreadyVoted as error:
            return Response({"message": str(error.message), "extra": None}, status=409)
        return Response({"message": _("Your vote is recorded."), "tally": services.poll_tally(poll)}, status=201)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        poll = self.get_object()
        vote = services.poll_close(poll=poll, user=request.user)
        return Response({"vote": VoteSerializer(vote).data, "tally": services.poll_tally(poll)})


router = DefaultRouter()
router.register("sessions", SessionViewSet)
router.register("issue-groups", IssueGroupViewSet)
router.register("agenda-items", AgendaItemViewSet)
router.register("documents", DocumentViewSet)
router.register("verifications", VerificationViewSet)
router.register("resolutions", ResolutionViewSet)
router.register("votes", VoteViewSet)
router.register("polls", PollViewSet)

urlpatterns = [path("", include(router.urls))]
