"""REST API of the citizens app (/api/citizens/). Writes call the same services as the pages.
Lists never disclose a denouncer's identity; a retrieve discloses it only to a holder of
can_view_denouncer_identity, and the disclosure is logged (via = api)."""

from datetime import date

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import parse_version
from hdnd_portal.core.models import Agency
from hdnd_portal.core.scoping import get_access

from . import identity, queries, services
from .apps import CHANGE_LETTER, CHANGE_RECEPTION, VIEW_IDENTITY_LOG, VIEW_LETTER, VIEW_RECEPTION
from .models import Case, IdentityViewLog, Letter, ReceptionDay, ReceptionSchedule, Visit
from .reports import section
from .serializers import (
    AcceptSerializer,
    AnswerSerializer,
    CaseSerializer,
    DateSerializer,
    DaySerializer,
    DecideSerializer,
    DuplicateSerializer,
    ExtendSerializer,
    IdentityLogSerializer,
    LetterSerializer,
    PeriodInput,
    ReasonInput,
    ResultSerializer,
    ScanInput,
    ScheduleSerializer,
    SplitSerializer,
    VersionInput,
    VisitSerializer,
)

RECEPTION = {"read": VIEW_RECEPTION, "write": CHANGE_RECEPTION}
LETTERS = {"read": VIEW_LETTER, "write": CHANGE_LETTER}


class ActionMixin:
    """Detail actions (POST) that run one service on the record and answer with the record. An
    action changes the record, so it names the version it was made on (400 missing, 409 stale)."""

    def run(self, request, serializer_class, call):
        obj = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.update_version(obj)
            call(obj, serializer.validated_data)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)


class ProtectionActionsMixin:
    """Protect a record's people (office decision) or lift the protection (identity permission,
    reason, identity log) — the same services as the page buttons."""

    @action(detail=True, methods=["post"])
    def protect(self, request, pk=None):
        record = self.get_object()
        with transaction.atomic():
            services.record_protect(
                record=record, user=request.user, expected_version=parse_version(request.data.get("version"))
            )
        record.refresh_from_db()
        return Response(self.get_serializer(record).data)

    @action(detail=True, methods=["post"])
    def lift_protection(self, request, pk=None):
        record = self.get_object()
        serializer = ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            services.record_lift_protection(
                record=record,
                user=request.user,
                reason=serializer.validated_data["reason"],
                expected_version=parse_version(request.data.get("version")),
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        record.refresh_from_db()
        return Response(self.get_serializer(record).data)


class ScheduleViewSet(CouncilScopedViewSet):
    queryset = ReceptionSchedule.objects.prefetch_related("receivers").order_by("council", "-valid_from")
    serializer_class = ScheduleSerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "receiver_kind", "is_published"]

    def save_instance(self, instance, m2m):
        receivers = m2m.get("receivers")
        if instance.pk is None and receivers is None:
            receivers = []
        return services.schedule_save(schedule=instance, receivers=receivers)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        schedule = self.get_object()
        publish = request.data.get("publish", True)
        if publish not in (True, False, "1", "0", 1, 0, "true", "false"):
            raise ValidationError({"publish": [_("Send true or false.")]})
        with transaction.atomic():
            self.update_version(schedule)
            services.schedule_publish(schedule=schedule, publish=publish not in (False, "0", 0, "false"))
        return Response(self.get_serializer(schedule).data)

    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        schedule = self.get_object()
        serializer = PeriodInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        days = services.schedule_generate_days(schedule=schedule, **serializer.validated_data)
        return Response({"created": [d.date for d in days]})


class DayViewSet(ActionMixin, CouncilScopedViewSet):
    queryset = ReceptionDay.objects.prefetch_related("receivers").order_by("council", "-date")
    serializer_class = DaySerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "schedule", "status", "date"]

    def save_instance(self, instance, m2m):
        if instance.pk is None:
            return services.day_create(day=instance, receivers=m2m.get("receivers", []))
        return services.day_update(day=instance, receivers=m2m.get("receivers"))

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.run(request, ReasonInput, lambda day, d: services.day_cancel(day=day, reason=d["reason"]))

    @extend_schema(request=VersionInput)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Mark a reception day as held (the reports count held days, not planned ones)."""
        return self.run(request, VersionInput, lambda day, d: services.day_mark_held(day=day))


class VisitViewSet(ProtectionActionsMixin, ActionMixin, CouncilScopedViewSet):
    queryset = Visit.objects.select_related("day").order_by("-date", "-sequence", "-pk")  # newest first, as the page
    serializer_class = VisitSerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "day", "kind", "outcome", "case", "is_group"]
    list_joins = ()  # the reception day by id
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    # Values that are not columns of Visit: handed to save_instance beside the instance.
    m2m_fields = ("citizens", "new_case_title")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.prefetch_related(queries.visible_citizens(listed_only=True))
        return qs

    def retrieve(self, request, *args, **kwargs):
        visit = self.get_object()
        disclose = identity.disclose(request=request, record=visit, via=IdentityViewLog.Via.API)
        return Response(
            self.get_serializer(visit, context={**self.get_serializer_context(), "disclose": disclose}).data
        )

    def council_of(self, data, instance=None):
        if instance is not None and instance.pk is not None:
            return instance.council_id
        day = data.get("day")
        return day.council_id if day is not None else None

    def save_instance(self, instance, m2m):
        citizens = m2m.get("citizens")
        citizens = None if citizens is None else [dict(c) for c in citizens]
        if instance.pk is not None:
            return services.visit_update(visit=instance, citizens=citizens, user=self.request.user)
        return services.visit_create(
            day=instance.day,
            kind=instance.kind,
            citizens=citizens or [],
            citizen_count=instance.citizen_count,
            content=instance.content,
            outcome=instance.outcome,
            requests=instance.requests,
            handling=instance.handling,
            refusal_reason=instance.refusal_reason,
            forwarded_to=instance.forwarded_to,
            case=instance.case,
            field=instance.field,
            new_case_title=m2m.get("new_case_title") or "",
        )

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self.run(request, AnswerSerializer, lambda visit, d: services.visit_answer(visit=visit, **d))


class CaseViewSet(CouncilScopedViewSet):
    queryset = Case.objects.order_by("council", "-opened_on")
    serializer_class = CaseSerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "status", "kind", "field"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return self.scoped(queries.with_case_counts(Case.objects.order_by("council", "-opened_on")))

    def save_instance(self, instance, m2m):
        if instance.pk is not None:
            return services.case_update(case=instance)
        return services.case_create(
            council=instance.council,
            title=instance.title,
            opened_on=instance.opened_on,
            field=instance.field,
            kind=instance.kind,
            summary=instance.summary,
        )


# The letter's own fields that registration takes (the rest are set by the handling actions).
REGISTER_FIELDS = (
    "received_on",
    "letter_date",
    "channel",
    "forwarded_by_deputy",
    "forwarded_by_agency",
    "kind",
    "field",
    "subject",
    "content",
    "respondent_agency",
    "respondent_person",
    "is_anonymous",
    "is_signed",
    "has_address",
    "decision_known_on",
    "has_clear_evidence",
    "case",
    "visit",
)


class LetterViewSet(ProtectionActionsMixin, ActionMixin, CouncilScopedViewSet):
    queryset = Letter.objects.select_related("field", "forwarded_to").order_by("-received_on", "-id")
    serializer_class = LetterSerializer
    permissions_by_action = LETTERS
    filterset_fields = [
        "council",
        "kind",
        "channel",
        "status",
        "decision",
        "field",
        "forwarded_to",
        "is_eligible",
        "case",
        "visit",
    ]
    list_joins = ()  # the field and the agency forwarded to by id
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    m2m_fields = ("senders",)  # not a column: handed to save_instance

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.prefetch_related(queries.visible_senders(listed_only=True))
        return qs

    def retrieve(self, request, *args, **kwargs):
        letter = self.get_object()
        disclose = identity.disclose(request=request, record=letter, via=IdentityViewLog.Via.API)
        return Response(
            self.get_serializer(letter, context={**self.get_serializer_context(), "disclose": disclose}).data
        )

    def save_instance(self, instance, m2m):
        senders = m2m.get("senders")
        senders = None if senders is None else [dict(s) for s in senders]
        if instance.pk is not None:
            return services.letter_update(letter=instance, senders=senders, user=self.request.user)
        return services.letter_register(
            council=instance.council,
            senders=senders or [],
            signer_count=instance.signer_count,
            user=self.request.user,
            **{name: getattr(instance, name) for name in REGISTER_FIELDS},
        )

    def _agency(self, letter, agency_id):
        return get_object_or_404(Agency, pk=agency_id, council=letter.council) if agency_id else None

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.run(
            request,
            DecideSerializer,
            lambda letter, d: services.letter_decide(
                letter=letter,
                decision=d["decision"],
                decided_on=d["decided_on"],
                forwarded_to=self._agency(letter, d.get("forwarded_to")),
                note=d["note"],
                complexity=d.get("complexity"),
                remote_area=d.get("remote_area"),
                user=request.user,
            ),
        )

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.run(
            request,
            AcceptSerializer,
            lambda letter, d: services.letter_accept(
                letter=letter,
                accepted_on=d["accepted_on"],
                complexity=d.get("complexity"),
                remote_area=d.get("remote_area"),
                round_=int(d["round"]) if d.get("round") is not None else None,
            ),
        )

    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self.run(
            request, ExtendSerializer, lambda letter, d: services.letter_extend(letter=letter, user=request.user, **d)
        )

    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        return self.run(request, ResultSerializer, lambda letter, d: services.letter_record_result(letter=letter, **d))

    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self.run(
            request, DateSerializer, lambda letter, d: services.letter_record_report(letter=letter, reported_on=d["on"])
        )

    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        return self.run(
            request,
            DateSerializer,
            lambda letter, d: services.letter_notify_citizen(letter=letter, notified_on=d["on"]),
        )

    # Not named `split`: that is the base viewset's split of the data into columns and extras.
    @action(detail=True, methods=["post"], url_path="split", url_name="split")
    def split_letter(self, request, pk=None):
        letter = self.get_object()
        serializer = SplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.update_version(letter)
            parts = services.letter_split(letter=letter, parts=serializer.validated_data["parts"], user=request.user)
        return Response({"parts": [{"id": p.id, "register_number": p.register_number, "kind": p.kind} for p in parts]})

    @action(detail=True, methods=["post"])
    def scans(self, request, pk=None):
        """POST multipart {file, description}: add a scan (identity permission for a protected
        letter). Scans are downloaded only through the page's permission-checked view."""
        letter = self.get_object()
        serializer = ScanInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            scan = services.letter_add_scan(letter=letter, user=request.user, **serializer.validated_data)
        return Response({"id": scan.pk, "description": scan.description}, status=201)

    @action(detail=True, methods=["post"])
    def link_duplicate(self, request, pk=None):
        return self.run(
            request,
            DuplicateSerializer,
            lambda letter, d: services.letter_link_duplicate(
                letter=letter, original=get_object_or_404(Letter, pk=d["original"], council=letter.council)
            ),
        )


class IdentityLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The identity-view log: council administrators only."""

    serializer_class = IdentityLogSerializer
    filterset_fields = ["council", "letter", "visit", "via", "user"]

    def get_queryset(self):
        ids = get_access(self.request.user).council_ids(VIEW_IDENTITY_LOG)
        qs = IdentityViewLog.objects.select_related("user", "letter").order_by("-viewed_at")
        return qs if ids is None else qs.filter(council_id__any=ids)

    def list(self, request, *args, **kwargs):
        ids = get_access(request.user).council_ids(VIEW_IDENTITY_LOG)
        if ids is not None and not ids:
            self.permission_denied(request)
        return super().list(request, *args, **kwargs)


class StatisticsView(APIView):
    """GET ?council=ID&start=YYYY-MM-DD&end=YYYY-MM-DD&below=1 — the citizens section of the report."""

    @extend_schema(
        parameters=[OpenApiParameter("council", int, required=True), OpenApiParameter("start", OpenApiTypes.DATE),
                    OpenApiParameter("end", OpenApiTypes.DATE), OpenApiParameter("below", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        access = get_access(request.user)
        readable = access.council_ids(VIEW_RECEPTION)
        council_id = request.query_params.get("council")
        if not council_id or not (council_id.isascii() and council_id.isdigit()) or len(council_id) > 18:
            raise ValidationError({"council": [_("Give a council id.")]})
        council_id = int(council_id)
        if readable is not None and council_id not in readable:
            self.permission_denied(request)
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.query_params.get("start") or f"{today.year}-01-01")
            end = date.fromisoformat(request.query_params.get("end") or f"{today.year}-12-31")
        except ValueError:
            raise ValidationError({"start": ["Dates are YYYY-MM-DD."]})
        from hdnd_portal.core.models import Council
        from hdnd_portal.core.scoping import council_and_below, narrowed

        ids = [council_id]
        if request.query_params.get("below") == "1":
            ids = council_and_below(get_object_or_404(Council, pk=council_id))
            ids = narrowed(ids, readable)
        return Response(section(ids, start, end))


router = DefaultRouter()
router.register("schedules", ScheduleViewSet)
router.register("days", DayViewSet)
router.register("visits", VisitViewSet)
router.register("cases", CaseViewSet)
router.register("letters", LetterViewSet)
router.register("identity-log", IdentityLogViewSet, basename="identity-log")

urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="citizens-statistics"),
    path("", include(router.urls)),
]
