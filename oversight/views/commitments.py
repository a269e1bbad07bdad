"""The commitments register, its roadmap and progress, the re-questioning view and the reports
respondents owe before the next session."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView

from .. import queries, services
from ..filters import CommitmentFilter
from ..forms import CommitmentForm, CommitmentUpdateForm, MilestoneForm, ReceiveReportForm
from ..models import Commitment, CommitmentMilestone, ExplanationSession, OversightActivity, Question, RespondentReport
from .base import (
    CHANGE_PERM,
    REPORT_PERM,
    AssignedListMixin,
    AssignedObjectMixin,
    ParentFormView,
    file_response,
)

SOURCES = {"question": Question, "explanation": ExplanationSession, "activity": OversightActivity}


def source_url(source) -> str:
    if source is None:
        return ""
    if isinstance(source, Question):
        return source.questioning_session.get_absolute_url()
    try:
        return source.get_absolute_url()
    except Exception:  # a source of another app without a page
        return ""


def _late(obj) -> str:
    return str(gettext_lazy("Late")) if obj.is_late(timezone.localdate()) else ""


def _source_kind(obj) -> str:
    if not obj.source_type_id:
        return ""
    model = obj.source_type.model_class()
    return capfirst(model._meta.verbose_name) if model else ""


def _percent(obj) -> str:
    return f"{obj.percent}%"


COMMITMENT_COLUMNS = [
    Column("text", gettext_lazy("Commitment"), link=True),
    Column("official_name", gettext_lazy("Official"), sort="official_name"),
    Column("agency", gettext_lazy("Agency"), sort="agency__name"),
    Column("made_on", gettext_lazy("Made on"), sort="made_on"),
    Column("deadline", gettext_lazy("Deadline"), sort="deadline"),
    Column(_percent, gettext_lazy("Progress (%)")),
    Column("get_status_display", gettext_lazy("Status"), sort="status"),
    Column(_late, gettext_lazy("Late"), css="text-danger"),
    Column(_source_kind, gettext_lazy("Source")),
]


class CommitmentList(AssignedListMixin, PortalListView):
    model = Commitment
    title = gettext_lazy("Commitments register")
    filterset_class = CommitmentFilter
    default_sort = "-made_on"
    search_placeholder = gettext_lazy("Commitment, official, agency…")
    detail_url_name = "oversight:commitment_detail"
    create_url_name = "oversight:commitment_create"
    create_permission = CHANGE_PERM
    export_name = "cam-ket"
    columns = COMMITMENT_COLUMNS

    def base_queryset(self):
        return self.limit_to_agency(queries.commitments(self.council_ids()))


class RequestioningList(AssignedListMixin, PortalListView):
    """Commitments late or unfulfilled before the next session: to be questioned again."""

    model = Commitment
    template_name = "oversight/requestioning.html"
    title = gettext_lazy("Due for re-questioning")
    filterset_class = CommitmentFilter
    default_sort = ["agency__name", "deadline"]
    detail_url_name = "oversight:commitment_detail"
    export_name = "tai-chat-van"
    allow_below = False
    columns = COMMITMENT_COLUMNS

    def setup_session(self):
        if not hasattr(self, "next_session"):
            self.next_session = queries.next_session(self.council)
            self.cutoff = self.next_session.start if self.next_session else timezone.localdate()
        return self.next_session

    def base_queryset(self):
        self.setup_session()
        return self.limit_to_agency(queries.commitments_due_for_requestioning(self.council, before=self.cutoff))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.setup_session()
        context.update(
            next_session=session,
            cutoff=self.cutoff,
            can_schedule=session is not None and self.has_perm(CHANGE_PERM),
            reports=RespondentReport.objects.filter(council_session=session).select_related("agency")
            if session
            else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.has_perm(CHANGE_PERM):
            raise PermissionDenied(CHANGE_PERM)
        session = self.setup_session()
        if session is None:
            raise Http404
        try:
            reports = services.respondent_reports_schedule(council=self.council, council_session=session)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(n)s report(s) owed before the session are tracked as deadlines.") % {"n": len(reports)}
            )
        return HttpResponseRedirect(reverse("oversight:requestioning"))


class RespondentReportReceive(ParentFormView):
    model = RespondentReport
    form_class = ReceiveReportForm
    title = gettext_lazy("Report received")

    def apply(self, form, parent):
        return services.respondent_report_receive(
            report=parent,
            received_on=form.cleaned_data["received_on"],
            file=form.cleaned_data["file"],
            user=self.request.user,
        )

    def get_success_url(self):
        return reverse("oversight:requestioning")


class RespondentReportFile(AssignedObjectMixin, PortalDetailView):
    """The report an agency sent: the council's oversight readers and that agency's responders."""

    model = RespondentReport

    def get(self, request, *args, **kwargs):
        return file_response(self.get_object().file)


class CommitmentDetail(AssignedObjectMixin, PortalDetailView):
    model = Commitment
    template_name = "oversight/commitment_detail.html"
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:commitment_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("official_name", gettext_lazy("Official")),
        Column("official_title", gettext_lazy("Official's post")),
        Column("agency", gettext_lazy("Agency")),
        Column("text", gettext_lazy("Commitment")),
        Column("made_on", gettext_lazy("Made on")),
        Column("deadline", gettext_lazy("Deadline")),
        Column(_percent, gettext_lazy("Progress (%)")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("completed_on", gettext_lazy("Completed on")),
        Column("field", gettext_lazy("Field")),
        Column("deputies", gettext_lazy("Made to deputies")),
        Column("note", gettext_lazy("Note")),
    ]

    def get_queryset(self):
        return Commitment.objects.select_related("agency", "field", "council", "source_type").prefetch_related(
            "deputies"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        c = self.object
        source = c.source if c.source_type_id else None
        context.update(
            source=source,
            source_url=source_url(source),
            source_kind=c.source_type.model_class()._meta.verbose_name if c.source_type_id else "",
            milestones=c.milestones.all(),
            updates=c.updates.select_related("created_by"),
            late=c.is_late(timezone.localdate()),
            can_report=self.request.access.has(c.council_id, REPORT_PERM),
            can_change=self.request.access.has(c.council_id, CHANGE_PERM),
        )
        return context


class CommitmentCreate(PortalCreateView):
    model = Commitment
    form_class = CommitmentForm
    permission = CHANGE_PERM
    title = gettext_lazy("New commitment")
    success_url_name = "oversight:commitment_detail"

    def get_source(self):
        kind, _sep, pk = (self.request.GET.get("source") or "").partition(":")
        if kind not in SOURCES or not pk.isdigit():
            return None
        return get_object_or_404(SOURCES[kind], pk=int(pk), council=self.council)

    def get_initial(self):
        initial = super().get_initial()
        source = self.get_source()
        if isinstance(source, Question):
            initial.update(
                agency=source.respondent.agency_id,
                official_name=source.respondent.official_name,
                official_title=source.respondent.official_title or source.respondent.get_post_display(),
                made_on=source.answered_on or source.asked_on,
                deputies=[source.deputy_id],
            )
        elif isinstance(source, ExplanationSession):
            initial.update(agency=source.agency_id, made_on=source.held_on, field=source.field_id)
        elif isinstance(source, OversightActivity):
            initial.update(made_on=source.conclusion_date or source.end_date, field=source.field_id)
        return initial

    def get_context_data(self, **kwargs):
        source = self.get_source()
        if source:
            self.title = f"{type(self).title} — {source}"
        return super().get_context_data(**kwargs)

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        data = form.cleaned_data
        return services.commitment_create(
            council=self.council,
            agency=data["agency"],
            official_name=data["official_name"],
            official_title=data["official_title"],
            text=data["text"],
            made_on=data["made_on"],
            deadline=data["deadline"],
            source=self.get_source(),
            deputies=list(data["deputies"]),
            user=self.request.user,
            field=data["field"],
            note=data["note"],
        )


class CommitmentEdit(PortalUpdateView):
    model = Commitment
    form_class = CommitmentForm
    permission = CHANGE_PERM
    success_url_name = "oversight:commitment_detail"

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.commitment_update(
            commitment=obj, user=self.request.user, deputies=list(form.cleaned_data["deputies"])
        )


class MilestoneAdd(ParentFormView):
    model = Commitment
    form_class = MilestoneForm
    title = gettext_lazy("New milestone")

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.commitment_milestone_add(
            commitment=parent,
            title=data["title"],
            due_date=data["due_date"],
            done_on=data["done_on"],
            user=self.request.user,
        )


class MilestoneEdit(PortalUpdateView):
    model = CommitmentMilestone
    form_class = MilestoneForm
    permission = CHANGE_PERM

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.commitment_milestone_save(milestone=obj)

    def get_success_url(self):
        return self.object.commitment.get_absolute_url()


class CommitmentProgress(AssignedObjectMixin, ParentFormView):
    model = Commitment
    form_class = CommitmentUpdateForm
    permission = REPORT_PERM
    title = gettext_lazy("Progress update")

    def get_initial(self):
        return {"percent": self.parent.percent, "status": self.parent.status, "reported_on": timezone.localdate()}

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.commitment_progress_report(
            commitment=parent,
            percent=data["percent"],
            status=data["status"],
            text=data["text"],
            reported_on=data["reported_on"],
            document=data.get("document") or None,
            user=self.request.user,
        )


class CommitmentUpdateFile(AssignedObjectMixin, PortalDetailView):
    model = Commitment

    def get(self, request, pk, update_pk):
        commitment = self.get_object()
        update = get_object_or_404(commitment.updates, pk=update_pk)
        return file_response(update.document)
