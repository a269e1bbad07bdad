"""Each deputy's oversight record: the questions they asked, the activities they joined."""

from django.utils.translation import gettext_lazy

from hdnd_portal.core.models import Deputy
from hdnd_portal.core.views.generic import Column, PortalDetailView, PortalListView

from .. import queries
from .base import VIEW_PERM


class DeputyRecordList(PortalListView):
    model = Deputy
    permission = VIEW_PERM
    title = gettext_lazy("Deputies' oversight record")
    default_sort = "sort_key"
    detail_url_name = "oversight:deputy_record"
    export_name = "ho-so-giam-sat-dai-bieu"
    allow_below = False
    columns = [
        Column("full_name", gettext_lazy("Full name"), sort="sort_key", link=True),
        Column("constituency", gettext_lazy("Constituency"), sort="constituency"),
        Column("question_count", gettext_lazy("Questions asked"), sort="question_count"),
        Column("activity_count", gettext_lazy("Oversight activities joined"), sort="activity_count"),
        Column("commitment_count", gettext_lazy("Commitments made to them"), sort="commitment_count"),
    ]

    def base_queryset(self):
        return queries.deputies_with_record(self.council_ids())


class DeputyRecord(PortalDetailView):
    model = Deputy
    template_name = "oversight/deputy_record.html"
    permission = VIEW_PERM
    edit_permission = "can_change_directory"
    fields = [
        Column("full_name", gettext_lazy("Full name")),
        Column("term", gettext_lazy("Term")),
        Column("constituency", gettext_lazy("Constituency")),
        Column("occupation", gettext_lazy("Position and workplace")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            questions=queries.deputy_questions(self.object),
            activities=queries.deputy_activities(self.object),
            commitments=self.object.oversight_commitments.select_related("agency"),
        )
        context["edit_url"] = context["delete_url"] = None
        return context
