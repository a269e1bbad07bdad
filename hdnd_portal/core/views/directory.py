"""Management pages for the shared directory: councils, terms, bodies, deputies, memberships,
agencies, fields, rules, calendar exceptions, users and roles."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from .. import council_import, services
from ..exceptions import DomainError
from ..exports import XLSX
from ..filters import AgencyFilter, BodyFilter, DeputyFilter, MembershipFilter, RoleFilter, RuleFilter, TermFilter
from ..forms import (
    AgencyForm,
    BodyForm,
    CalendarExceptionForm,
    CouncilForm,
    DeputyForm,
    ExcelImportForm,
    FieldForm,
    MembershipForm,
    RoleForm,
    RuleForm,
    TermForm,
    UserCreateForm,
)
from ..models import (
    Agency,
    Body,
    CalendarException,
    Council,
    CouncilRole,
    Deputy,
    Field,
    Membership,
    PermissionGrant,
    Rule,
    Term,
)
from ..scoping import council_and_below
from ..widgets import agency_label
from .generic import (
    Column,
    PortalCreateView,
    PortalDeleteView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
)
from .mixins import CouncilMixin

# --- Councils -----------------------------------------------------------------------------


class CouncilList(PortalListView):
    """The current council and the councils below it, historical ones included (marked)."""

    model = Council
    title = _("Councils")
    template_name = "core/council_list.html"
    council_field = None
    allow_below = False
    detail_url_name = "core:council_detail"
    create_url_name = "core:council_create"
    create_permission = "can_change_council"
    default_sort = ["level", "name"]
    export_name = "hoi-dong-nhan-dan"
    columns = [
        Column("label", _("Name"), sort="name", link=True),
        Column("get_level_display", _("Level"), sort="level"),
        Column("get_unit_kind_display", _("Unit kind")),
        Column("code", _("Administrative code"), sort="code"),
        Column("parent__name", _("Parent council")),
        Column("established_on", _("Established on"), sort="established_on"),
        Column("dissolved_on", _("Dissolved on"), sort="dissolved_on"),
        Column("is_active", _("Active")),
    ]

    def base_queryset(self):
        return Council.objects.filter(id__in=council_and_below(self.council)).select_related("parent")


class CouncilDetail(PortalDetailView):
    model = Council
    council_field = "id"
    edit_permission = "can_change_council"
    edit_url_name = "core:council_edit"
    fields = [
        Column("label", _("Name")), Column("get_level_display", _("Level")),
        Column("get_unit_kind_display", _("Unit kind")), Column("code", _("Administrative code")),
        Column("parent__name", _("Parent council")), Column("place_name", _("Place name")),
        Column("established_on", _("Established on")), Column("dissolved_on", _("Dissolved on")),
        Column(lambda c: ", ".join(p.label for p in c.predecessors.all()), _("Predecessor councils")),
        Column(lambda c: ", ".join(p.label for p in c.successors.all()), _("Successor councils")),
        Column("is_active", _("Active")),
    ]


def _parent_choices(request):
    """Councils under which the user may create a council (services.may_create_council_under):
    those they administer, and the district councils below them."""
    qs = Council.objects.order_by("level", "name")
    ids = request.access.council_ids("can_change_council")
    return qs if ids is None else qs.filter(Q(id__in=ids) | Q(parent_id__in=ids, level=Council.Level.DISTRICT))


class CouncilImportTemplate(CouncilMixin, View):
    permission = "can_change_council"

    def get(self, request):
        response = HttpResponse(council_import.template_bytes(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-hoi-dong-nhan-dan.xlsx"'
        return response


class CouncilImport(CouncilMixin, View):
    """Historical district councils and pre-merger communes entered from one Excel sheet."""

    permission = "can_change_council"
    title = _("Import councils from Excel")

    def _page(self, request, form, result=None, status=200):
        return render(request, "core/import.html", {
            "form": form, "result": result, "columns": council_import.COLUMNS, "title": self.title,
            "template_url": reverse("core:council_import_template"),
            "intro": _("For the historical district councils and the commune councils before the merger of "
                       "1/7/2025: one row per council, a district above its communes. The parent, "
                       "predecessors and successors are given by administrative code, of a council already "
                       "in the portal or of a row above."),
        }, status=status)

    def get(self, request):
        return self._page(request, ExcelImportForm())

    def post(self, request):
        form = ExcelImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                result = council_import.council_import(actor=request.user, council=self.council,
                                                       uploaded=form.cleaned_data["file"])
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                if result.ok:
                    messages.success(request, gettext("%(n)s councils imported.") % {"n": len(result.created)})
                    return HttpResponseRedirect(reverse("core:council_list"))
        return self._page(request, form, result, status=400)


class CouncilCreate(PortalCreateView):
    """A council below one the user administers: a commune, or a historical district or
    pre-merger commune whose records are back-entered for the dates it existed."""

    model = Council
    form_class = CouncilForm
    permission = "can_change_council"
    title = _("New council")
    success_url_name = "core:council_detail"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = None
        kwargs["parents"] = _parent_choices(self.request)
        return kwargs

    def get_initial(self):
        return {"parent": self.council.pk}

    def perform_save(self, form):
        council = form.save(commit=False)
        return services.council_save(actor=self.request.user, council=council,
                                     predecessors=form.cleaned_data.get("predecessors"))


class CouncilEdit(PortalUpdateView):
    model = Council
    form_class = CouncilForm
    council_field = "id"
    permission = "can_change_council"
    success_url_name = "core:council_detail"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = None
        kwargs["parents"] = _parent_choices(self.request)
        return kwargs

    def perform_save(self, form):
        return services.council_save(actor=self.request.user, council=form.save(commit=False),
                                     predecessors=form.cleaned_data.get("predecessors"),
                                     expected_version=form.expected_version())


# --- Terms ----------------------------------------------------------------------------------


class TermList(PortalListView):
    model = Term
    title = _("Terms")
    filterset_class = TermFilter
    searchable = False
    default_sort = "-start_year"
    detail_url_name = "core:term_detail"
    create_url_name = "core:term_create"
    create_permission = "can_change_directory"
    export_name = "nhiem-ky"
    columns = [
        Column("numeral", _("Term"), sort="numeral", link=True),
        Column("start_year", _("First year"), sort="start_year"),
        Column("end_year", _("Last year")),
        Column("is_current", _("Current term")),
        Column("council__name", _("Council")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("council")


class TermDetail(PortalDetailView):
    model = Term
    edit_url_name = "core:term_edit"
    delete_url_name = "core:term_delete"
    fields = [Column("council__name", _("Council")), Column("numeral", _("Term")),
              Column("start_year", _("First year")), Column("end_year", _("Last year")),
              Column("start_date", _("Start date")), Column("end_date", _("End date")),
              Column("is_current", _("Current term"))]


class TermCreate(PortalCreateView):
    model = Term
    form_class = TermForm
    title = _("New term")
    success_url_name = "core:term_detail"


class TermEdit(PortalUpdateView):
    model = Term
    form_class = TermForm
    success_url_name = "core:term_detail"


class TermDelete(PortalDeleteView):
    model = Term
    success_url_name = "core:term_list"


# --- Bodies ---------------------------------------------------------------------------------


class BodyList(PortalListView):
    model = Body
    title = _("Bodies")
    filterset_class = BodyFilter
    default_sort = ["kind", "sort_key"]
    detail_url_name = "core:body_detail"
    create_url_name = "core:body_create"
    create_permission = "can_change_directory"
    export_name = "co-quan-hdnd"
    columns = [
        Column("name", _("Name"), sort="sort_key", link=True),
        Column("get_kind_display", _("Kind"), sort="kind"),
        Column("abbreviation", _("Abbreviation")),
        Column("area", _("Area")),
        Column("member_count", _("Members"), sort="member_count"),
        Column("is_active", _("Active")),
    ]

    def base_queryset(self):
        today = timezone.localdate()
        return super().base_queryset().annotate(
            member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True)
                               | Q(memberships__end_date__gte=today))
        )


class BodyDetail(PortalDetailView):
    model = Body
    template_name = "core/body_detail.html"
    edit_url_name = "core:body_edit"
    delete_url_name = "core:body_delete"
    fields = [Column("council__name", _("Council")), Column("name", _("Name")), Column("get_kind_display", _("Kind")),
              Column("abbreviation", _("Abbreviation")), Column("term", _("Term")), Column("area", _("Area")),
              Column("fields", _("Fields")), Column("is_active", _("Active"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.memberships.select_related("deputy").order_by("role", "deputy__sort_key")
        return context


class BodyCreate(PortalCreateView):
    model = Body
    form_class = BodyForm
    title = _("New body")
    success_url_name = "core:body_detail"


class BodyEdit(PortalUpdateView):
    model = Body
    form_class = BodyForm
    success_url_name = "core:body_detail"


class BodyDelete(PortalDeleteView):
    model = Body
    success_url_name = "core:body_list"


# --- Deputies -------------------------------------------------------------------------------


def _group_of(deputy) -> str:
    groups = [m.body.name for m in deputy.memberships.all() if m.body.kind == Body.Kind.GROUP and m.end_date is None]
    return ", ".join(groups)


class DeputyList(PortalListView):
    model = Deputy
    title = _("Deputies")
    filterset_class = DeputyFilter
    default_sort = "sort_key"
    search_placeholder = _("Name, constituency, phone…")
    detail_url_name = "core:deputy_detail"
    create_url_name = "core:deputy_create"
    create_permission = "can_change_directory"
    export_name = "dai-bieu"
    columns = [
        Column("full_name", _("Full name"), sort="sort_key", link=True),
        Column(_group_of, _("Delegate group")),
        Column("constituency", _("Constituency"), sort="constituency"),
        Column("is_full_time", _("Full-time")),
        Column("term__numeral", _("Term")),
        Column("start_date", _("Start date"), sort="start_date"),
        Column("end_date", _("End date"), sort="end_date"),
    ]

    def base_queryset(self):
        from django.db.models import Prefetch

        return super().base_queryset().select_related("term").prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("body"))
        )


class DeputyDetail(PortalDetailView):
    model = Deputy
    template_name = "core/deputy_detail.html"
    edit_url_name = "core:deputy_edit"
    delete_url_name = "core:deputy_delete"
    fields = [Column("council__name", _("Council")), Column("full_name", _("Full name")),
              Column("get_gender_display", _("Gender")), Column("birth_date", _("Date of birth")),
              Column("term", _("Term")), Column("constituency", _("Constituency")),
              Column("occupation", _("Position and workplace")), Column("is_full_time", _("Full-time deputy")),
              Column("email", _("E-mail")), Column("phone", _("Phone")), Column("start_date", _("Start date")),
              Column("end_date", _("End date")), Column("end_reason", _("Reason for leaving"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("body").order_by("-start_date")
        return context


class DeputyCreate(PortalCreateView):
    model = Deputy
    form_class = DeputyForm
    title = _("New deputy")
    success_url_name = "core:deputy_detail"


class DeputyEdit(PortalUpdateView):
    model = Deputy
    form_class = DeputyForm
    success_url_name = "core:deputy_detail"


class DeputyDelete(PortalDeleteView):
    model = Deputy
    success_url_name = "core:deputy_list"


# --- Memberships ----------------------------------------------------------------------------


class MembershipList(PortalListView):
    model = Membership
    title = _("Memberships")
    filterset_class = MembershipFilter
    search_column = "deputy__search_text"
    default_sort = ["body__sort_key", "role"]
    detail_url_name = "core:membership_edit"
    create_url_name = "core:membership_create"
    create_permission = "can_change_directory"
    export_name = "chuc-vu"
    columns = [
        Column("deputy__full_name", _("Deputy"), sort="deputy__sort_key", link=True),
        Column("body__name", _("Body"), sort="body__sort_key"),
        Column("get_role_display", _("Role"), sort="role"),
        Column("start_date", _("Start date"), sort="start_date"),
        Column("end_date", _("End date")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("deputy", "body")


class MembershipSaveMixin:
    def perform_save(self, form):
        membership = form.save(commit=False)
        self.guard(form, membership)
        return services.membership_save(membership=membership)


class MembershipCreate(MembershipSaveMixin, PortalCreateView):
    model = Membership
    form_class = MembershipForm
    title = _("New membership")

    def get_success_url(self):
        return reverse("core:membership_list")


class MembershipEdit(MembershipSaveMixin, PortalUpdateView):
    model = Membership
    form_class = MembershipForm

    def get_success_url(self):
        return reverse("core:membership_list")


# --- Agencies -------------------------------------------------------------------------------


class AgencyList(PortalListView):
    model = Agency
    title = _("Agencies")
    filterset_class = AgencyFilter
    default_sort = "name"
    detail_url_name = "core:agency_detail"
    create_url_name = "core:agency_create"
    create_permission = "can_change_directory"
    export_name = "co-quan"
    columns = [
        Column("name", _("Name"), sort="name", link=True),
        Column("short_name", _("Short name")),
        Column("get_kind_display", _("Kind"), sort="kind"),
        Column("head_name", _("Head of agency")),
        Column("email", _("E-mail")),
        Column("is_active", _("Active")),
    ]


class AgencyDetail(PortalDetailView):
    model = Agency
    edit_url_name = "core:agency_edit"
    delete_url_name = "core:agency_delete"
    fields = [Column("council__name", _("Council")), Column("name", _("Name")), Column("short_name", _("Short name")),
              Column("get_kind_display", _("Kind")), Column("parent", _("Parent agency")),
              Column("lower_council__name", _("Lower council")), Column("head_name", _("Head of agency")),
              Column("email", _("E-mail")), Column("phone", _("Phone")), Column("address", _("Address")),
              Column("is_active", _("Active"))]


class AgencyCreate(PortalCreateView):
    model = Agency
    form_class = AgencyForm
    title = _("New agency")
    success_url_name = "core:agency_detail"


class AgencyEdit(PortalUpdateView):
    model = Agency
    form_class = AgencyForm
    success_url_name = "core:agency_detail"


class AgencyDelete(PortalDeleteView):
    model = Agency
    success_url_name = "core:agency_list"


# --- Fields (shared taxonomy) -------------------------------------------------------------------


class FieldList(PortalListView):
    model = Field
    title = _("Fields")
    council_field = None
    allow_below = False
    default_sort = "name"
    detail_url_name = "core:field_edit"
    create_url_name = "core:field_create"
    create_permission = "can_change_council"
    export_name = "linh-vuc"
    columns = [Column("name", _("Name"), sort="name", link=True), Column("code", _("Code"), sort="code"),
               Column("is_active", _("Active"))]


class FieldCreate(PortalCreateView):
    model = Field
    form_class = FieldForm
    permission = "can_change_council"
    title = _("New field")

    def get_success_url(self):
        return reverse("core:field_list")


class FieldEdit(PortalUpdateView):
    model = Field
    form_class = FieldForm
    permission = "can_change_council"

    def visible_queryset(self):
        return Field.objects.all()

    def object_council_id(self, obj):
        return self.council.id

    def get_success_url(self):
        return reverse("core:field_list")


# --- Rules ----------------------------------------------------------------------------------


class RuleList(PortalListView):
    model = Rule
    title = _("Rules and deadlines")
    permission = "can_view_rule"
    template_name = "core/rule_list.html"
    filterset_class = RuleFilter
    council_field = None
    allow_below = False
    default_sort = ["code", "-effective_from"]
    detail_url_name = "core:rule_edit"
    create_url_name = "core:rule_create"
    create_permission = "can_change_rule"
    export_name = "quy-dinh"
    columns = [
        Column("name", _("Name"), sort="name", link=True),
        Column("display_value", _("Value")),
        Column("citation", _("Legal citation")),
        Column("get_status_display", _("Status")),
        Column("effective_from", _("Effective from"), sort="effective_from"),
        Column(lambda r: r.council.name if r.council_id else gettext("National"), _("Applies to")),
        Column("effective_to", _("In force until")),
    ]

    def base_queryset(self):
        lineage, council = [], self.council
        while council is not None:
            lineage.append(council.id)
            council = council.parent
        return Rule.objects.filter(Q(council__isnull=True) | Q(council_id__in=lineage)).select_related("council")


class RuleCreate(PortalCreateView):
    model = Rule
    form_class = RuleForm
    permission = "can_change_rule"
    title = _("Override a rule for this council")

    def perform_save(self, form):
        rule = form.save(commit=False)
        rule.council = self.council  # council admins add overrides; national rows are edited by superusers
        self.guard(form, rule)
        rule.save()
        return rule

    def get_success_url(self):
        return reverse("core:rule_list")


class RuleEdit(PortalUpdateView):
    model = Rule
    form_class = RuleForm
    permission = "can_change_rule"

    def visible_queryset(self):
        qs = Rule.objects.all()
        return qs if self.request.user.is_superuser else qs.filter(council_id__in=self.request.access.visible_council_ids())

    def object_council_id(self, obj):
        return obj.council_id or (self.council.id if self.request.user.is_superuser else None)

    def get_success_url(self):
        return reverse("core:rule_list")


# --- Calendar ---------------------------------------------------------------------------


class CalendarList(PortalListView):
    model = CalendarException
    title = _("Working-day calendar")
    permission = "can_view_rule"
    template_name = "core/calendar_list.html"
    council_field = None
    allow_below = False
    default_sort = "-date"
    create_url_name = "core:calendar_create"
    create_permission = "can_change_rule"
    detail_url_name = "core:calendar_edit"
    export_name = "lich-lam-viec"
    columns = [Column("date", _("Date"), sort="date", link=True), Column("get_kind_display", _("Kind")),
               Column("name", _("Reason"))]

    def get_context_data(self, **kwargs):
        import holidays

        context = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        context["library_holidays"] = sorted(holidays.country_holidays("VN", years=[year, year + 1], language="vi").items())
        context["can_create"] = self.request.user.is_superuser
        return context


class NationalCalendarMixin:
    """Days off and make-up working days are decided nationally: only the system operator
    (superuser) records them; council administrators read them."""

    def check_permission(self) -> None:
        if not self.request.user.is_superuser:
            raise PermissionDenied("superuser")

    def guard(self, form, obj) -> None:
        from ..concurrency import check_and_bump

        check_and_bump(obj, form.expected_version())


class CalendarCreate(NationalCalendarMixin, PortalCreateView):
    model = CalendarException
    form_class = CalendarExceptionForm
    permission = "can_change_rule"
    title = _("New calendar exception")

    def perform_save(self, form):
        return services.calendar_exception_save(exception=form.save(commit=False))

    def get_success_url(self):
        return reverse("core:calendar_list")


class CalendarEdit(NationalCalendarMixin, PortalUpdateView):
    model = CalendarException
    form_class = CalendarExceptionForm
    permission = "can_change_rule"

    def visible_queryset(self):
        return CalendarException.objects.all()

    def object_council_id(self, obj):
        return self.council.id

    def get_object(self, queryset=None):
        if not self.request.user.is_superuser:
            raise PermissionDenied("superuser")
        return super().get_object(queryset)

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        return services.calendar_exception_save(exception=obj)

    def get_success_url(self):
        return reverse("core:calendar_list")


# --- Users and roles ----------------------------------------------------------------------


class RoleList(PortalListView):
    model = CouncilRole
    title = _("Users and roles")
    permission = "can_manage_user"
    filterset_class = RoleFilter
    search_column = "user__search_text"
    allow_below = False
    default_sort = ["user__sort_key", "user__username"]
    create_url_name = "core:role_create"
    detail_url_name = "core:role_edit"
    export_name = "nguoi-dung"
    template_name = "core/role_list.html"
    columns = [
        Column("user__username", _("Username"), sort="user__username", link=True),
        Column("user__full_name", _("Full name"), sort="user__sort_key"),
        Column("user__email", _("E-mail")),
        Column("get_role_display", _("Role"), sort="role"),
        Column("deputy", _("Deputy record")),
        Column("agency", _("Agency")),
        Column("user__is_active", _("Active")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("user", "deputy", "agency")



class RoleCreate(PortalCreateView):
    model = CouncilRole
    form_class = RoleForm
    permission = "can_manage_user"
    title = _("Give a user a role on this council")

    def perform_save(self, form):
        role = form.save(commit=False)
        role.council = self.council
        return services.role_save(actor=self.request.user, role=role)

    def get_success_url(self):
        return reverse("core:role_list")


class RoleEdit(PortalUpdateView):
    model = CouncilRole
    form_class = RoleForm
    permission = "can_manage_user"

    def perform_save(self, form):
        return services.role_save(actor=self.request.user, role=form.save(commit=False),
                                  expected_version=form.expected_version())

    def get_success_url(self):
        return reverse("core:role_list")


class GrantLog(PortalListView):
    """Every role and permission granted or revoked on this council."""

    model = PermissionGrant
    title = _("Permission grants and revocations")
    permission = "can_manage_user"
    searchable = False
    allow_below = False
    default_sort = "-at"
    export_name = "nhat-ky-phan-quyen"
    columns = [
        Column("at", _("At"), sort="at"),
        Column("user__username", _("User")),
        Column(lambda g: permission_label(g.permission), _("Permission")),
        Column(lambda g: gettext("granted") if g.granted else gettext("revoked"), _("Change")),
        Column("by__username", _("By")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("user", "by")


def permission_label(name: str) -> str:
    if name.startswith("role:"):
        return gettext("role: %(r)s") % {"r": dict(CouncilRole.Role.choices).get(name[5:], name[5:])}
    return name


class UserCreate(CouncilMixin, FormView):
    """Create a user and give them a role on the current council in one step."""

    permission = "can_manage_user"
    template_name = "core/form.html"
    form_class = UserCreateForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("New user")
        context["role_choices"] = CouncilRole.Role.choices
        context["extra_form"] = RoleChoiceForm(self.request.POST or None, council=self.council)
        return context

    def form_valid(self, form):
        role_form = RoleChoiceForm(self.request.POST, council=self.council)
        if not role_form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                user = form.save()
                services.role_assign(user=user, council=self.council, actor=self.request.user,
                                     **role_form.cleaned_data)
        except DomainError as error:
            role_form.add_error(error.field, error.message)
            return self.render_to_response(self.get_context_data(form=form) | {"extra_form": role_form})
        messages.success(self.request, gettext("User %(u)s created.") % {"u": user.username})
        return HttpResponseRedirect(reverse("core:role_list"))


from django import forms as _forms  # noqa: E402


class RoleChoiceForm(_forms.Form):
    role = _forms.ChoiceField(label=_("Role"), choices=CouncilRole.Role.choices)
    deputy = _forms.ModelChoiceField(label=_("Deputy record"), queryset=Deputy.objects.none(), required=False)
    agency = _forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = Deputy.objects.filter(council=council).order_by("sort_key", "pk")
        self.fields["agency"].queryset = Agency.objects.filter(council=council)
        self.fields["agency"].label_from_instance = agency_label
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


def switch_council(request):
    """The council switcher: remember the chosen council if the user may see it."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if not request.user.is_authenticated or request.method != "POST":
        return redirect("home")
    council_id = (request.POST.get("council") or "").strip()
    if council_id.isdigit() and request.access.councils().filter(pk=int(council_id)).exists():
        request.session["current_council_id"] = int(council_id)
    else:
        messages.error(request, gettext("You have no access to that council."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("home")
    return redirect(target)
