"""Confidence votes, their subjects and the result table as PDF."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView

from .. import queries, services
from ..forms import ConfidenceSubjectForm, ConfidenceVoteForm
from ..models import ConfidenceSubject, ConfidenceVote
from ..pdf import confidence_rows, render_confidence_pdf
from .base import CHANGE_PERM, VIEW_PERM, ParentFormView


class ConfidenceList(PortalListView):
    model = ConfidenceVote
    permission = VIEW_PERM
    title = gettext_lazy("Confidence votes")
    default_sort = "-held_on"
    detail_url_name = "oversight:confidence_detail"
    create_url_name = "oversight:confidence_create"
    create_permission = CHANGE_PERM
    export_name = "lay-phieu-tin-nhiem"
    columns = [
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("held_on", gettext_lazy("Date"), sort="held_on"),
        Column("total_deputies", gettext_lazy("Total number of deputies")),
        Column("ballots_issued", gettext_lazy("Ballots issued")),
        Column("ballots_returned", gettext_lazy("Ballots returned")),
        Column("subject_count", gettext_lazy("Subjects"), sort="subject_count"),
        Column("resolution_number", gettext_lazy("Confirming resolution")),
    ]

    def base_queryset(self):
        from django.db.models import Count

        return super().base_queryset().annotate(subject_count=Count("subjects"))


class ConfidenceDetail(PortalDetailView):
    model = ConfidenceVote
    template_name = "oversight/confidence_detail.html"
    permission = VIEW_PERM
    edit_permission = CHANGE_PERM
    edit_url_name = "oversight:confidence_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("title", gettext_lazy("Title")),
        Column("council_session", gettext_lazy("Council session")),
        Column("held_on", gettext_lazy("Date")),
        Column("total_deputies", gettext_lazy("Total number of deputies")),
        Column("ballots_issued", gettext_lazy("Ballots issued")),
        Column("ballots_returned", gettext_lazy("Ballots returned")),
        Column("resolution_number", gettext_lazy("Confirming resolution")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rows=confidence_rows(self.object, queries.confidence_subjects(self.object)),
            can_change=self.request.access.has(self.object.council_id, CHANGE_PERM),
        )
        return context


class VoteSaveMixin:
    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.confidence_vote_save(vote=obj)


class ConfidenceCreate(VoteSaveMixin, PortalCreateView):
    model = ConfidenceVote
    form_class = ConfidenceVoteForm
    permission = CHANGE_PERM
    title = gettext_lazy("New confidence vote")
    success_url_name = "oversight:confidence_detail"


class ConfidenceEdit(VoteSaveMixin, PortalUpdateView):
    model = ConfidenceVote
    form_class = ConfidenceVoteForm
    permission = CHANGE_PERM
    success_url_name = "oversight:confidence_detail"


class SubjectAdd(ParentFormView):
    model = ConfidenceVote
    form_class = ConfidenceSubjectForm
    title = gettext_lazy("New subject")

    def get_initial(self):
        return {"valid_ballots": self.parent.ballots_returned, "order": self.parent.subjects.count() + 1}

    def apply(self, form, parent):
        subject = form.save(commit=False)
        subject.vote = parent
        return services.confidence_subject_save(subject=subject)


class SubjectEdit(PortalUpdateView):
    model = ConfidenceSubject
    form_class = ConfidenceSubjectForm
    permission = CHANGE_PERM

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk is None:
            obj.council = self.council
        self.guard(form, obj)
        return services.confidence_subject_save(subject=obj)

    def get_success_url(self):
        return self.object.vote.get_absolute_url()


class ConfidencePdf(PortalDetailView):
    model = ConfidenceVote
    permission = VIEW_PERM

    def get(self, request, *args, **kwargs):
        vote = self.get_object()
        pdf = render_confidence_pdf(vote)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="ket-qua-lay-phieu-tin-nhiem-{vote.pk}.pdf"'
        return response
