"""Management pages for the shared directory: councils, terms, bodies, deputies, memberships,
agencies, fields, rules, calendar exceptions, users and roles."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from .. import services
from ..exceptions import DomainError
from ..filters import AgencyFilter, BodyFilter, DeputyFilter, MembershipFilter, RoleFilter, RuleFilter, TermFilter
from ..forms import (
    AgencyForm,
    BodyForm,
    CalendarExceptionForm,
    CouncilForm,
    DeputyForm,
    FieldForm,
    MembershipForm,
    RoleForm,
    RuleForm,
    TermForm,
    UserCreateForm,
)
from ..models import Agency, Body, CalendarException, Council, CouncilRole, Deputy, Field, Membership, Rule, Term
from ..scoping import council_and_below
from .generic import (
    Column,
    PortalCreateView,
    PortalDeleteView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
)
from .mixins import CouncilMixin

L = gettext_lazy

# --- Councils -----------------------------------------------------------------------------


class CouncilList(PortalListView):
    model = Council
    title = L("Councils")
    council_field = None
    allow_below = False
    detail_url_name = "core:council_detail"
    default_sort = ["level", "name"]
    export_name = "hoi-dong-nhan-dan"
    columns = [
        Column("name", L("Name"), sort="name", link=True),
        Column("get_level_display", L("Level"), sort="level"),
        Column("get_unit_kind_display", L("Unit kind")),
        Column("code", L("Administrative code"), sort="code"),
        Column("parent__name", L("Parent council")),
        Column("is_active", L("Active")),
    ]

    def base_queryset(self):
        return Council.objects.filter(id__in=council_and_below(self.council)).select_related("parent")


class CouncilDetail(PortalDetailView):
    model = Council
    council_field = "id"
    edit_permission = "can_change_council"
    edit_url_name = "core:council_edit"
    fields = [
        Column("name", L("Name")), Column("get_level_display", L("Level")),
        Column("get_unit_kind_display", L("Unit kind")), Column("code", L("Administrative code")),
        Column("parent__name", L("Parent council")), Column("place_name", L("Place name")),
        Column("is_active", L("Active")),
    ]


class CouncilEdit(PortalUpdateView):
    model = Council
    form_class = CouncilForm
    council_field = "id"
    permission = "can_change_council"
    success_url_name = "core:council_detail"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = None
        return kwargs


# --- Terms ----------------------------------------------------------------------------------


class TermList(PortalListView):
    model = Term
    title = L("Terms")
    filterset_class = TermFilter
    searchable = False
    default_sort = "-start_year"
    detail_url_name = "core:term_detail"
    create_url_name = "core:term_create"
    create_permission = "can_change_directory"
    export_name = "nhiem-ky"
    columns = [
        Column("numeral", L("Term"), sort="numeral", link=True),
        Column("start_year", L("First year"), sort="start_year"),
        Column("end_year", L("Last year")),
        Column("is_current", L("Current term")),
        Column("council__name", L("Council")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("council")


class TermDetail(PortalDetailView):
    model = Term
    edit_url_name = "core:term_edit"
    delete_url_name = "core:term_delete"
    fields = [Column("council__name", L("Council")), Column("numeral", L("Term")),
              Column("start_year", L("First year")), Column("end_year", L("Last year")),
              Column("start_date", L("Start date")), Column("end_date", L("End date")),
              Column("is_current", L("Current term"))]


class TermCreate(PortalCreateView):
    model = Term
    form_class = TermForm
    title = L("New term")
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
    title = L("Bodies")
    filterset_class = BodyFilter
    default_sort = ["kind", "name"]
    detail_url_name = "core:body_detail"
    create_url_name = "core:body_create"
    create_permission = "can_change_directory"
    export_name = "co-quan-hdnd"
    columns = [
        Column("name", L("Name"), sort="name", link=True),
        Column("get_kind_display", L("Kind"), sort="kind"),
        Column("abbreviation", L("Abbreviation")),
        Column("area", L("Area")),
        Column("member_count", L("Members"), sort="member_count"),
        Column("is_active", L("Active")),
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
    fields = [Column("council__name", L("Council")), Column("name", L("Name")), Column("get_kind_display", L("Kind")),
              Column("abbreviation", L("Abbreviation")), Column("term", L("Term")), Column("area", L("Area")),
              Column("fields", L("Fields")), Column("is_active", L("Active"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.memberships.select_related("deputy").order_by("role", "deputy__full_name")
        return context


class BodyCreate(PortalCreateView):
    model = Body
    form_class = BodyForm
    title = L("New body")
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
    title = L("Deputies")
    filterset_class = DeputyFilter
    default_sort = "full_name"
    search_placeholder = L("Name, constituency, phone…")
    detail_url_name = "core:deputy_detail"
    create_url_name = "core:deputy_create"
    create_permission = "can_change_directory"
    export_name = "dai-bieu"
    columns = [
        Column("full_name", L("Full name"), sort="full_name", link=True),
        Column(_group_of, L("Delegate group")),
        Column("constituency", L("Constituency"), sort="constituency"),
        Column("is_full_time", L("Full-time")),
        Column("term__numeral", L("Term")),
        Column("start_date", L("Start date"), sort="start_date"),
        Column("end_date", L("End date"), sort="end_date"),
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
    fields = [Column("council__name", L("Council")), Column("full_name", L("Full name")),
              Column("get_gender_display", L("Gender")), Column("birth_date", L("Date of birth")),
              Column("term", L("Term")), Column("constituency", L("Constituency")),
              Column("occupation", L("Position and workplace")), Column("is_full_time", L("Full-time deputy")),
              Column("email", L("E-mail")), Column("phone", L("Phone")), Column("start_date", L("Start date")),
              Column("end_date", L("End date")), Column("end_reason", L("Reason for leaving"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("body").order_by("-start_date")
        return context


class DeputyCreate(PortalCreateView):
    model = Deputy
    form_class = DeputyForm
    title = L("New deputy")
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
    title = L("Memberships")
    filterset_class = MembershipFilter
    search_column = "deputy__search_text"
    default_sort = ["body__name", "role"]
    detail_url_name = "core:membership_edit"
    create_url_name = "core:membership_create"
    create_permission = "can_change_directory"
    export_name = "chuc-vu"
    columns = [
        Column("deputy__full_name", L("Deputy"), sort="deputy__full_name", link=True),
        Column("body__name", L("Body"), sort="body__name"),
        Column("get_role_display", L("Role"), sort="role"),
        Column("start_date", L("Start date"), sort="start_date"),
        Column("end_date", L("End date")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("deputy", "body")


class MembershipSaveMixin:
    def perform_save(self, form):
        membership = form.save(commit=False)
        if membership.pk:
            from ..concurrency import check_and_bump

            check_and_bump(membership, form.expected_version())
        return services.membership_save(membership=membership)


class MembershipCreate(MembershipSaveMixin, PortalCreateView):
    model = Membership
    form_class = MembershipForm
    title = L("New membership")

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
    title = L("Agencies")
    filterset_class = AgencyFilter
    default_sort = "name"
    detail_url_name = "core:agency_detail"
    create_url_name = "core:agency_create"
    create_permission = "can_change_directory"
    export_name = "co-quan"
    columns = [
        Column("name", L("Name"), sort="name", link=True),
        Column("short_name", L("Short name")),
        Column("get_kind_display", L("Kind"), sort="kind"),
        Column("head_name", L("Head of agency")),
        Column("email", L("E-mail")),
        Column("is_active", L("Active")),
    ]


class AgencyDetail(PortalDetailView):
    model = Agency
    edit_url_name = "core:agency_edit"
    delete_url_name = "core:agency_delete"
    fields = [Column("council__name", L("Council")), Column("name", L("Name")), Column("short_name", L("Short name")),
              Column("get_kind_display", L("Kind")), Column("parent", L("Parent agency")),
              Column("lower_council__name", L("Lower council")), Column("head_name", L("Head of agency")),
              Column("email", L("E-mail")), Column("phone", L("Phone")), Column("address", L("Address")),
              Column("is_active", L("Active"))]


class AgencyCreate(PortalCreateView):
    model = Agency
    form_class = AgencyForm
    title = L("New agency")
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
    title = L("Fields")
    council_field = None
    allow_below = False
    default_sort = "name"
    detail_url_name = "core:field_edit"
    create_url_name = "core:field_create"
    create_permission = "can_change_council"
    export_name = "linh-vuc"
    columns = [Column("name", L("Name"), sort="name", link=True), Column("code", L("Code"), sort="code"),
               Column("is_active", L("Active"))]


class FieldCreate(PortalCreateView):
    model = Field
    form_class = FieldForm
    permission = "can_change_council"
    title = L("New field")

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
    title = L("Rules and deadlines")
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
        Column("code", L("Code"), sort="code", link=True),
        Column("name", L("Name")),
        Column("display_value", L("Value")),
        Column("citation", L("Legal citation")),
        Column("get_status_display", L("Status")),
        Column("effective_from", L("Effective from"), sort="effective_from"),
        Column(lambda r: r.council.name if r.council_id else _("National"), L("Applies to")),
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
    title = L("Override a rule for this council")

    def perform_save(self, form):
        rule = form.save(commit=False)
        rule.council = self.council  # council admins add overrides; national rows are edited by superusers
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
    title = L("Working-day calendar")
    permission = "can_view_rule"
    template_name = "core/calendar_list.html"
    council_field = None
    allow_below = False
    default_sort = "-date"
    create_url_name = "core:calendar_create"
    create_permission = "can_change_rule"
    detail_url_name = "core:calendar_edit"
    export_name = "lich-lam-viec"
    columns = [Column("date", L("Date"), sort="date", link=True), Column("get_kind_display", L("Kind")),
               Column("name", L("Reason"))]

    def get_context_data(self, **kwargs):
        import holidays

        context = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        context["library_holidays"] = sorted(holidays.country_holidays("VN", years=[year, year + 1], language="vi").items())
        return context


class CalendarCreate(PortalCreateView):
    model = CalendarException
    form_class = CalendarExceptionForm
    permission = "can_change_rule"
    title = L("New calendar exception")

    def perform_save(self, form):
        return services.calendar_exception_save(exception=form.save(commit=False))

    def get_success_url(self):
        return reverse("core:calendar_list")


class CalendarEdit(PortalUpdateView):
    model = CalendarException
    form_class = CalendarExceptionForm
    permission = "can_change_rule"

    def visible_queryset(self):
        return CalendarException.objects.all()

    def object_council_id(self, obj):
        return self.council.id

    def perform_save(self, form):
        obj = form.save(commit=False)
        from ..concurrency import check_and_bump

        check_and_bump(obj, form.expected_version())
        return services.calendar_exception_save(exception=obj)

    def get_success_url(self):
        return reverse("core:calendar_list")


# --- Users and roles ----------------------------------------------------------------------


class RoleList(PortalListView):
    model = CouncilRole
    title = L("Users and roles")
    permission = "can_manage_user"
    filterset_class = RoleFilter
    search_column = "user__search_text"
    allow_below = False
    default_sort = "user__username"
    create_url_name = "core:role_create"
    detail_url_name = "core:role_edit"
    export_name = "nguoi-dung"
    template_name = "core/role_list.html"
    columns = [
        Column("user__username", L("Username"), sort="user__username", link=True),
        Column("user__full_name", L("Full name")),
        Column("user__email", L("E-mail")),
        Column("get_role_display", L("Role"), sort="role"),
        Column("deputy", L("Deputy record")),
        Column("agency", L("Agency")),
        Column("user__is_active", L("Active")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("user", "deputy", "agency")



class RoleCreate(PortalCreateView):
    model = CouncilRole
    form_class = RoleForm
    permission = "can_manage_user"
    title = L("Give a user a role on this council")

    def get_success_url(self):
        return reverse("core:role_list")


class RoleEdit(PortalUpdateView):
    model = CouncilRole
    form_class = RoleForm
    permission = "can_manage_user"

    def get_success_url(self):
        return reverse("core:role_list")


class UserCreate(CouncilMixin, FormView):
    """Create a user and give them a role on the current council in one step."""

    permission = "can_manage_user"
    template_name = "core/form.html"
    form_class = UserCreateForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("New user")
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
                services.role_assign(user=user, council=self.council, **role_form.cleaned_data)
        except DomainError as error:
            role_form.add_error(error.field, error.message)
            return self.render_to_response(self.get_context_data(form=form) | {"extra_form": role_form})
        messages.success(self.request, _("User %(u)s created.") % {"u": user.username})
        return HttpResponseRedirect(reverse("core:role_list"))


from django import forms as _forms  # noqa: E402


class RoleChoiceForm(_forms.Form):
    role = _forms.ChoiceField(label=L("Role"), choices=CouncilRole.Role.choices)
    deputy = _forms.ModelChoiceField(label=L("Deputy record"), queryset=Deputy.objects.none(), required=False)
    agency = _forms.ModelChoiceField(label=L("Agency"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = Deputy.objects.filter(council=council)
        self.fields["agency"].queryset = Agency.objects.filter(council=council)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


def switch_council(request):
    """The council switcher: remember the chosen council if the user may see it."""
    from django.contrib.auth.decorators import login_required  # noqa: F401

    if not request.user.is_authenticated or request.method != "POST":
        return redirect("home")
    council_id = request.POST.get("council")
    if council_id and request.access.councils().filter(pk=council_id).exists():
        request.session["current_council_id"] = int(council_id)
    else:
        messages.error(request, _("You have no access to that council."))
    return redirect(request.POST.get("next") or "home")
