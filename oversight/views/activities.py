"""Programmes, oversight activities and recommendations."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.views import View

from hdnd_portal.core.models import Deadline
from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView

from .. import queries, services
from ..filters import ActivityFilter, ProgrammeFilter, RecommendationFilter
from ..forms import ActivityForm, EvaluationForm, ProgrammeForm, RecommendationForm, ReportForm, TopicForm
from ..models import Evidence, OversightActivity, OversightProgramme, PlannedTopic, Recommendation
from .base import (
    CHANGE_PERM,
    EVALUATE_PERM,
    REPORT_PERM,
    VIEW_PERM,
    AssignedListMixin,
    AssignedObjectMixin,
    ParentFormView,
    file_response,
)

# --- Programmes -------------------------------------------------------------------------------


class ProgrammeList(PortalListView):
    model = OversightProgramme
    permission = VIEW_PERM
    title = gettext_lazy("Annual oversight programmes")
    filterset_class = ProgrammeFilter
    default_sort = "-year"
    detail_url_name = "oversight:programme_detail"
    create_url_name = "oversight:programme_create"
    create_permission = CHANGE_PERM
    export_name = "chuong-trinh-giam-sat"
    columns = [
        Column("year", gettext_lazy("Year"), sort="year", link=True),
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("resolution_number", gettext_lazy("Adopting resolution")),
        Column("planned", gettext_lazy("Planned topics"), sort="planned"),
        Column("done", gettext_lazy("Topics done"), sort="done"),
        Column("activity_count", gettext_lazy("Activities"), sort="activity_count"),
    ]

    def base_queryset(self):
        return queries.programmes(self.council_ids())


def resolution_link(programme) -> str:
    """The adopting resolution: a link to its record when it is in the portal, else its number."""
    if programme.resolution_id:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("sessions:resolution_detail", args=[programme.resolution_id]),
            programme.resolution_number or programme.resolution,
        )
    return programme.resolution_number


class ProgrammeDetail(PortalDetailView):
    model = OversightProgramme
    template_name = "oversight/programme_detail.html"
    permission = VIEW_PERM
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:programme_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("year", gettext_lazy("Year")),
        Column("title", gettext_lazy("Title")),
        Column(resolution_link, gettext_lazy("Adopting resolution")),
        Column("resolution_date", gettext_lazy("Resolution date")),
        Column("note", gettext_lazy("Note")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = list(queries.programme_topics(self.object))
        done = sum(1 for t in topics if t.is_done)
        context.update(
            topics=topics,
            planned=len(topics),
            done=done,
            progress=round(100 * done / len(topics)) if topics else 0,
            unplanned=self.object.activities.filter(planned_topic__isnull=True).count(),
        )
        return context


class ProgrammeCreate(PortalCreateView):
    model = OversightProgramme
    form_class = ProgrammeForm
    permission = CHANGE_PERM
    title = gettext_lazy("New oversight programme")
    success_url_name = "oversight:programme_detail"

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.programme_save(programme=obj)


class ProgrammeEdit(PortalUpdateView):
    model = OversightProgramme
    form_class = ProgrammeForm
    permission = CHANGE_PERM
    success_url_name = "oversight:programme_detail"

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.programme_save(programme=obj)


class TopicAdd(ParentFormView):
    model = OversightProgramme
    form_class = TopicForm
    title = gettext_lazy("New planned topic")

    def apply(self, form, parent):
        topic = form.save(commit=False)
        topic.programme = parent
        return services.topic_save(topic=topic)


class TopicEdit(PortalUpdateView):
    model = PlannedTopic
    form_class = TopicForm
    permission = CHANGE_PERM

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.topic_save(topic=obj)

    def get_success_url(self):
        return self.object.programme.get_absolute_url()


# --- Activities -------------------------------------------------------------------------------


def _agencies(obj) -> str:
    return ", ".join(a.short_name or a.name for a in obj.agencies.all())


class ActivityList(PortalListView):
    model = OversightActivity
    permission = VIEW_PERM
    title = gettext_lazy("Oversight activities")
    filterset_class = ActivityFilter
    default_sort = "-start_date"
    search_placeholder = gettext_lazy("Topic, document number…")
    detail_url_name = "oversight:activity_detail"
    create_url_name = "oversight:activity_create"
    create_permission = CHANGE_PERM
    export_name = "hoat-dong-giam-sat"
    columns = [
        Column("topic", gettext_lazy("Topic"), sort="topic", link=True),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("conductor", gettext_lazy("Conducted by")),
        Column(_agencies, gettext_lazy("Supervised agencies")),
        Column("supervised_units", gettext_lazy("Supervised units"), sort="supervised_units"),
        Column("start_date", gettext_lazy("Start date"), sort="start_date"),
        Column("end_date", gettext_lazy("End date"), sort="end_date"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("recommendation_count", gettext_lazy("Recommendations"), sort="recommendation_count"),
    ]

    def base_queryset(self):
        return queries.activities(self.council_ids())


class ActivityDetail(PortalDetailView):
    model = OversightActivity
    template_name = "oversight/activity_detail.html"
    permission = VIEW_PERM
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:activity_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("topic", gettext_lazy("Topic")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("follows", gettext_lazy("Follow-up of")),
        Column("get_conducting_level_display", gettext_lazy("Conducted by")),
        Column("conductor", gettext_lazy("Conducting body")),
        Column("field", gettext_lazy("Field")),
        Column("programme", gettext_lazy("Programme")),
        Column("planned_topic", gettext_lazy("Planned topic")),
        Column("start_date", gettext_lazy("Start date")),
        Column("end_date", gettext_lazy("End date")),
        Column("agencies", gettext_lazy("Supervised agencies")),
        Column("supervised_units", gettext_lazy("Number of supervised units")),
        Column("team_deputies", gettext_lazy("Team deputies")),
        Column("team_staff", gettext_lazy("Team staff")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("plan_number", gettext_lazy("Plan number")),
        Column("plan_sent_on", gettext_lazy("Plan sent on")),
        Column("programme_number", gettext_lazy("Programme document number")),
        Column("programme_sent_on", gettext_lazy("Programme sent on")),
        Column("report_number", gettext_lazy("Report number")),
        Column("report_date", gettext_lazy("Report date")),
        Column("conclusion_number", gettext_lazy("Conclusion notice number")),
        Column("conclusion_date", gettext_lazy("Conclusion notice date")),
        Column("conclusion_text", gettext_lazy("Conclusion")),
    ]

    def get_queryset(self):
        return OversightActivity.objects.select_related(
            "body", "lead_deputy", "field", "programme", "planned_topic", "follows"
        ).prefetch_related("agencies", "team_deputies", "team_staff")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        today = timezone.localdate()
        context.update(
            recommendations=queries.recommendations([activity.council_id], today)
            .filter(activity=activity)
            .order_by("pk"),
            follow_ups=activity.follow_ups.all(),
            deadlines=Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(OversightActivity), object_id=activity.pk
            ).order_by("due_date"),
            documents=[
                (f.verbose_name, name)
                for name in ("plan_file", "programme_file", "report_file", "conclusion_file")
                if getattr(activity, name)
                for f in [activity._meta.get_field(name)]
            ],
            can_change=self.request.access.has(activity.council_id, CHANGE_PERM),
            commitments=activity_commitments(activity),
        )
        return context


def activity_commitments(obj):
    from ..models import Commitment

    return Commitment.objects.filter(
        source_type=ContentType.objects.get_for_model(type(obj)), source_id=obj.pk
    ).select_related("agency")


class ActivitySaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.activity_save(
            activity=obj,
            agencies=form.cleaned_data["agencies"],
            team_deputies=form.cleaned_data["team_deputies"],
            team_staff=form.cleaned_data["team_staff"],
            user=self.request.user,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(wide_fields=["topic"], **kwargs)


class ActivityCreate(ActivitySaveMixin, PortalCreateView):
    model = OversightActivity
    form_class = ActivityForm
    permission = CHANGE_PERM
    title = gettext_lazy("New oversight activity")
    success_url_name = "oversight:activity_detail"

    def get_initial(self):
        initial = super().get_initial()
        follows = self.request.GET.get("follows")
        if follows and follows.isdigit():
            initial.update(follows=int(follows), kind="follow_up")
        topic_id = self.request.GET.get("planned_topic")
        topic = (
            PlannedTopic.objects.filter(pk=topic_id, council=self.council).first()
            if (topic_id and topic_id.isdigit())
            else None
        )
        if topic:
            initial.update(
                planned_topic=topic.pk,
                programme=topic.programme_id,
                topic=topic.topic,
                kind=topic.kind,
                conducting_level=topic.conducting_level,
                body=topic.body_id,
                field=topic.field_id,
                start_date=topic.period_start,
                end_date=topic.period_end,
            )
        return initial


class ActivityEdit(ActivitySaveMixin, PortalUpdateView):
    model = OversightActivity
    form_class = ActivityForm
    permission = CHANGE_PERM
    success_url_name = "oversight:activity_detail"


class ActivityFile(PortalDetailView):
    model = OversightActivity
    permission = VIEW_PERM
    NAMES = ("plan_file", "programme_file", "report_file", "conclusion_file")

    def get(self, request, *args, **kwargs):
        if kwargs["name"] not in self.NAMES:
            from django.http import Http404

            raise Http404
        return file_response(getattr(self.get_object(), kwargs["name"]))


# --- Recommendations --------------------------------------------------------------------------


def _overdue(obj) -> str:
    return str(gettext_lazy("Overdue")) if getattr(obj, "overdue", False) else ""


class RecommendationList(AssignedListMixin, PortalListView):
    """The one list of all recommendations across activities."""

    model = Recommendation
    title = gettext_lazy("Recommendations")
    filterset_class = RecommendationFilter
    default_sort = "-issued_on"
    search_placeholder = gettext_lazy("Recommendation, agency, topic…")
    detail_url_name = "oversight:recommendation_detail"
    create_url_name = "oversight:recommendation_create"
    create_permission = CHANGE_PERM
    export_name = "kien-nghi-giam-sat"
    columns = [
        Column("text", gettext_lazy("Recommendation"), link=True),
        Column("agency", gettext_lazy("Agency"), sort="agency__name"),
        Column("activity__topic", gettext_lazy("Oversight activity")),
        Column("activity__body", gettext_lazy("Conducting body")),
        Column("field", gettext_lazy("Field")),
        Column("issued_on", gettext_lazy("Issued on"), sort="issued_on"),
        Column("deadline", gettext_lazy("Deadline"), sort="deadline"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column(_overdue, gettext_lazy("Overdue"), css="text-danger"),
        Column("get_evaluation_display", gettext_lazy("Office evaluation"), sort="evaluation"),
    ]

    def base_queryset(self):
        return self.limit_to_agency(queries.recommendations(self.council_ids()))


class RecommendationDetail(AssignedObjectMixin, PortalDetailView):
    model = Recommendation
    template_name = "oversight/recommendation_detail.html"
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:recommendation_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("activity", gettext_lazy("Oversight activity")),
        Column("agency", gettext_lazy("Agency")),
        Column("field", gettext_lazy("Field")),
        Column("text", gettext_lazy("Recommendation")),
        Column("issued_on", gettext_lazy("Issued on")),
        Column("is_complex", gettext_lazy("Complex")),
        Column("deadline", gettext_lazy("Deadline")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("done_on", gettext_lazy("Done on")),
        Column("get_evaluation_display", gettext_lazy("Office evaluation")),
        Column("evaluation_note", gettext_lazy("Evaluation note")),
        Column("evaluated_on", gettext_lazy("Evaluated on")),
        Column("evaluated_by", gettext_lazy("Evaluated by")),
        Column("needs_follow_up", gettext_lazy("For follow-up oversight")),
    ]

    def get_queryset(self):
        return Recommendation.objects.select_related("agency", "field", "activity", "evaluated_by", "council")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rec = self.object
        access = self.request.access
        context.update(
            overdue=rec.is_overdue(timezone.localdate()),
            reports=rec.reports.select_related("posted_by").prefetch_related("evidence"),
            can_report=not rec.is_closed and access.has(rec.council_id, REPORT_PERM),
            can_evaluate=not rec.is_closed and access.has(rec.council_id, EVALUATE_PERM) and rec.reports.exists(),
            can_view_activity=access.has(rec.council_id, VIEW_PERM),
        )
        return context


class RecommendationSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.recommendation_update(recommendation=obj)


class RecommendationCreate(PortalCreateView):
    model = Recommendation
    form_class = RecommendationForm
    permission = CHANGE_PERM
    title = gettext_lazy("New recommendation")
    success_url_name = "oversight:recommendation_detail"

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        data = form.cleaned_data
        return services.recommendation_create(
            activity=data["activity"],
            agency=data["agency"],
            text=data["text"],
            deadline=data["deadline"],
            issued_on=data["issued_on"],
            is_complex=data["is_complex"],
            field=data["field"],
            needs_follow_up=data["needs_follow_up"],
        )


class RecommendationAdd(ParentFormView):
    """A recommendation added from its activity's page."""

    model = OversightActivity
    form_class = RecommendationForm
    title = gettext_lazy("New recommendation")

    def extra_form_kwargs(self):
        return {"activity": self.parent}

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.recommendation_create(
            activity=parent,
            agency=data["agency"],
            text=data["text"],
            deadline=data["deadline"],
            issued_on=data["issued_on"],
            is_complex=data["is_complex"],
            field=data["field"],
            needs_follow_up=data["needs_follow_up"],
        )


class RecommendationEdit(RecommendationSaveMixin, PortalUpdateView):
    model = Recommendation
    form_class = RecommendationForm
    permission = CHANGE_PERM
    success_url_name = "oversight:recommendation_detail"


class RecommendationReportView(AssignedObjectMixin, ParentFormView):
    """The agency (or staff on its behalf) posts a progress report with evidence."""

    model = Recommendation
    form_class = ReportForm
    permission = REPORT_PERM
    title = gettext_lazy("Progress report")

    def extra_form_kwargs(self):
        return {"staff": self.request.access.has(self.parent.council_id, CHANGE_PERM)}

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.recommendation_report(
            recommendation=parent,
            status=data["status"],
            text=data["text"],
            user=self.request.user,
            reported_on=data["reported_on"],
            on_behalf=data.get("on_behalf", False),
            document_number=data["document_number"],
            files=[data["evidence"]] if data["evidence"] else [],
        )


class RecommendationEvaluate(ParentFormView):
    model = Recommendation
    form_class = EvaluationForm
    permission = EVALUATE_PERM
    title = gettext_lazy("Office evaluation")

    def get_initial(self):
        return {"needs_follow_up": self.parent.needs_follow_up, "_version": self.parent.version}

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.recommendation_evaluate(
            recommendation=parent,
            accepted=data["accepted"],
            note=data["note"],
            user=self.request.user,
            needs_follow_up=data["needs_follow_up"],
            expected_version=data["_version"],
        )


class EvidenceDownload(AssignedObjectMixin, View):
    """Evidence files are served after the same check as the recommendation itself."""

    model = Recommendation

    def get_queryset(self):
        return Recommendation.objects.all()

    def get(self, request, pk, evidence_pk):
        self.get_object()
        evidence = get_object_or_404(Evidence, pk=evidence_pk, report__recommendation_id=pk)
        return file_response(evidence.file)


def recommendation_url(pk: int) -> str:
    return reverse("oversight:recommendation_detail", args=[pk])
