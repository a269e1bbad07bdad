"""The sessions API under /api/sessions/: the same services as the pages."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import include, path
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import parse_version
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.files import CheckedUploadField
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


def _body(request) -> dict:
    """The request body as a mapping; a JSON list or scalar answers 400, never a 500."""
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def _date_or_none(value, field: str, required: bool = False) -> date | None:
    """An ISO date (2021-12-10) from a request body; a missing one is None unless required."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: [_("Enter the date as YYYY-MM-DD.")]})
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: [_("Enter the date as YYYY-MM-DD.")]}) from None


def _session_council(data: dict, instance=None) -> int | None:
    """Records created under a session take the session's council."""
    session = data.get("session") or getattr(instance, "session", None)
    return session.council_id if session is not None else None


# Every write below comes through CouncilScopedViewSet (permission on the record's council,
# relations in the same council, council unchanged, version required on updates) and then the
# app's service in save_instance: the same services as the pages.


class SessionViewSet(CouncilScopedViewSet):
    queryset = CouncilSession.objects.select_related("council", "term").order_by("-planned_start", "-number")
    serializer_class = SessionSerializer
    permissions_by_action = {**SESSION, "attendance": "can_change_session", "record_held": "can_change_session"}
    filterset_fields = ["council", "term", "kind", "status", "is_paperless"]
    ordering_fields = ["planned_start", "number"]
    list_joins = ()  # the council and the term by id

    def save_instance(self, instance, m2m):
        return services.session_save(session=instance)

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
        """{"actual_end": "2021-12-10"} (optional while the session's planned dates still run;
        required for a session whose planned end has passed: it is never dated today by default)."""
        body = request.data if isinstance(request.data, dict) else {}
        end = _date_or_none(body.get("actual_end"), "actual_end")
        return self._transition(request, lambda s: services.session_close(session=s, on=end))

    @action(detail=True, methods=["post"])
    def record_held(self, request, pk=None):
        """{"actual_start", "actual_end", "version"}: a session entered after the fact, recorded as
        held with the dates it was held (not today's)."""
        session = self.get_object()
        body = _body(request)
        services.session_record_held(
            session=session,
            actual_start=_date_or_none(body.get("actual_start"), "actual_start", required=True),
            actual_end=_date_or_none(body.get("actual_end"), "actual_end", required=True),
            expected_version=parse_version(body.get("version")),
        )
        session.refresh_from_db()
        return Response(SessionSerializer(session).data)

    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """{"order": [item ids]}: every agenda item of this session exactly once."""
        session = self.get_object()
        services.agenda_reorder(session=session, item_ids=_body(request).get("order"))
        return Response(AgendaItemSerializer(session.agenda_items.order_by("position"), many=True).data)

    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """GET: the records; POST {"day": "2026-12-08", "entries": [{"deputy", "status", "reason"}]}."""
        session = self.get_object()
        if request.method == "POST":
            body = _body(request)
            message = _("Give a day and a list of {deputy, status, reason}.")
            try:
                day = date.fromisoformat(str(body.get("day")))
                raw = body.get("entries")
                if not isinstance(raw, list) or len(raw) > 2000:
                    raise TypeError
                entries = []
                for e in raw:
                    deputy, status, reason = e["deputy"], e.get("status", "present"), e.get("reason", "")
                    if isinstance(deputy, bool) or not isinstance(deputy, (int, str)) or not str(deputy).isdigit():
                        raise TypeError
                    if not isinstance(status, str) or not isinstance(reason, str) or len(reason) > 255:
                        raise TypeError
                    entries.append((int(deputy), status, reason))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise ValidationError({"entries": [message]}) from None
            services.attendance_record(session=session, day=day, entries=entries)
        rows = Attendance.objects.filter(session=session).order_by("day", "deputy__sort_key", "deputy_id")
        return Response(AttendanceSerializer(rows, many=True).data)


class IssueGroupViewSet(CouncilScopedViewSet):
    queryset = IssueGroup.objects.order_by("session", "position")
    serializer_class = IssueGroupSerializer
    permissions_by_action = SESSION
    searchable = False
    filterset_fields = ["session"]

    def council_of(self, data, instance=None):
        return _session_council(data, instance)

    def save_instance(self, instance, m2m):
        return services.issue_group_save(group=instance)


class AgendaItemViewSet(CouncilScopedViewSet):
    queryset = AgendaItem.objects.select_related("session").order_by("session", "position")
    serializer_class = AgendaItemSerializer
    permissions_by_action = SESSION
    filterset_fields = ["session", "group", "proposes_resolution"]

    def council_of(self, data, instance=None):
        return _session_council(data, instance)

    def save_instance(self, instance, m2m):
        return services.agenda_item_save(item=instance)

    def perform_destroy(self, instance):
        services.agenda_item_delete(item=instance)


class VersionUploadSerializer(serializers.Serializer):
    file = CheckedUploadField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


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
    # The upload and its note are not model fields: split() hands them to save_instance.
    m2m_fields = ("file", "note")

    def get_queryset(self):
        qs = visible_documents_any(super().get_queryset(), get_access(self.request.user))
        deputy_ids = get_access(self.request.user).deputy_ids()
        if deputy_ids:
            qs = qs.annotate(
                is_read=Exists(DocumentRead.objects.filter(document=OuterRef("pk"), deputy_id__in=deputy_ids))
            )
        return qs

    def council_of(self, data, instance=None):
        return _session_council(data, instance)

    def save_instance(self, instance, m2m):
        if instance.pk is None:
            return services.document_create(
                session=instance.session,
                kind=instance.kind,
                title=instance.title,
                doc_date=instance.doc_date,
                file=m2m.get("file"),
                user=self.request.user,
                issuer=instance.issuer,
                visibility=instance.visibility,
                agenda_item=instance.agenda_item,
                note=m2m.get("note") or "",
                external_number=instance.external_number,
                external_date=instance.external_date,
            )
        if m2m.get("file") is not None:
            raise DomainError(_("Upload a new file through the version action."), field="file")
        return services.document_update(document=instance)

    @action(detail=True, methods=["post"])
    def version(self, request, pk=None):
        document = self.get_object()
        body = VersionUploadSerializer(data=_body(request))
        body.is_valid(raise_exception=True)
        services.document_add_version(
            document=document, file=body.validated_data["file"], user=request.user, note=body.validated_data["note"]
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
        # The same count as the document's page (queries.read_receipts).
        data = read_receipts(self.get_object())

        def row(r):
            return {
                "deputy": r.deputy.pk,
                "name": r.deputy.full_name,
                "first_read_at": r.first_read_at,
                "version_read": r.version_read,
                "outdated": r.outdated,
            }

        return Response(
            {
                "total": data["total"],
                "read_count": len(data["read"]),
                "read": [row(r) for r in data["read"]],
                "unread": [row(r) for r in data["unread"]],
            }
        )


class VerificationViewSet(CouncilScopedViewSet):
    queryset = Verification.objects.select_related("submission", "committee").order_by("due_date")
    serializer_class = VerificationSerializer
    permissions_by_action = SESSION
    filterset_fields = ["session", "committee", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def council_of(self, data, instance=None):
        if instance is not None and instance.pk is not None:
            return instance.council_id
        submission = data.get("submission")
        return submission.council_id if submission is not None else None

    def save_instance(self, instance, m2m):
        if instance.pk is None:
            return services.verification_assign(
                submission=instance.submission, committee=instance.committee, assigned_on=instance.assigned_on
            )
        return services.verification_update(
            verification=instance,
            status=instance.status,
            report=instance.report,
            conclusion=instance.conclusion,
            completed_on=instance.completed_on,
        )


class ResolutionViewSet(CouncilScopedViewSet):
    queryset = Resolution.objects.select_related("vote", "field", "session").order_by("-adopted_on", "-number_seq")
    serializer_class = ResolutionSerializer
    permissions_by_action = {"read": "can_view_resolution", "write": "can_change_resolution"}
    filterset_fields = ["council", "year", "kind", "field", "session", "implementation_status", "is_published"]
    ordering_fields = ["adopted_on", "number_seq", "effective_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    m2m_fields = ("confirm_without_quorum", "quorum_reason")
    list_joins = ("vote",)  # written out whole; the field and the session by id

    def save_instance(self, instance, m2m):
        if instance.pk is None:
            return services.resolution_adopt(
                confirm_without_quorum=m2m.get("confirm_without_quorum", False),
                quorum_reason=m2m.get("quorum_reason", ""),
                council=instance.council,
                title=instance.title,
                kind=instance.kind,
                adopted_on=instance.adopted_on,
                session=instance.session,
                agenda_item=instance.agenda_item,
                draft=instance.draft,
                field=instance.field,
                effective_on=instance.effective_on,
                responsible_agency=instance.responsible_agency,
                is_published=instance.is_published,
                implementation_status=instance.implementation_status,
                implementation_note=instance.implementation_note,
            )
        return services.resolution_update(resolution=instance)


class VoteViewSet(CouncilScopedViewSet):
    """Votes are recorded (never edited): the result is computed against all sitting deputies."""

    queryset = Vote.objects.select_related("agenda_item").order_by("-voted_on", "-pk")
    serializer_class = VoteSerializer
    permissions_by_action = SESSION
    searchable = False
    filterset_fields = ["council", "session", "agenda_item", "passed", "method"]
    http_method_names = ["get", "post", "head", "options"]
    m2m_fields = ("confirm_without_quorum", "quorum_reason")

    def council_of(self, data, instance=None):
        item = data.get("agenda_item") or getattr(instance, "agenda_item", None)
        return item.council_id if item is not None else None

    def save_instance(self, instance, m2m):
        return services.vote_record(
            agenda_item=instance.agenda_item,
            voted_on=instance.voted_on,
            yes=instance.yes,
            no=instance.no,
            not_voting=instance.not_voting,
            participants=instance.participants,
            method=instance.method,
            threshold=instance.threshold or None,
            user=self.request.user,
            confirm_without_quorum=m2m.get("confirm_without_quorum", False),
            quorum_reason=m2m.get("quorum_reason", ""),
        )


class CastSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=["yes", "no", "not_voting"])


class PollViewSet(CouncilScopedViewSet):
    """POST /polls/ {agenda_item, method[, confirm_without_quorum, quorum_reason]} opens a poll; /polls/{id}/cast/ {choice} votes (deputies);
    /polls/{id}/tally/ reads the tally (a secret poll's choices only once closed); /polls/{id}/close/."""

    queryset = Poll.objects.select_related("agenda_item", "counter").order_by("-opened_at")
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
    m2m_fields = ("confirm_without_quorum", "quorum_reason")

    def council_of(self, data, instance=None):
        item = data.get("agenda_item") or getattr(instance, "agenda_item", None)
        return item.council_id if item is not None else None

    def save_instance(self, instance, m2m):
        return services.poll_open(
            agenda_item=instance.agenda_item,
            user=self.request.user,
            method=instance.method,
            confirm_without_quorum=m2m.get("confirm_without_quorum", False),
            quorum_reason=m2m.get("quorum_reason", ""),
        )

    @action(detail=True, methods=["get"])
    def tally(self, request, pk=None):
        return Response(services.poll_tally(self.get_object()))

    @action(detail=True, methods=["post"])
    def cast(self, request, pk=None):
        poll = self.get_object()
        body = CastSerializer(data=_body(request))
        body.is_valid(raise_exception=True)
        try:
            services.poll_cast(poll=poll, user=request.user, choice=body.validated_data["choice"])
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
