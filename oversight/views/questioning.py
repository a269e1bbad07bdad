"""Questioning sessions (groups, respondents, questions, answers) and explanation sessions."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy

from hdnd_portal.core.models import Deadline
from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView

from .. import services
from ..filters import ExplanationFilter, QuestioningFilter
from ..forms import AnswerForm, ExplanationForm, IssueGroupForm, QuestionForm, QuestioningSessionForm, RespondentForm
from ..models import ExplanationSession, Question, QuestioningSession
from .activities import activity_commitments
from .base import CHANGE_PERM, VIEW_PERM, AssignedObjectMixin, ParentFormView, file_response


class QuestioningList(PortalListView):
    model = QuestioningSession
    permission = VIEW_PERM
    title = gettext_lazy("Questioning sessions")
    filterset_class = QuestioningFilter
    default_sort = "-held_on"
    detail_url_name = "oversight:questioning_detail"
    create_url_name = "oversight:questioning_create"
    create_permission = CHANGE_PERM
    export_name = "phien-chat-van"
    columns = [
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("get_venue_display", gettext_lazy("Held"), sort="venue"),
        Column("council_session", gettext_lazy("Council session")),
        Column("held_on", gettext_lazy("Date"), sort="held_on"),
        Column("question_count", gettext_lazy("Questions"), sort="question_count"),
        Column("respondent_count", gettext_lazy("Respondents"), sort="respondent_count"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
    ]

    def base_queryset(self):
        from django.db.models import Count

        return (
            super()
            .base_queryset()
            .select_related("council_session")
            .annotate(
                question_count=Count("questions", distinct=True), respondent_count=Count("respondents", distinct=True)
            )
        )


class QuestioningDetail(PortalDetailView):
    model = QuestioningSession
    template_name = "oversight/questioning_detail.html"
    permission = VIEW_PERM
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:questioning_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("title", gettext_lazy("Title")),
        Column("get_venue_display", gettext_lazy("Held")),
        Column("council_session", gettext_lazy("Council session")),
        Column("held_on", gettext_lazy("Date")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("get_conclusion_kind_display", gettext_lazy("Concluded by")),
        Column("conclusion_number", gettext_lazy("Conclusion document number")),
        Column("conclusion_date", gettext_lazy("Conclusion date")),
        Column("conclusion_text", gettext_lazy("Conclusion")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.object
        questions = Question.objects.filter(questioning_session=qs).select_related(
            "deputy", "respondent", "respondent__agency", "issue_group", "requestion_of", "requestion_of__deputy"
        )
        commitments = {}
        question_type = ContentType.objects.get_for_model(Question)
        from ..models import Commitment

        for c in Commitment.objects.filter(source_type=question_type, source_id__in=[q.pk for q in questions]):
            commitments.setdefault(c.source_id, []).append(c)
        rows = list(questions)
        for q in rows:
            q.commitment_list = commitments.get(q.pk, [])
        context.update(
            groups=qs.groups.select_related("field"),
            respondents=qs.respondents.select_related("agency", "agency__council"),
            questions=rows,
            can_change=self.request.access.has(qs.council_id, CHANGE_PERM),
        )
        return context


class QuestioningSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.questioning_session_save(questioning_session=obj)


class QuestioningCreate(QuestioningSaveMixin, PortalCreateView):
    model = QuestioningSession
    form_class = QuestioningSessionForm
    permission = CHANGE_PERM
    title = gettext_lazy("New questioning session")
    success_url_name = "oversight:questioning_detail"


class QuestioningEdit(QuestioningSaveMixin, PortalUpdateView):
    model = QuestioningSession
    form_class = QuestioningSessionForm
    permission = CHANGE_PERM
    success_url_name = "oversight:questioning_detail"


class IssueGroupAdd(ParentFormView):
    model = QuestioningSession
    form_class = IssueGroupForm
    title = gettext_lazy("New issue group")

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.issue_group_add(
            questioning_session=parent, title=data["title"], field=data["field"], order=data["order"]
        )


class RespondentAdd(ParentFormView):
    model = QuestioningSession
    form_class = RespondentForm
    title = gettext_lazy("New respondent")
    cross_level_fields = ("agency",)

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.respondent_add(
            questioning_session=parent,
            official_name=data["official_name"],
            post=data["post"],
            agency=data["agency"],
            official_title=data["official_title"],
            user=self.request.user,
        )


class QuestionAdd(ParentFormView):
    model = QuestioningSession
    form_class = QuestionForm
    title = gettext_lazy("New question")

    def extra_form_kwargs(self):
        return {"questioning_session": self.parent}

    def get_initial(self):
        initial = {"asked_on": self.parent.held_on}
        again = self.request.GET.get("requestion_of")
        if again and again.isdigit():
            earlier = Question.objects.filter(pk=int(again), council_id=self.parent.council_id).first()
            if earlier:
                initial.update(requestion_of=earlier.pk, deputy=earlier.deputy_id)
        return initial

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.question_ask(
            questioning_session=parent,
            deputy=data["deputy"],
            respondent=data["respondent"],
            text=data["text"],
            issue_group=data["issue_group"],
            form=data["form"],
            answer_mode=data["answer_mode"],
            asked_on=data["asked_on"],
            requestion_of=data["requestion_of"],
        )


class QuestionAnswer(ParentFormView):
    model = Question
    form_class = AnswerForm
    title = gettext_lazy("Answer")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.parent
        return kwargs

    def apply(self, form, parent):
        data = form.cleaned_data
        return services.question_answer(
            question=parent,
            answer_text=data["answer_text"],
            answered_on=data["answered_on"],
            answer_mode=data["answer_mode"],
            answer_file=data.get("answer_file") or None,
            user=self.request.user,
            expected_version=form.expected_version(),
        )

    def get_success_url(self):
        return self.parent.questioning_session.get_absolute_url()


class AnswerFile(AssignedObjectMixin, PortalDetailView):
    """The written answer: the council's oversight readers and the respondent's own agency."""

    model = Question

    def get_queryset(self):
        return Question.objects.select_related("respondent")

    def item_agency_id(self, obj) -> int | None:
        return obj.respondent.agency_id

    def get(self, request, *args, **kwargs):
        return file_response(self.get_object().answer_file)


# --- Explanation sessions ---------------------------------------------------------------------


class ExplanationList(PortalListView):
    model = ExplanationSession
    permission = VIEW_PERM
    title = gettext_lazy("Explanation sessions")
    filterset_class = ExplanationFilter
    default_sort = "-held_on"
    detail_url_name = "oversight:explanation_detail"
    create_url_name = "oversight:explanation_create"
    create_permission = CHANGE_PERM
    export_name = "phien-giai-trinh"
    columns = [
        Column("topic", gettext_lazy("Topic"), sort="topic", link=True),
        Column("body", gettext_lazy("Held by")),
        Column("agency", gettext_lazy("Explaining agency"), sort="agency__name"),
        Column("held_on", gettext_lazy("Date"), sort="held_on"),
        Column("conclusion_number", gettext_lazy("Conclusion notice number")),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("body", "agency")


class ExplanationDetail(PortalDetailView):
    model = ExplanationSession
    template_name = "oversight/explanation_detail.html"
    permission = VIEW_PERM
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:explanation_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("topic", gettext_lazy("Topic")),
        Column("body", gettext_lazy("Held by")),
        Column("field", gettext_lazy("Field")),
        Column("agency", gettext_lazy("Explaining agency")),
        Column("officials", gettext_lazy("Explaining officials")),
        Column("held_on", gettext_lazy("Date")),
        Column("notice_sent_on", gettext_lazy("Notice sent on")),
        Column("conclusion_number", gettext_lazy("Conclusion notice number")),
        Column("conclusion_date", gettext_lazy("Conclusion date")),
        Column("conclusion_text", gettext_lazy("Conclusion")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            commitments=activity_commitments(self.object),
            deadlines=Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(ExplanationSession), object_id=self.object.pk
            ),
            can_change=self.request.access.has(self.object.council_id, CHANGE_PERM),
        )
        return context


class ExplanationSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.explanation_save(explanation=obj)


class ExplanationCreate(ExplanationSaveMixin, PortalCreateView):
    model = ExplanationSession
    form_class = ExplanationForm
    permission = CHANGE_PERM
    title = gettext_lazy("New explanation session")
    success_url_name = "oversight:explanation_detail"


class ExplanationEdit(ExplanationSaveMixin, PortalUpdateView):
    model = ExplanationSession
    form_class = ExplanationForm
    permission = CHANGE_PERM
    success_url_name = "oversight:explanation_detail"
