"""Pages of programmes, coordination programmes and briefings. Every save goes through the core
guard (DomainErrorFormMixin.guard) and then one service of programmes.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import (
    Column,
    DomainErrorFormMixin,
    PortalCreateView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
)
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from . import queries, services
from .filters import AssignedFilter, BriefingFilter, CoordinationFilter, IssuedDocumentFilter, ProgrammeFilter
from .forms import (
    BriefingForm,
    BriefingTaskForm,
    IssuedDocumentForm,
    ProgrammeForm,
    PublishForm,
    TaskDoneForm,
    TaskForm,
)
from .models import Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask
from .progress import STATE_LABELS, task_progress

VIEW, CHANGE = queries.VIEW, queries.CHANGE


# --- Programmes ------------------------------------------------------------------------------


class ProgrammeList(PortalListView):
    model = Programme
    permission = VIEW
    title = gettext_lazy("Work programmes and plans")
    filterset_class = ProgrammeFilter
    default_sort = ["-year", "kind", "part"]
    detail_url_name = "programmes:programme_detail"
    create_url_name = "programmes:programme_create"
    create_permission = CHANGE
    export_name = "chuong-trinh-cong-tac"
    coordination = False
    search_placeholder = gettext_lazy("Title or document number, without accents")

    @property
    def columns(self):
        return [
            Column("year", gettext_lazy("Year"), sort="year"),
            Column(self._period, gettext_lazy("Kind")),
            Column("title", gettext_lazy("Title"), sort="title", link=True),
            Column("body", gettext_lazy("Body")),
            Column("document_number", gettext_lazy("Document number")),
            Column("adopted_on", gettext_lazy("Adopted on"), sort="adopted_on"),
            Column(lambda p: _("Published") if p.is_published else p.get_status_display(), gettext_lazy("Status")),
            Column("task_count", gettext_lazy("Tasks"), sort="task_count", css="text-end"),
            Column(lambda p: self._summary(p)["done"], gettext_lazy("Done"), css="text-end"),
            Column(lambda p: self._summary(p)["done_late"], gettext_lazy("Done late"), css="text-end"),
            Column(lambda p: self._summary(p)["overdue"], gettext_lazy("Late"), css="text-end text-danger"),
            Column(lambda p: f"{self._summary(p)['percent']}%", gettext_lazy("Progress"), css="text-end"),
        ]

    @staticmethod
    def _period(programme: Programme) -> str:
        label = programme.get_kind_display()
        return f"{label} {programme.part}" if programme.part else label

    def _summary(self, programme) -> dict:
        summaries = getattr(self, "_summaries", None)
        if summaries is None or programme.pk not in summaries:
            self._summaries = {**(summaries or {}), **queries.summaries([programme.pk])}
        return self._summaries[programme.pk]

    def base_queryset(self):
        return queries.programmes(self.council_ids(), self.request.access, coordination=self.coordination)

    def table_rows(self, objects):
        objects = list(objects)
        self._summaries = queries.summaries([p.pk for p in objects])
        return super().table_rows(objects)

    def export(self):
        self._summaries = queries.summaries(list(self.get_queryset().values_list("pk", flat=True)))
        return super().export()


class CoordinationList(ProgrammeList):
    title = gettext_lazy("Coordination programmes")
    filterset_class = CoordinationFilter
    coordination = True
    export_name = "chuong-trinh-phoi-hop"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("create_url"):
            context["create_url"] += "?kind=coordination"
        return context


class ProgrammeQuerysetMixin:
    def get_queryset(self):
        return queries.visible_programmes(self.request.access, Programme.objects.select_related("council", "body"))


class ProgrammeDetail(ProgrammeQuerysetMixin, PortalDetailView):
    model = Programme
    template_name = "programmes/programme_detail.html"
    permission = VIEW
    edit_permission = CHANGE
    edit_url_name = "programmes:programme_edit"

    @property
    def fields(self):
        return [
            Column("council__name", gettext_lazy("Council")),
            Column("body", gettext_lazy("Body")),
            Column(ProgrammeList._period, gettext_lazy("Kind")),
            Column(lambda p: f"{p.period_start:%d/%m/%Y} – {p.period_end:%d/%m/%Y}", gettext_lazy("Period")),
            Column(lambda p: ", ".join(str(a) for a in p.partner_agencies.all()), gettext_lazy("Partner agencies")),
            Column("get_status_display", gettext_lazy("Status")),
            Column("document_number", gettext_lazy("Document number")),
            Column("adopted_on", gettext_lazy("Adopted on")),
            Column(lambda p: p.published_on.strftime("%d/%m/%Y") if p.is_published and p.published_on else _("No"),
                   gettext_lazy("Published")),
            Column("summary", gettext_lazy("Aims and requirements")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.with_progress(queries.programme_tasks(self.object))
        from .progress import summarise

        summary = summarise([p for _t, p in rows])
        groups: list[tuple[str, list]] = []
        for task, progress in rows:
            if not groups or groups[-1][0] != task.group:
                groups.append((task.group, []))
            groups[-1][1].append((task, progress))
        context.update(groups=groups, summary=summary, state_labels=STATE_LABELS, tasks_count=len(rows))
        return context


class ProgrammeSaveMixin:
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("kind") in Programme.Kind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial

    def perform_save(self, form):
        obj = form.save(commit=False)
        if not obj.council_id:
            obj.council = self.council
        self.guard(form, obj)
        return services.programme_save(programme=obj, partner_agencies=form.cleaned_data.get("partner_agencies"))


class ProgrammeCreate(ProgrammeSaveMixin, PortalCreateView):
    model = Programme
    form_class = ProgrammeForm
    permission = CHANGE
    title = gettext_lazy("New work programme or plan")
    success_url_name = "programmes:programme_detail"


class ProgrammeEdit(ProgrammeSaveMixin, ProgrammeQuerysetMixin, PortalUpdateView):
    model = Programme
    form_class = ProgrammeForm
    permission = CHANGE
    success_url_name = "programmes:programme_detail"


class ProgrammePublish(ProgrammeQuerysetMixin, CouncilObjectMixin, View):
    model = Programme
    permission = CHANGE

    def post(self, request, pk):
        programme = self.get_object()
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The record version is not valid; reload the page."))
        else:
            try:
                services.programme_publish(user=request.user, programme=programme,
                                           expected_version=form.cleaned_data["version"],
                                           published=form.cleaned_data["published"])
                messages.success(request, _("Published.") if programme.is_published else _("Unpublished."))
            except DomainError as error:
                messages.error(request, error.message)
        return HttpResponseRedirect(reverse("programmes:programme_detail", args=[pk]))


class ParentFormView(DomainErrorFormMixin, CouncilObjectMixin, FormView):
    """A child record created under a parent the user may change (the parent's council is used)."""

    template_name = "core/form.html"
    permission = CHANGE
    title = ""

    def get_queryset(self):
        return self.model.objects.select_related("council")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.parent = self.get_object()
        kwargs["council"] = self.parent.council
        kwargs["instance"] = self.new_instance(self.parent)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title}: {self.get_object()}", **kwargs)


class TaskAdd(ProgrammeQuerysetMixin, ParentFormView):
    model = Programme
    form_class = TaskForm
    title = gettext_lazy("New task")

    def get_queryset(self):
        return ProgrammeQuerysetMixin.get_queryset(self)

    def new_instance(self, parent):
        last = parent.tasks.order_by("-position").values_list("position", flat=True).first() or 0
        return ProgrammeTask(programme=parent, council=parent.council, position=last + 1)

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        return services.task_save(task=obj, links={n: form.cleaned_data.get(n, []) for n in ProgrammeTask.LINK_FIELDS})

    def get_success_url(self):
        return reverse("programmes:programme_detail", args=[self.parent.pk])


class TaskEdit(PortalUpdateView):
    model = ProgrammeTask
    form_class = TaskForm
    permission = CHANGE

    def get_queryset(self):
        return ProgrammeTask.objects.select_related("programme", "council")

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        return services.task_save(task=obj, links={n: form.cleaned_data.get(n, []) for n in ProgrammeTask.LINK_FIELDS})

    def get_success_url(self):
        return reverse("programmes:programme_detail", args=[self.object.programme_id])


class TaskList(PortalListView):
    """Every task of the council's visible programmes, with its derived progress; ?late=1 keeps the
    tasks past their due date and not done."""

    model = ProgrammeTask
    permission = VIEW
    title = gettext_lazy("Programme tasks")
    default_sort = ["due_date", "pk"]
    detail_url_name = None
    export_name = "nhiem-vu-chuong-trinh"
    search_placeholder = gettext_lazy("Task, lead or partner, without accents")

    @property
    def columns(self):
        today = timezone.localdate()
        return [
            Column("due_date", gettext_lazy("Due date"), sort="due_date"),
            Column(lambda t: task_progress(t, today).label, gettext_lazy("Progress")),
            Column("title", gettext_lazy("Task"), sort="title"),
            Column("lead", gettext_lazy("Lead")),
            Column("partners", gettext_lazy("In coordination with")),
            Column("programme__title", gettext_lazy("Programme")),
            Column(lambda t: task_progress(t, today).completed_on, gettext_lazy("Completed on")),
        ]

    def base_queryset(self):
        from .progress import annotate_done, overdue_q

        ids = self.council_ids()
        qs = ProgrammeTask.objects.filter(
            council_id__in=ids, programme__in=queries.visible_programmes(self.request.access).filter(council_id__in=ids))
        if self.request.GET.get("programme", "").isdigit():
            qs = qs.filter(programme_id=int(self.request.GET["programme"]))
        if self.request.GET.get("late") == "1":
            qs = annotate_done(qs).filter(overdue_q())
        return queries.tasks(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Late programme tasks") if self.request.GET.get("late") == "1" else self.title
        return context


class Dashboard(CouncilMixin, TemplateView):
    """At a glance: each programme of the year with its tasks done / on time / late, the late
    tasks, and the briefing tasks of the councils below."""

    template_name = "programmes/dashboard.html"
    permission = VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        access = self.request.access
        progs = list(queries.visible_programmes(access, Programme.objects.filter(
            council=self.council, year=year)).select_related("body").order_by("kind", "part", "title"))
        summaries = queries.summaries([p.pk for p in progs])
        from django.db.models import Count, Q

        today = timezone.localdate()
        below = (BriefingTask.objects.filter(briefing__council=self.council)
                 .values("assignee_council__name").annotate(
                     total=Count("id"), open=Count("id", filter=Q(status=BriefingTask.Status.OPEN)),
                     overdue=Count("id", filter=Q(status=BriefingTask.Status.OPEN, due_date__lt=today)),
                     done=Count("id", filter=Q(status=BriefingTask.Status.DONE)))
                 .order_by("-overdue", "assignee_council__name"))
        context.update(
            year=year,
            programmes=[(p, summaries[p.pk]) for p in progs],
            late=queries.overdue_tasks([self.council.id], access),
            late_count=queries.overdue_count([self.council.id], access),
            briefing_rows=list(below),
            assigned=queries.briefing_task_counts([self.council.id]),
            years=range(today.year + 1, today.year - 5, -1),
        )
        return context


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ProgrammeDocument(ProgrammeQuerysetMixin, CouncilObjectMixin, View):
    """The programme in the administrative format, as PDF or Word."""

    model = Programme
    permission = VIEW
    fmt = "pdf"

    def get(self, request, pk):
        from .document import programme_docx, programme_pdf

        programme = self.get_object()
        name = slugify(programme.document_number.replace("/", "-")) or f"chuong-trinh-{programme.pk}"
        if self.fmt == "docx":
            return _download(programme_docx(programme), f"{name}.docx",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return _download(programme_pdf(programme), f"{name}.pdf", "application/pdf")


# --- Briefings -------------------------------------------------------------------------------


class BriefingList(PortalListView):
    model = Briefing
    permission = VIEW
    title = gettext_lazy("Briefings (giao ban)")
    filterset_class = BriefingFilter
    default_sort = "-held_on"
    detail_url_name = "programmes:briefing_detail"
    create_url_name = "programmes:briefing_create"
    create_permission = CHANGE
    export_name = "giao-ban"
    columns = [
        Column("held_on", gettext_lazy("Date"), sort="held_on"),
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column(lambda b: f"{b.period_start:%d/%m/%Y} – {b.period_end:%d/%m/%Y}", gettext_lazy("Period")),
        Column("get_scope_display", gettext_lazy("With")),
        Column("participant_count", gettext_lazy("Councils taking part"), css="text-end"),
        Column("task_count", gettext_lazy("Tasks"), css="text-end"),
        Column("open_tasks", gettext_lazy("Open tasks"), css="text-end"),
        Column("get_status_display", gettext_lazy("Status")),
    ]

    def base_queryset(self):
        return queries.briefings(self.council_ids())


class BriefingDetail(PortalDetailView):
    model = Briefing
    template_name = "programmes/briefing_detail.html"
    permission = VIEW
    edit_permission = CHANGE
    edit_url_name = "programmes:briefing_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("get_scope_display", gettext_lazy("With")),
        Column(lambda b: f"{b.period_start:%d/%m/%Y} – {b.period_end:%d/%m/%Y}", gettext_lazy("Period reviewed")),
        Column("held_on", gettext_lazy("Date")),
        Column("place", gettext_lazy("Place")),
        Column("chaired_by", gettext_lazy("Chaired by")),
        Column("participants", gettext_lazy("Councils taking part")),
        Column("bodies", gettext_lazy("Committees taking part")),
        Column("notice_number", gettext_lazy("Conclusion notice number")),
        Column("get_status_display", gettext_lazy("Status")),
    ]

    def get_queryset(self):
        return Briefing.objects.select_related("council").prefetch_related("participants", "bodies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        figures = self.object.figures or {}
        keys = [c["key"] for c in figures.get("columns", [])]
        context.update(
            tasks=list(queries.briefing_tasks(self.object)),
            today=today,
            figures=figures,
            figure_rows=[(r["council"], [r.get(k, 0) for k in keys], r.get("is_convening"))
                         for r in figures.get("rows", [])],
            level_rows=[(r["label"], [r.get(k, 0) for k in keys]) for r in figures.get("levels", [])],
            total_row=[figures.get("totals", {}).get(k, 0) for k in keys],
            attendee_lines=[line.strip() for line in self.object.attendees.splitlines() if line.strip()],
        )
        return context


class BriefingSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if not obj.council_id:
            obj.council = self.council
        self.guard(form, obj)
        return services.briefing_save(briefing=obj, participants=form.cleaned_data.get("participants"),
                                      bodies=form.cleaned_data.get("bodies"))


class BriefingCreate(BriefingSaveMixin, PortalCreateView):
    model = Briefing
    form_class = BriefingForm
    permission = CHANGE
    title = gettext_lazy("New briefing")
    success_url_name = "programmes:briefing_detail"


class BriefingEdit(BriefingSaveMixin, PortalUpdateView):
    model = Briefing
    form_class = BriefingForm
    permission = CHANGE
    success_url_name = "programmes:briefing_detail"


class BriefingRefresh(CouncilObjectMixin, View):
    model = Briefing
    permission = CHANGE

    def get_queryset(self):
        return Briefing.objects.all()

    def post(self, request, pk):
        briefing = self.get_object()
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The record version is not valid; reload the page."))
        else:
            try:
                services.briefing_refresh_figures(user=request.user, briefing=briefing,
                                                  expected_version=form.cleaned_data["version"])
                messages.success(request, _("The figures were computed again from the portal."))
            except DomainError as error:
                messages.error(request, error.message)
        return HttpResponseRedirect(reverse("programmes:briefing_detail", args=[pk]))


class BriefingTaskAdd(ParentFormView):
    model = Briefing
    form_class = BriefingTaskForm
    title = gettext_lazy("New task from the briefing")

    def new_instance(self, parent):
        return BriefingTask(briefing=parent, council=parent.council, due_date=None)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Assignees may be councils below: the form offers the briefing's councils taking part.
        kwargs["briefing"] = self.parent
        return kwargs

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        return services.briefing_task_save(task=obj)

    def get_success_url(self):
        return reverse("programmes:briefing_detail", args=[self.parent.pk])


class BriefingTaskEdit(PortalUpdateView):
    model = BriefingTask
    form_class = BriefingTaskForm
    permission = CHANGE

    def get_queryset(self):
        return BriefingTask.objects.select_related("briefing", "council")

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        return services.briefing_task_save(task=obj)

    def get_success_url(self):
        return reverse("programmes:briefing_detail", args=[self.object.briefing_id])


class AssignedList(PortalListView):
    """Tasks assigned to the current council at briefings (by its own or a higher council)."""

    model = BriefingTask
    permission = VIEW
    title = gettext_lazy("Briefing tasks assigned to this council")
    council_field = "assignee_council"
    filterset_class = AssignedFilter
    default_sort = ["status", "due_date"]
    allow_below = False
    export_name = "nhiem-vu-giao-ban"
    template_name = "programmes/assigned_list.html"

    columns = [
        Column("due_date", gettext_lazy("Due date"), sort="due_date"),
        Column("title", gettext_lazy("Task"), sort="title"),
        Column("briefing__title", gettext_lazy("Briefing")),
        Column("briefing__council__name", gettext_lazy("Assigned by")),
        Column("assignee_user", gettext_lazy("Responsible person")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("completed_on", gettext_lazy("Completed on")),
        Column(lambda t: "", gettext_lazy("Action")),
    ]

    def base_queryset(self):
        return queries.assigned_tasks(self.council.id)

    def export_columns(self):
        return self.columns[:-1]

    def table_rows(self, objects):
        rows = super().table_rows(objects)
        for row, task in zip(rows, objects, strict=True):
            if task.status == BriefingTask.Status.OPEN and services.can_report_task(self.request.user, task):
                row[-1] = (_("Report done"), reverse("programmes:assigned_done", args=[task.pk]), "")
        return rows


class AssignedDone(CouncilMixin, FormView):
    """The assigned council (or the convening office, or the responsible person) reports a task done."""

    template_name = "core/form.html"
    form_class = TaskDoneForm
    permission = None

    def get_task(self) -> BriefingTask:
        if not hasattr(self, "_task"):
            access = self.request.access
            task = get_object_or_404(BriefingTask.objects.select_related("briefing", "assignee_council"),
                                     pk=self.kwargs["pk"])
            visible = access.visible_council_ids()
            if visible is not None and task.assignee_council_id not in visible and task.council_id not in visible \
                    and task.assignee_user_id != self.request.user.pk:
                raise Http404
            if not services.can_report_task(self.request.user, task):
                raise PermissionDenied(CHANGE)
            self._task = task
        return self._task

    def get_initial(self):
        return {"version": self.get_task().version, "completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Report done: %(task)s") % {"task": self.get_task()}, **kwargs)

    def form_valid(self, form):
        task = self.get_task()
        try:
            with transaction.atomic():
                services.briefing_task_complete(user=self.request.user, task=task,
                                                expected_version=form.cleaned_data["version"],
                                                completed_on=form.cleaned_data.get("completed_on"),
                                                result=form.cleaned_data.get("result", ""))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("programmes:assigned_list"))


# --- Issued documents (sổ văn bản đi) ----------------------------------------------------------


class IssuedDocumentList(PortalListView):
    """The register of documents issued by the standing committee and the committees."""

    model = IssuedDocument
    permission = VIEW
    title = gettext_lazy("Issued documents")
    filterset_class = IssuedDocumentFilter
    default_sort = ["-issued_on", "-number_seq"]
    detail_url_name = "programmes:issued_detail"
    create_url_name = "programmes:issued_create"
    create_permission = CHANGE
    export_name = "van-ban-ban-hanh"
    search_placeholder = gettext_lazy("Number or summary, without accents")
    columns = [
        Column("number", pgettext_lazy("issued document", "Number"), sort="number", link=True, css="text-nowrap"),
        Column("issued_on", pgettext_lazy("issued document", "Issued on"), sort="issued_on"),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("body__name", gettext_lazy("Issuing body")),
        Column("summary", pgettext_lazy("issued document", "Summary")),
        Column("signer_name", gettext_lazy("Signed by")),
    ]

    def base_queryset(self):
        return queries.issued_documents(self.council_ids())


class IssuedDocumentDetail(PortalDetailView):
    model = IssuedDocument
    template_name = "programmes/issued_detail.html"
    permission = VIEW
    edit_permission = CHANGE
    edit_url_name = "programmes:issued_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("number", pgettext_lazy("issued document", "Number")),
        Column("issued_on", pgettext_lazy("issued document", "Issued on")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("body__name", gettext_lazy("Issuing body")),
        Column("summary", pgettext_lazy("issued document", "Summary")),
        Column(lambda d: f"{d.signer_name} ({d.signer_title.capitalize()})" if d.signer_title else d.signer_name,
               gettext_lazy("Signed by")),
    ]

    def get_queryset(self):
        return IssuedDocument.objects.select_related("council", "body", "signer_deputy")


class IssuedDocumentSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if not obj.council_id:
            obj.council = self.council
        self.guard(form, obj)
        return services.issued_document_save(document=obj)


class IssuedDocumentCreate(IssuedDocumentSaveMixin, PortalCreateView):
    model = IssuedDocument
    form_class = IssuedDocumentForm
    permission = CHANGE
    title = gettext_lazy("New issued document")
    success_url_name = "programmes:issued_detail"

    def success_message(self) -> str:
        return _("Saved as number %(number)s.") % {"number": self.object.number}


class IssuedDocumentEdit(IssuedDocumentSaveMixin, PortalUpdateView):
    model = IssuedDocument
    form_class = IssuedDocumentForm
    permission = CHANGE
    success_url_name = "programmes:issued_detail"

    def get_queryset(self):
        return IssuedDocument.objects.select_related("council", "body")


class IssuedDocumentFile(CouncilObjectMixin, View):
    """The document's file, to those who may read the register (another council's → 404)."""

    model = IssuedDocument
    permission = VIEW

    def get_queryset(self):
        return IssuedDocument.objects.all()

    def get(self, request, pk):
        from hdnd_portal.core.files import attachment_response

        return attachment_response(self.get_object().file)
