"""API side of council scoping (the page side is core.views.mixins; change them together),
the shared base viewset, the domain-error handler and the core endpoints."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch, ProtectedError, Q, RestrictedError
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query_utils import DeferredAttribute
from django.http import Http404
from django.urls import include, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import SkipField
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.relations import MANY_RELATION_KWARGS, PKOnlyObject, RelatedField
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import check_and_bump, parse_version
from .constraints import constraint_message
from .exceptions import DomainError, StaleEditError
from .models import Agency, Body, Council, CouncilRole, Deputy, Field, Membership, Rule, Term
from .prefetch import LISTED, link_rows
from .scoping import get_access
from .search import apply_search
from .writes import WriteDenied, check_council_unchanged, check_council_write, guard_create, guard_update


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        data = {"message": str(exc.message), "extra": exc.extra}
        if exc.field:
            data["field"] = exc.field
        if isinstance(exc, StaleEditError):
            code = status.HTTP_409_CONFLICT
        elif isinstance(exc, WriteDenied):
            code = status.HTTP_403_FORBIDDEN
        else:
            code = status.HTTP_400_BAD_REQUEST
        return Response(data, status=code)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Response({"message": _("The record is still referred to by other records and cannot be deleted."),
                         "extra": None}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        first = next(iter(errors.values()))[0] if errors else _("The data is not valid.")
        return Response({"message": str(first), "extra": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (IntegrityError, DataError)):
        return Response({"message": constraint_message(exc), "extra": None}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Django's "No Petition matches the given query." is English and names the model: the
        # reader gets DRF's translated "Not found." (a record of another council is not found either).
        exc = NotFound()
    return drf_exception_handler(exc, context)


class CouncilPermission(permissions.BasePermission):
    """Viewsets declare `permissions_by_action` ({"list": "can_view_x", "create": "can_change_x", …}).
    Objects of councils the user cannot see are filtered out by the queryset (404); a missing
    permission on the object's council is 403."""

    def _required(self, view) -> str | None:
        mapping = getattr(view, "permissions_by_action", {})
        action = getattr(view, "action", None) or ""
        if action in mapping:
            return mapping[action]
        return mapping.get("read" if action in ("list", "retrieve") else "write")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        required = self._required(view)
        if required is None:
            return True
        access = get_access(request.user)
        ids = access.council_ids(required)
        # Creating and listing need the permission on at least one council.
        return ids is None or bool(ids) or getattr(view, "action", None) in ("retrieve", "update", "partial_update", "destroy")

    def has_object_permission(self, request, view, obj) -> bool:
        required = self._required(view)
        if required is None:
            return True
        return get_access(request.user).has(view.object_council_id(obj), required)


class CouncilScopedViewSet(viewsets.ModelViewSet):
    """Base viewset: queryset limited to councils the user can see; ?council=ID narrows it;
    ?q= accent-insensitive search; writes check the permission on the record's council;
    updates honour `version` (stale edits answer 409)."""

    permission_classes = [permissions.IsAuthenticated, CouncilPermission]
    permissions_by_action: dict[str, str] = {}
    council_field = "council"
    searchable = True
    # What a list joins. None: what the viewset's queryset joins. A tuple: only these relations (the
    # rows the list writes out whole), since a list writes the other related records by their id
    # and a join read their rows for nothing (−0.7 to −2.9 ms a call on the scale data).
    list_joins: tuple[str, ...] | None = None
    # Many-to-many relations a list writes as ids only: {name: the related rows' order}. Their ids
    # are read from the link table for the page's rows (core.prefetch.link_rows), not a prefetch that
    # builds a model instance for each related row (−1 to −2 ms a call on the scale data).
    list_ids: dict[str, tuple[str, ...]] = {}

    def object_council_id(self, obj) -> int:
        value = obj
        for part in self.council_field.split("__"):
            value = getattr(value, part)
        return value.id if hasattr(value, "id") else value

    def scoped(self, queryset):
        access = get_access(self.request.user)
        if getattr(self, "action", None) == "list":
            # A list shows only councils where the user holds the read permission.
            required = CouncilPermission()._required(self)
            ids = access.council_ids(required) if required else access.visible_council_ids()
        else:
            ids = access.visible_council_ids()
        if ids is not None:
            queryset = queryset.filter(**{f"{self.council_field}__any": ids})
        council = self.request.query_params.get("council")
        if council and council.isascii() and council.isdigit():  # "²".isdigit() is True but int("²") fails
            queryset = queryset.filter(**{self.council_field: int(council)})
        if self.searchable and self.request.query_params.get("q"):
            queryset = apply_search(queryset, self.request.query_params["q"])
        return queryset

    def get_queryset(self):
        return self.scoped(super().get_queryset())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.list_joins is not None and getattr(self, "action", None) == "list":
            queryset = queryset.select_related(None)
            if self.list_joins:
                queryset = queryset.select_related(*self.list_joins)
        if self.list_ids and getattr(self, "action", None) == "list" and self.paginator is not None:
            kept = [lookup for lookup in queryset._prefetch_related_lookups
                    if _prefetched_name(lookup) not in self.list_ids]
            queryset = queryset.prefetch_related(None).prefetch_related(*kept)
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.list_ids and getattr(self, "action", None) == "list":
            for name, order in self.list_ids.items():
                link_rows(page, name, (), order)
        return page

    def write_permission(self) -> str | None:
        return CouncilPermission()._required(self)

    def check_council_write(self, council_id: int | None) -> None:
        """For subclasses that create outside perform_create: the same check as core.writes."""
        check_council_write(user=self.request.user, council_id=council_id, permission=self.write_permission())

    # --- The one write path of the API (see core.writes). Subclasses override `council_of`
    # (records created under a parent) and `save_instance` (the app's service call) only.
    m2m_fields: tuple[str, ...] | None = None

    def split(self, data: dict) -> tuple[dict, dict]:
        if self.m2m_fields is None:
            model = self.get_serializer_class().Meta.model
            names = {f.name for f in model._meta.many_to_many}
        else:
            names = set(self.m2m_fields)
        m2m = {k: data.pop(k) for k in list(data) if k in names}
        return data, m2m

    def council_of(self, data: dict, instance=None) -> int | None:
        if instance is not None and instance.pk is not None:
            return self.object_council_id(instance)
        council = data.get("council")
        return council.pk if council is not None else None

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        council_id = self.council_of(data)
        guard_create(user=self.request.user, council_id=council_id, values=data, permission=self.write_permission())
        data, m2m = self.split(data)
        instance = self.get_serializer_class().Meta.model(**data)
        if council_id is not None and hasattr(instance, "council_id") and instance.council_id is None:
            instance.council_id = council_id
        with transaction.atomic():
            serializer.instance = self.save_instance(instance, m2m)

    def perform_update(self, serializer):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        expected = parse_version(self.request.data.get("version"))
        with transaction.atomic():
            guard_update(user=self.request.user, instance=instance, values=data, permission=self.write_permission(),
                         expected_version=expected, council_id=self.council_of(data, instance))
            data.pop("council", None)
            data, m2m = self.split(data)
            for key, value in data.items():
                setattr(instance, key, value)
            serializer.instance = self.save_instance(instance, m2m)

    def save_instance(self, instance, m2m: dict):
        """Default save for plain records: the model's own validation (clean, constraints), then save."""
        instance.full_clean(exclude=["version"])
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
        return instance

    def update_version(self, instance) -> None:
        """For actions that change a record outside perform_update: the version they were made on."""
        check_and_bump(instance, parse_version(self.request.data.get("version")))

class ListedManyRelatedField(serializers.ManyRelatedField):
    """Reads the row's `<source>_listed` list when the queryset prefetched it (core.prefetch.listed),
    the relation otherwise."""

    def get_attribute(self, instance):
        if len(self.source_attrs) == 1:
            rows = instance.__dict__.get(self.source_attrs[0] + LISTED)
            if rows is not None:
                return rows
        return super().get_attribute(instance)


def _prefetched_name(lookup) -> str:
    return (lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup).split(LOOKUP_SEP)[0]


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's, whose many=True form reads a listed() prefetch."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ListedManyRelatedField(**list_kwargs)


# Each serializer's fields as DRF builds them from its model, once per class and language:
# ModelSerializer builds them again for every serializer instance (model introspection, labels
# translated and compared), 2.7 ms of the letters API's 34. Each instance gets its own fields,
# made from these as DRF's own copy does (a field's class called with its arguments again).
_BUILT_FIELDS: dict[tuple, dict] = {}


def _fresh(field):
    if field._args or any(isinstance(value, serializers.Field) for value in field._kwargs.values()):
        return copy.deepcopy(field)  # a list's child or a nested serializer: its own copy too
    return field.__class__(**field._kwargs)


# The API's model serializer: its fields are built once per class and language and its rows read
# by a plan (to_representation). Its docstring is the description of every record in the OpenAPI
# schema that has none of its own; the rule it states is enforced by the write guard
# (core.writes.check_relations, check_council_unchanged), on the pages and the API alike.
class PortalSerializer(serializers.ModelSerializer):
    """A record of the portal. A related record must belong to the record's council or to a council
    where you may write, and a record cannot be moved to another council."""

    serializer_related_field = PrimaryKeyRelatedField

    def get_fields(self):
        key = (type(self), get_language())
        built = _BUILT_FIELDS.get(key)
        if built is None:
            built = _BUILT_FIELDS[key] = super().get_fields()
        return {name: _fresh(field) for name, field in built.items()}

    def to_representation(self, instance):
        """DRF's, reading a model column (and a foreign key's id) straight from the row: its
        generic get_attribute (a loop over the source's parts, a callable check) costs more than
        the value's own formatting, for each of thirty fields of fifty rows."""
        plan = self.__dict__.get("_read_plan")
        if plan is None:
            plan = self._read_plan = _read_plan(self)
        row = instance.__dict__
        data = {}
        for name, attname, field, how in plan:
            if how is _COLUMN:
                value = row[attname] if attname in row else getattr(instance, attname)
                data[name] = None if value is None else field.to_representation(value)
            elif how is _FOREIGN_ID:
                data[name] = row[attname] if attname in row else getattr(instance, attname)
            else:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                data[name] = None if check is None else field.to_representation(attribute)
        return data


_COLUMN, _FOREIGN_ID, _DRF = "column", "foreign id", "drf"


def _read_plan(serializer) -> list[tuple]:
    """For each readable field: (name, column, field, how), `how` being _COLUMN for a model
    column read as DRF reads it (getattr of its name, formatted by the field), _FOREIGN_ID for a
    foreign key shown as its id (DRF's PKOnlyObject), _DRF for anything else."""
    model = serializer.Meta.model
    columns = {f.name: f for f in model._meta.concrete_fields}
    plan = []
    for field in serializer._readable_fields:
        how, attname = _DRF, None
        model_field = columns.get(field.source) if len(field.source_attrs) == 1 else None
        if (model_field is not None and type(field).get_attribute is serializers.Field.get_attribute
                and not model_field.is_relation and model_field.attname == field.source
                # A plain column only: a file's descriptor (and any other) turns the stored value
                # into something else on the way out.
                and model_field.descriptor_class is DeferredAttribute):
            how, attname = _COLUMN, model_field.attname
        elif (model_field is not None and model_field.many_to_one
              and type(field).get_attribute is RelatedField.get_attribute
              and type(field).to_representation is serializers.PrimaryKeyRelatedField.to_representation
              and field.pk_field is None and field.use_pk_only_optimization()):
            how, attname = _FOREIGN_ID, model_field.attname
        plan.append((field.field_name, attname, field, how))
    return plan

class CouncilSerializer(serializers.ModelSerializer):
    is_historical = serializers.BooleanField(read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "level", "unit_kind", "code", "parent", "place_name", "established_on",
                  "dissolved_on", "predecessors", "is_historical", "is_active", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"predecessors": {"required": False}}


class TermSerializer(PortalSerializer):
    class Meta:
        model = Term
        fields = ["id", "council", "numeral", "start_year", "end_year", "start_date", "end_date", "is_current", "version"]
        read_only_fields = ["version"]


class BodySerializer(PortalSerializer):
    class Meta:
        model = Body
        fields = ["id", "council", "term", "kind", "name", "abbreviation", "area", "fields", "is_active", "version"]
        read_only_fields = ["version"]


class DeputySerializer(PortalSerializer):
    class Meta:
        model = Deputy
        fields = ["id", "council", "term", "full_name", "gender", "birth_date", "constituency", "occupation",
                  "is_full_time", "email", "phone", "start_date", "end_date", "end_reason", "version"]
        read_only_fields = ["version"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise ValidationError({"end_date": [_("The end date cannot be before the start date.")]})
        return attrs


class MembershipSerializer(PortalSerializer):
    class Meta:
        model = Membership
        fields = ["id", "council", "deputy", "body", "role", "start_date", "end_date", "version"]
        read_only_fields = ["version", "council"]

    def validate(self, attrs):
        body = attrs.get("body") or getattr(self.instance, "body", None)
        if body is not None:
            attrs["council"] = body.council
        return super().validate(attrs)


class AgencySerializer(PortalSerializer):
    class Meta:
        model = Agency
        fields = ["id", "council", "name", "short_name", "kind", "parent", "lower_council", "head_name", "email",
                  "phone", "address", "is_active", "version"]
        read_only_fields = ["version"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "name", "code", "is_active"]


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = ["id", "code", "name", "value", "unit", "citation", "status", "effective_from", "council", "note"]


class RoleSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = CouncilRole
        fields = ["id", "user", "username", "council", "role", "deputy", "agency", "extra_permissions", "version"]
        read_only_fields = ["version"]


DIRECTORY = {"read": "can_view_directory", "write": "can_change_directory"}


class CouncilViewSet(CouncilScopedViewSet):
    """Councils the user sees; created under a parent council the user administers (a province by
    the system operator), never moved to another parent."""

    queryset = Council.objects.select_related("parent").prefetch_related("predecessors").order_by("level", "name")
    serializer_class = CouncilSerializer
    council_field = "id"
    permissions_by_action = {"read": "can_view_directory", "write": "can_change_council"}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["level", "parent", "is_active"]

    def scoped(self, queryset):
        ids = get_access(self.request.user).visible_council_ids()
        if ids is not None:
            queryset = queryset.filter(id__in=ids)
        if self.request.query_params.get("q"):
            queryset = apply_search(queryset, self.request.query_params["q"])
        return queryset

    def perform_create(self, serializer):
        from . import services

        data = dict(serializer.validated_data)
        predecessors = data.pop("predecessors", None)
        serializer.instance = services.council_save(actor=self.request.user, council=Council(**data),
                                                    predecessors=predecessors)

    def perform_update(self, serializer):
        from . import services

        council = serializer.instance
        data = dict(serializer.validated_data)
        expected = parse_version(self.request.data.get("version"))
        predecessors = data.pop("predecessors", None)
        if "parent" in data and (data["parent"].pk if data["parent"] else None) != council.parent_id:
            raise ValidationError({"parent": [_("Parent council cannot be changed after the record is created.")]})
        for key, value in data.items():
            setattr(council, key, value)
        serializer.instance = services.council_save(actor=self.request.user, council=council,
                                                    predecessors=predecessors, expected_version=expected)

    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        """Councils from the Excel template, as on the page: every row or none. Rows without a
        parent code go under `council` (a council the user sees)."""
        from . import council_import

        council = None
        raw = str(request.data.get("council") or "")
        if raw:
            digits = raw.isascii() and raw.isdigit() and len(raw) < 10  # an id, not an integer overflow
            council = self.scoped(Council.objects.all()).filter(pk=int(raw)).first() if digits else None
            if council is None:
                raise ValidationError({"council": [_("Choose a council you can see.")]})
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": [_("Attach the Excel file.")]})
        result = council_import.council_import(actor=request.user, council=council, uploaded=uploaded)
        body = {
            "rows": result.rows,
            "created": [{"id": c.pk, "code": c.code, "name": c.name} for c in result.created],
            "errors": [{"row": line, "message": message} for line, message in result.errors],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST)

    def get_parsers(self):
        return [JSONParser(), MultiPartParser(), FormParser()]


class TermViewSet(CouncilScopedViewSet):
    queryset = Term.objects.order_by("council", "-start_year")
    serializer_class = TermSerializer
    permissions_by_action = DIRECTORY
    searchable = False
    filterset_fields = ["council", "is_current"]


class BodyViewSet(CouncilScopedViewSet):
    queryset = Body.objects.prefetch_related("fields").order_by("council", "kind", "sort_key", "pk")
    serializer_class = BodySerializer
    permissions_by_action = DIRECTORY
    filterset_fields = ["council", "kind", "term", "is_active"]


class SortKeyOrderingFilter(OrderingFilter):
    """`?ordering=full_name` orders by the stored Vietnamese sort key (core.sorting), as the pages
    do: the view maps public field names to keys in `ordering_keys`. Ties fall back to the id."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        keys = getattr(view, "ordering_keys", {})
        if not ordering or ordering == self.get_default_ordering(view):
            return ordering
        mapped = [("-" if term.startswith("-") else "") + keys.get(term.lstrip("-"), term.lstrip("-")) for term in ordering]
        return [*mapped, "pk"]


class DeputyViewSet(CouncilScopedViewSet):
    queryset = Deputy.objects.order_by("council", "sort_key", "pk")
    serializer_class = DeputySerializer
    permissions_by_action = DIRECTORY
    filterset_fields = ["council", "term", "is_full_time"]
    ordering_fields = ["full_name", "start_date"]
    ordering_keys = {"full_name": "sort_key"}
    filter_backends = [
        SortKeyOrderingFilter if backend is OrderingFilter else backend for backend in api_settings.DEFAULT_FILTER_BACKENDS
    ]


class MembershipViewSet(CouncilScopedViewSet):
    queryset = Membership.objects.select_related("deputy", "body").order_by("body", "role")
    serializer_class = MembershipSerializer
    permissions_by_action = DIRECTORY
    searchable = False
    filterset_fields = ["council", "body", "deputy", "role"]

    def council_of(self, data, instance=None):
        body = data.get("body") or getattr(instance, "body", None)
        return body.council_id if body is not None else None

    def save_instance(self, instance, m2m):
        from . import services

        return services.membership_save(membership=instance)


class AgencyViewSet(CouncilScopedViewSet):
    queryset = Agency.objects.order_by("council", "name")
    serializer_class = AgencySerializer
    permissions_by_action = DIRECTORY
    filterset_fields = ["council", "kind", "is_active"]


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Field.objects.order_by("name")
    serializer_class = FieldSerializer


class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Rules are read through the API; they are edited on the rules page."""

    queryset = Rule.objects.order_by("code", "-effective_from")
    serializer_class = RuleSerializer
    filterset_fields = ["code", "council", "unit", "status"]

    def get_queryset(self):
        # National rules for everyone; a council's overrides only for those who see that council.
        ids = get_access(self.request.user).visible_council_ids()
        qs = super().get_queryset()
        return qs if ids is None else qs.filter(Q(council__isnull=True) | Q(council_id__in=ids))


class RoleViewSet(CouncilScopedViewSet):
    """Roles of the councils the user administers; every write goes through core.services.role_save."""

    queryset = CouncilRole.objects.select_related("user").order_by("council", "user__sort_key", "user__username")
    serializer_class = RoleSerializer
    permissions_by_action = {"read": "can_manage_user", "write": "can_manage_user"}
    searchable = False
    filterset_fields = ["council", "role"]

    def scoped(self, queryset):
        # The list shows the councils the user administers; a role of a council the user sees but
        # does not administer answers 403 (CouncilPermission), like every other endpoint.
        access = get_access(self.request.user)
        ids = access.council_ids("can_manage_user") if self.action == "list" else access.visible_council_ids()
        return queryset if ids is None else queryset.filter(council_id__any=ids)

    def perform_create(self, serializer):
        from . import services

        data = dict(serializer.validated_data)
        self.check_council_write(data["council"].pk if data.get("council") else None)
        serializer.instance = services.role_save(actor=self.request.user, role=CouncilRole(**data))

    def perform_update(self, serializer):
        from . import services

        role = serializer.instance
        data = dict(serializer.validated_data)
        expected = parse_version(self.request.data.get("version"))
        with transaction.atomic():
            check_council_unchanged(role, data)
            data.pop("council", None)
            for key, value in data.items():
                setattr(role, key, value)
            serializer.instance = services.role_save(actor=self.request.user, role=role, expected_version=expected)

    def perform_destroy(self, instance):
        from . import services

        services.role_delete(actor=self.request.user, role=instance)


router = DefaultRouter()
router.register("councils", CouncilViewSet)
router.register("terms", TermViewSet)
router.register("bodies", BodyViewSet)
router.register("deputies", DeputyViewSet)
router.register("memberships", MembershipViewSet)
router.register("agencies", AgencyViewSet)
router.register("fields", FieldViewSet)
router.register("rules", RuleViewSet)
router.register("roles", RoleViewSet)

urlpatterns = [path("", include(router.urls))]
