"""Reception schedules, reception days, the reception log (visits) and cases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from hdnd_portal.core.concurrency import check_and_bump, parse_version
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.prefetch import rows_of
from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from .. import identity, queries, services
from ..apps import CHANGE_RECEPTION, VIEW_RECEPTION
from ..deadlines import LABELS, deadlines_of
from ..filters import CaseFilter, DayFilter, ScheduleFilter, VisitFilter
from ..forms import (
    CancelDayForm,
    CaseForm,
    ConfirmForm,
    DayForm,
    GenerateDaysForm,
    LiftProtectionForm,
    ScheduleForm,
    SubstituteForm,
    VisitAnswerForm,
    VisitEditForm,
    VisitForm,
)
from ..models import Case, IdentityViewLog, ReceptionDay, ReceptionSchedule, Visit
from ..models.choices import REDACTED
from .base import LiftProtectionMixin, ObjectActionView, PeopleFormMixin


def _names(qs) -> str:
    return ", ".join(str(d) for d in qs.all())


# --- Schedules ------------------------------------------------------------------------------------


class ScheduleList(PortalListView):
    model = ReceptionSchedule
    permission = VIEW_RECEPTION
    title = gettext_lazy("Reception schedules")
    filterset_class = ScheduleFilter
    default_sort = "-valid_from"
    detail_url_name = "citizens:schedule_detail"
    create_url_name = "citizens:schedule_create"
    create_permission = CHANGE_RECEPTION
    export_name = "lich-tiep-cong-dan"
    columns = [
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("get_receiver_kind_display", gettext_lazy("Who receives"), sort="receiver_kind"),
        Column(lambda s: _names(s.receivers), gettext_lazy("Receiving deputies")),
        Column("location", gettext_lazy("Location")),
        Column("sessions_per_month", gettext_lazy("Sessions per month"), sort="sessions_per_month"),
        Column("get_weekday_display", gettext_lazy("Weekday")),
        Column("valid_from", gettext_lazy("Valid from"), sort="valid_from"),
        Column("is_published", gettext_lazy("Published"), sort="is_published"),
        Column("day_count", gettext_lazy("Reception days"), sort="day_count"),
    ]

    def base_queryset(self):
        return queries.schedules(self.council_ids())


class ScheduleDetail(PortalDetailView):
    model = ReceptionSchedule
    permission = VIEW_RECEPTION
    edit_permission = CHANGE_RECEPTION
    template_name = "citizens/schedule_detail.html"
    edit_url_name = "citizens:schedule_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("title", gettext_lazy("Title")),
        Column("get_receiver_kind_display", gettext_lazy("Who receives")),
        Column("body", gettext_lazy("Body")),
        Column("receivers", gettext_lazy("Receiving deputies")),
        Column("location", gettext_lazy("Location")),
        Column("sessions_per_month", gettext_lazy("Sessions per month")),
        Column("get_weekday_display", gettext_lazy("Weekday")),
        Column(lambda s: ", ".join(map(str, s.week_list())), gettext_lazy("Weeks of the month")),
        Column(lambda s: f"{s.start_time:%H:%M}–{s.end_time:%H:%M}", gettext_lazy("Time")),
        Column("valid_from", gettext_lazy("Valid from")),
        Column("valid_to", gettext_lazy("Valid to")),
        Column("is_published", gettext_lazy("Published")),
        Column("published_at", gettext_lazy("Published at")),
        Column("note", gettext_lazy("Note")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = self.object.days.prefetch_related("receivers").order_by("-date")[:24]
        context["generate_form"] = GenerateDaysForm()
        return context


class ScheduleSaveMixin:
    def perform_save(self, form):
        schedule = form.save(commit=False)
        schedule.council_id = schedule.council_id or self.council.id
        self.guard(form, schedule)
        return services.schedule_save(schedule=schedule, receivers=list(form.cleaned_data["receivers"]))


class ScheduleCreate(ScheduleSaveMixin, PortalCreateView):
    model = ReceptionSchedule
    form_class = ScheduleForm
    permission = CHANGE_RECEPTION
    title = gettext_lazy("New reception schedule")
    success_url_name = "citizens:schedule_detail"


class ScheduleEdit(ScheduleSaveMixin, PortalUpdateView):
    model = ReceptionSchedule
    form_class = ScheduleForm
    permission = CHANGE_RECEPTION
    success_url_name = "citizens:schedule_detail"


class SchedulePublish(CouncilObjectMixin, View):
    """POST: publish or withdraw a schedule (the public page shows published ones)."""

    model = ReceptionSchedule
    permission = CHANGE_RECEPTION

    def get_queryset(self):
        return ReceptionSchedule.objects.all()

    def post(self, request, pk):
        schedule = self.get_object()
        try:
            with transaction.atomic():
                check_and_bump(schedule, parse_version(request.POST.get("_version")))
                services.schedule_publish(schedule=schedule, publish=request.POST.get("publish") != "0")
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(schedule.get_absolute_url())
        messages.success(request, _("Published.") if schedule.is_published else _("Withdrawn from publication."))
        return HttpResponseRedirect(schedule.get_absolute_url())


class ScheduleGenerate(ObjectActionView):
    model = ReceptionSchedule
    permission = CHANGE_RECEPTION
    form_class = GenerateDaysForm
    title = gettext_lazy("Generate reception days")
    versioned = False  # adds days under the schedule; the schedule itself is unchanged

    def perform(self, form):
        self.created = services.schedule_generate_days(
            schedule=self.object, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )

    def success_message(self):
        return _("%(n)s reception day(s) created.") % {"n": len(self.created)}


# --- Reception days ---------------------------------------------------------------------------------


class DayList(PortalListView):
    model = ReceptionDay
    permission = VIEW_RECEPTION
    title = gettext_lazy("Reception days")
    filterset_class = DayFilter
    default_sort = "-date"
    detail_url_name = "citizens:day_detail"
    create_url_name = "citizens:day_create"
    create_permission = CHANGE_RECEPTION
    export_name = "buoi-tiep-cong-dan"
    columns = [
        Column("date", gettext_lazy("Date"), sort="date", link=True),
        Column(lambda d: d.start_time.strftime("%H:%M"), gettext_lazy("Time")),
        Column("location", gettext_lazy("Location")),
        Column(lambda d: _names(d.receivers), gettext_lazy("Receiving deputies")),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("visit_count", gettext_lazy("Visits"), sort="visit_count"),
        Column("citizen_total", gettext_lazy("Citizens"), sort="citizen_total"),
        Column("schedule__title", gettext_lazy("Schedule")),
    ]

    def base_queryset(self):
        return queries.days(self.council_ids())


class DayDetail(PortalDetailView):
    model = ReceptionDay
    permission = VIEW_RECEPTION
    edit_permission = CHANGE_RECEPTION
    template_name = "citizens/day_detail.html"
    edit_url_name = "citizens:day_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("date", gettext_lazy("Date")),
        Column(lambda d: d.start_time.strftime("%H:%M"), gettext_lazy("Time")),
        Column("location", gettext_lazy("Location")),
        Column("receivers", gettext_lazy("Receiving deputies")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("cancel_reason", gettext_lazy("Reason for cancelling")),
        Column("schedule", gettext_lazy("Schedule")),
        Column("note", gettext_lazy("Note")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = list(queries.visits([self.object.council_id]).filter(day=self.object).order_by("sequence"))
        context["visits"] = [(v, identity.visitor_summary(v)) for v in visits]
        context["substitutions"] = self.object.substitutions.select_related("absent", "substitute")
        return context


class DayCreate(PortalCreateView):
    model = ReceptionDay
    form_class = DayForm
    permission = CHANGE_RECEPTION
    title = gettext_lazy("New reception day")
    success_url_name = "citizens:day_detail"

    def perform_save(self, form):
        day = form.save(commit=False)
        day.council = self.council
        self.guard(form, day)
        return services.day_create(day=day, receivers=list(form.cleaned_data["receivers"]))


class DayEdit(PortalUpdateView):
    model = ReceptionDay
    form_class = DayForm
    permission = CHANGE_RECEPTION
    success_url_name = "citizens:day_detail"

    def perform_save(self, form):
        day = form.save(commit=False)
        self.guard(form, day)
        return services.day_update(day=day, receivers=list(form.cleaned_data["receivers"]))


class DayCancel(ObjectActionView):
    model = ReceptionDay
    permission = CHANGE_RECEPTION
    form_class = CancelDayForm
    title = gettext_lazy("Cancel the reception day")

    def perform(self, form):
        services.day_cancel(day=self.object, reason=form.cleaned_data["reason"])


class DaySubstitute(ObjectActionView):
    model = ReceptionDay
    permission = CHANGE_RECEPTION
    form_class = SubstituteForm
    title = gettext_lazy("Substitute a receiving deputy")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"day": self.object}

    def perform(self, form):
        services.day_substitute(day=self.object, user=self.request.user, **form.cleaned_data)


class DayHeld(CouncilObjectMixin, View):
    permission = CHANGE_RECEPTION

    def get_queryset(self):
        return ReceptionDay.objects.all()

    def post(self, request, pk):
        day = self.get_object()
        try:
            with transaction.atomic():
                check_and_bump(day, parse_version(request.POST.get("_version")))
                services.day_mark_held(day=day)
        except DomainError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(day.get_absolute_url())


# --- Visits (the reception log) ---------------------------------------------------------------------


def _visit_address(visit: Visit) -> str:
    if visit.is_protected:
        return str(REDACTED)
    return "; ".join(c.address for c in rows_of(visit, "citizens") if c.address)


class VisitList(PortalListView):
    model = Visit
    permission = VIEW_RECEPTION
    title = gettext_lazy("Reception log")
    filterset_class = VisitFilter
    default_sort = ["-date", "-sequence"]
    detail_url_name = "citizens:visit_detail"
    search_placeholder = gettext_lazy("Content, visitor's name (not for denunciations)…")
    export_name = "so-tiep-cong-dan"
    columns = [
        Column("sequence", gettext_lazy("No."), sort="sequence", link=True),
        Column("date", gettext_lazy("Date"), sort="date"),
        Column(identity.visitor_summary, gettext_lazy("Visitors")),
        Column("citizen_count", gettext_lazy("Citizens"), sort="citizen_count"),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("content", gettext_lazy("Content"), css="text-truncate portal-wide"),
        Column("get_outcome_display", gettext_lazy("Outcome"), sort="outcome"),
        Column("case_code", gettext_lazy("Case")),
        Column("answer_due", gettext_lazy("Answer due"), sort="answer_due"),
        Column("get_answer_display", gettext_lazy("Answer")),
    ]

    def base_queryset(self):
        # Read only: the visitors as plain lists, read by identity.visitor_summary and _visit_address.
        if self.request.GET.get("export") == "xlsx":
            return queries.visits(self.council_ids(), listed_only=True)
        return queries.logged_visits(self.council_ids())

    def export_columns(self):
        # The reception log as the law lists it: number, date, name, address, content, requests, handling.
        return [
            Column("sequence", gettext_lazy("No.")),
            Column("date", gettext_lazy("Date")),
            Column(identity.visitor_summary, gettext_lazy("Visitors")),
            Column(_visit_address, gettext_lazy("Address")),
            Column("citizen_count", gettext_lazy("Citizens")),
            Column("get_kind_display", gettext_lazy("Kind")),
            Column("content", gettext_lazy("Content")),
            Column("requests", gettext_lazy("Requests")),
            Column("handling", gettext_lazy("How it was considered and handled")),
            Column("get_outcome_display", gettext_lazy("Outcome")),
            Column("get_refusal_reason_display", gettext_lazy("Legal reason")),
            Column("forwarded_to__name", gettext_lazy("Forwarded to")),
            Column("case__code", gettext_lazy("Case")),
            Column("answer_due", gettext_lazy("Answer due")),
            Column("get_answer_display", gettext_lazy("Answer")),
            Column("answered_on", gettext_lazy("Answered on")),
        ]


class VisitDetail(PortalDetailView):
    model = Visit
    permission = VIEW_RECEPTION
    edit_permission = CHANGE_RECEPTION
    template_name = "citizens/visit_detail.html"
    edit_url_name = "citizens:visit_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("sequence", gettext_lazy("Sequence number")),
        Column("date", gettext_lazy("Date")),
        Column("day", gettext_lazy("Reception day")),
        Column("get_kind_display", gettext_lazy("Kind of matter")),
        Column("is_group", gettext_lazy("Group visit")),
        Column("citizen_count", gettext_lazy("Number of citizens")),
        Column("field", gettext_lazy("Field")),
        Column("case", gettext_lazy("Case")),
        Column("content", gettext_lazy("Content")),
        Column("requests", gettext_lazy("Requests")),
        Column("handling", gettext_lazy("How it was considered and handled")),
        Column("get_outcome_display", gettext_lazy("Outcome")),
        Column("get_refusal_reason_display", gettext_lazy("Legal reason")),
        Column("forwarded_to", gettext_lazy("Forwarded to")),
        Column("answer_due", gettext_lazy("Answer due")),
        Column("get_answer_display", gettext_lazy("Answer to the visitor")),
        Column("answered_on", gettext_lazy("Answered on")),
    ]

    def get_queryset(self):
        return Visit.objects.select_related("council", "day", "field", "case", "forwarded_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        reveal = self.request.GET.get("reveal") == "1"
        may = identity.may_see_identity(self.request.access, visit.council_id)
        shown = not visit.is_protected or (reveal and identity.disclose(request=self.request, record=visit))
        context.update(
            protected=visit.is_protected,
            identity_shown=shown,
            may_reveal=visit.is_protected and may and not shown,
            people=list(visit.citizens.all()) if shown else None,
            deadlines=deadlines_of(visit),
            labels=LABELS,
            letters=visit.letters.order_by("register_seq"),
            can_change=self.request.access.has(visit.council_id, CHANGE_RECEPTION),
            can_lift=visit.is_protected and may and self.request.access.has(visit.council_id, CHANGE_RECEPTION),
            can_protect=not visit.is_protected and self.request.access.has(visit.council_id, CHANGE_RECEPTION),
            lift_url="citizens:visit_lift_protection",
            protect_url="citizens:visit_protect",
            can_register_letter=self.request.access.has(visit.council_id, "can_change_letter"),
        )
        return context


class VisitCreate(PeopleFormMixin, PortalCreateView):
    model = Visit
    form_class = VisitForm
    permission = CHANGE_RECEPTION
    template_name = "citizens/people_form.html"
    people_extra = 3

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.day = get_object_or_404(ReceptionDay, pk=kwargs["day"])
        ids = request.access.visible_council_ids()
        if ids is not None and self.day.council_id not in ids:
            raise Http404
        if not request.access.has(self.day.council_id, CHANGE_RECEPTION):
            raise PermissionDenied(CHANGE_RECEPTION)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("people", self.people_formset())
        context["title"] = _("New visit — %(day)s") % {"day": self.day}
        context["people_title"] = _("Visitors (for a group: its representatives)")
        return context

    def post(self, request, *args, **kwargs):
        self.object = None
        form, people = self.get_form(), self.people_formset()
        if not (form.is_valid() and people.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, people=people))
        data = form.cleaned_data
        try:
            with transaction.atomic():
                self.guard(form, Visit(council=self.day.council))
                self.object = services.visit_create(
                    day=self.day,
                    kind=data["kind"],
                    citizens=self.people_rows(people),
                    citizen_count=data["citizen_count"],
                    content=data["content"],
                    requests=data["requests"],
                    handling=data["handling"],
                    outcome=data["outcome"],
                    refusal_reason=data["refusal_reason"],
                    forwarded_to=data["forwarded_to"],
                    case=data["case"],
                    field=data["field"],
                    new_case_title=data["new_case_title"],
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form, people=people))
        messages.success(request, _("Visit no. %(n)s recorded.") % {"n": self.object.sequence})
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.day.council
        return kwargs


class VisitEdit(PeopleFormMixin, PortalUpdateView):
    """Edit a visit; a protected visit's visitors are in the form only for a reader who may see
    them, and showing them is logged (via = edit)."""

    model = Visit
    form_class = VisitEditForm
    permission = CHANGE_RECEPTION
    template_name = "citizens/people_form.html"

    def hidden(self) -> bool:
        visit = self.get_object()
        return visit.is_protected and not identity.may_see_identity(self.request.access, visit.council_id)

    def people_initial_rows(self):
        if self.hidden():
            return []
        return list(self.get_object().citizens.values("full_name", "address", "id_number", "phone", "is_representative"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people_hidden"] = self.hidden()
        if not context["people_hidden"]:
            context.setdefault("people", self.people_formset())
            visit = self.get_object()
            if visit.is_protected:
                identity.log_view(
                    request=self.request, council_id=visit.council_id, visit=visit, via=IdentityViewLog.Via.EDIT
                )
        context["people_title"] = _("Visitors (for a group: its representatives)")
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        people = None if self.hidden() else self.people_formset()
        if not form.is_valid() or (people is not None and not people.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, people=people))
        self._people = people
        return self.form_valid(form)

    def perform_save(self, form):
        visit = form.save(commit=False)
        self.guard(form, visit)
        people = getattr(self, "_people", None)
        return services.visit_update(
            visit=visit, citizens=None if people is None else self.people_rows(people), user=self.request.user
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form, people=getattr(self, "_people", None)))

    def get_success_url(self):
        return self.object.get_absolute_url()


class VisitLiftProtection(LiftProtectionMixin, ObjectActionView):
    """Lift the protection of the visitors' identity (identity permission, reason, logged)."""

    model = Visit
    permission = CHANGE_RECEPTION
    form_class = LiftProtectionForm


class VisitProtect(ObjectActionView):
    model = Visit
    permission = CHANGE_RECEPTION
    form_class = ConfirmForm
    service_checks_version = True
    title = gettext_lazy("Protect the visitors' identity")

    def perform(self, form):
        services.record_protect(record=self.object, user=self.request.user, expected_version=self.expected_version)


class VisitAnswer(ObjectActionView):
    model = Visit
    permission = CHANGE_RECEPTION
    form_class = VisitAnswerForm
    title = gettext_lazy("Answer to the visitor")

    def perform(self, form):
        services.visit_answer(visit=self.object, **form.cleaned_data)


# --- Cases ------------------------------------------------------------------------------------------


class CaseList(PortalListView):
    model = Case
    permission = VIEW_RECEPTION
    title = gettext_lazy("Cases")
    filterset_class = CaseFilter
    default_sort = "-opened_on"
    detail_url_name = "citizens:case_detail"
    create_url_name = "citizens:case_create"
    create_permission = CHANGE_RECEPTION
    export_name = "vu-viec"
    columns = [
        Column("code", gettext_lazy("Case number"), sort="code", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("field__name", gettext_lazy("Field")),
        Column("opened_on", gettext_lazy("Opened on"), sort="opened_on"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("visit_count", gettext_lazy("Visits"), sort="visit_count"),
        Column("citizen_total", gettext_lazy("Citizens"), sort="citizen_total"),
        Column("letter_count", gettext_lazy("Letters"), sort="letter_count"),
    ]

    def base_queryset(self):
        return queries.cases(self.council_ids())


class CaseDetail(PortalDetailView):
    model = Case
    permission = VIEW_RECEPTION
    edit_permission = CHANGE_RECEPTION
    template_name = "citizens/case_detail.html"
    edit_url_name = "citizens:case_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("code", gettext_lazy("Case number")),
        Column("title", gettext_lazy("Title")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("field", gettext_lazy("Field")),
        Column("opened_on", gettext_lazy("Opened on")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("summary", gettext_lazy("Summary")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = queries.visits([self.object.council_id]).filter(case=self.object).order_by("date", "sequence")
        context["visits"] = [(v, identity.visitor_summary(v)) for v in visits]
        letters = queries.letters([self.object.council_id]).filter(case=self.object).order_by("received_on")
        context["letters"] = [(x, identity.sender_summary(x)) for x in letters]
        context["can_view_letters"] = self.request.access.has(self.object.council_id, "can_view_letter")
        return context


class CaseCreate(PortalCreateView):
    model = Case
    form_class = CaseForm
    permission = CHANGE_RECEPTION
    title = gettext_lazy("New case")
    success_url_name = "citizens:case_detail"

    def perform_save(self, form):
        data = form.cleaned_data
        self.guard(form, Case(council=self.council))
        case = services.case_create(
            council=self.council,
            title=data["title"],
            opened_on=data["opened_on"],
            field=data["field"],
            kind=data["kind"],
            summary=data["summary"],
        )
        if data["status"] != case.status:
            case.status = data["status"]
            case.save()
        return case


class CaseEdit(PortalUpdateView):
    model = Case
    form_class = CaseForm
    permission = CHANGE_RECEPTION
    success_url_name = "citizens:case_detail"

    def perform_save(self, form):
        case = form.save(commit=False)
        self.guard(form, case)
        return services.case_update(case=case)
