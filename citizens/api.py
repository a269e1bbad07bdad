"""REST API of the citizens app (/api/citizens/). Writes call the same services as the pages.
Lists never disclose a denouncer's identity; a retrieve discloses it only to a holder of
can_view_denouncer_identity, and the disclosure is logged (via = api)."""

from datetime import date

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import timezone
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from hdnd_portal.core.api import CouncilScopedViewSet
from hdnd_portal.core.concurrency import check_and_bump, parse_version
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
    ScheduleSerializer,
    SplitSerializer,
    VisitSerializer,
)

RECEPTION = {"read": VIEW_RECEPTION, "write": CHANGE_RECEPTION}
LETTERS = {"read": VIEW_LETTER, "write": CHANGE_LETTER}


class ActionMixin:
    """Detail actions (POST) that run one service on the record and answer with the record."""

    def run(self, request, serializer_class, call):
        obj = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            call(obj, serializer.validated_data)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)


class ScheduleViewSet(CouncilScopedViewSet):
    queryset = ReceptionSchedule.objects.prefetch_related("receivers").order_by("council", "-valid_from")
    serializer_class = ScheduleSerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "receiver_kind", "is_published"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self.check_council_write(data["council"].id)
        receivers = data.pop("receivers", [])
        serializer.instance = services.schedule_save(schedule=ReceptionSchedule(**data), receivers=receivers)

    def perform_update(self, serializer):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        receivers = data.pop("receivers", None)
        with transaction.atomic():
            check_and_bump(instance, parse_version(self.request.data.get("version")))
            for key, value in data.items():
                setattr(instance, key, value)
            services.schedule_save(schedule=instance, receivers=receivers)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        schedule = self.get_object()
        services.schedule_publish(schedule=schedule, publish=request.data.get("publish", True) not in (False, "0"))
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

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self.check_council_write(data["council"].id)
        receivers = data.pop("receivers", [])
        serializer.instance = services.day_create(day=ReceptionDay(**data), receivers=receivers)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.run(request, ReasonInput, lambda day, d: services.day_cancel(day=day, reason=d["reason"]))


class VisitViewSet(ActionMixin, CouncilScopedViewSet):
    queryset = Visit.objects.select_related("day").order_by("council", "-date", "-sequence")
    serializer_class = VisitSerializer
    permissions_by_action = RECEPTION
    filterset_fields = ["council", "day", "kind", "outcome", "case", "is_group"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.prefetch_related(queries.visible_citizens())
        return qs

    def retrieve(self, request, *args, **kwargs):
        visit = self.get_object()
        disclose = identity.disclose(request=request, record=visit, via=IdentityViewLog.Via.API)
        return Response(
            self.get_serializer(visit, context={**self.get_serializer_context(), "disclose": disclose}).data
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        day = data.pop("day")
        self.check_council_write(day.council_id)
        data.pop("council", None)
        serializer.instance = services.visit_create(
            day=day,
            kind=data["kind"],
            citizens=[dict(c) for c in data.pop("citizens", [])],
            citizen_count=data.get("citizen_count"),
            content=data["content"],
            outcome=data["outcome"],
            requests=data.get("requests", ""),
            handling=data.get("handling", ""),
            refusal_reason=data.get("refusal_reason", ""),
            forwarded_to=data.get("forwarded_to"),
            case=data.get("case"),
            field=data.get("field"),
            new_case_title=data.get("new_case_title", ""),
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        citizens = data.pop("citizens", None)
        data.pop("new_case_title", None)
        data.pop("day", None)
        if (
            citizens is not None
            and instance.is_protected
            and not identity.may_see_identity(get_access(self.request.user), instance.council_id)
        ):
            raise ValidationError({"citizens": ["The identity of a denouncer is protected."]})
        with transaction.atomic():
            check_and_bump(instance, parse_version(self.request.data.get("version")))
            for key, value in data.items():
                setattr(instance, key, value)
            services.visit_update(visit=instance, citizens=None if citizens is None else [dict(c) for c in citizens])

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

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self.check_council_write(data["council"].id)
        serializer.instance = services.case_create(
            council=data["council"],
            title=data["title"],
            opened_on=data["opened_on"],
            field=data.get("field"),
            kind=data.get("kind", ""),
            summary=data.get("summary", ""),
        )


class LetterViewSet(ActionMixin, CouncilScopedViewSet):
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
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.prefetch_related(queries.visible_senders())
        return qs

    def retrieve(self, request, *args, **kwargs):
        letter = self.get_object()
        disclose = identity.disclose(request=request, record=letter, via=IdentityViewLog.Via.API)
        return Response(
            self.get_serializer(letter, context={**self.get_serializer_context(), "disclose": disclose}).data
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        council = data.pop("council")
        self.check_council_write(council.id)
        senders = [dict(s) for s in data.pop("senders", [])]
        serializer.instance = services.letter_register(council=council, senders=senders, user=self.request.user, **data)

    def perform_update(self, serializer):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        senders = data.pop("senders", None)
        data.pop("council", None)
        if (
            senders is not None
            and instance.is_protected
            and not identity.may_see_identity(get_access(self.request.user), instance.council_id)
        ):
            raise ValidationError({"senders": ["The identity of a denouncer is protected."]})
        with transaction.atomic():
            check_and_bump(instance, parse_version(self.request.data.get("version")))
            for key, value in data.items():
                setattr(instance, key, value)
            services.letter_update(letter=instance, senders=None if senders is None else senders)

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
                complexity=d["complexity"],
                remote_area=d["remote_area"],
                round_=int(d["round"]),
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

    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        letter = self.get_object()
        serializer = SplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            parts = services.letter_split(letter=letter, parts=serializer.validated_data["parts"], user=request.user)
        return Response({"parts": [{"id": p.id, "register_number": p.register_number, "kind": p.kind} for p in parts]})

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
        return qs if ids is None else qs.filter(council_id__in=ids)

    def list(self, request, *args, **kwargs):
        ids = get_access(request.user).council_ids(VIEW_IDENTITY_LOG)
        if ids is not None and not ids:
            self.permission_denied(request)
        return super().list(request, *args, **kwargs)


class StatisticsView(APIView):
    """GET ?council=ID&start=YYYY-MM-DD&end=YYYY-MM-DD&below=1 — the citizens section of the report."""

    def get(self, request):
        access = get_access(request.user)
        readable = access.council_ids(VIEW_RECEPTION)
        council_id = request.query_params.get("council")
        if not council_id or not council_id.isdigit():
            raise ValidationError({"council": ["Give a council id."]})
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
        from hdnd_portal.core.scoping import council_and_below

        ids = [council_id]
        if request.query_params.get("below") == "1":
            ids = council_and_below(get_object_or_404(Council, pk=council_id))
            if readable is not None:
                ids = [i for i in ids if i in set(readable)]
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
