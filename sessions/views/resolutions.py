"""Resolution pages: list with search and filters, adopt, detail with vote, edit."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from hdnd_portal.core.views.generic import Column, PortalDetailView, PortalListView, PortalUpdateView
from hdnd_portal.core.views.mixins import CouncilMixin

from .. import services
from ..filters import ResolutionFilter
from ..forms import ResolutionForm
from ..models import CouncilSession, Resolution
from ..queries import resolutions_list
from .base import guard_new, run_form_action


def vote_summary(resolution) -> str:
    vote = resolution.vote
    if vote is None:
        return ""
    verdict = _("Passed") if vote.passed else _("Not passed")
    return _("%(verdict)s: %(yes)s/%(total)s in favour (%(pct)s%%)") % {
        "verdict": verdict,
        "yes": vote.yes,
        "total": vote.total_deputies,
        "pct": floatformat(vote.percent(vote.yes), -2),
    }


def _session(resolution) -> str:
    """The session as str(session) writes it, from the columns resolutions_list reads."""
    if resolution.session_number is None:
        return ""
    return CouncilSession.label(resolution.session_number, resolution.session_title)


class ResolutionList(PortalListView):
    model = Resolution
    title = gettext_lazy("Resolutions")
    permission = "can_view_resolution"
    create_permission = "can_change_resolution"
    create_url_name = "sessions:resolution_create"
    detail_url_name = "sessions:resolution_detail"
    filterset_class = ResolutionFilter
    default_sort = ["-adopted_on", "-number_seq"]
    search_placeholder = gettext_lazy("Number or title, e.g. 12/NQ or ngan sach")
    export_name = "nghi-quyet"
    columns = [
        Column("number", gettext_lazy("Number"), sort="number_seq", link=True, css="text-nowrap"),
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("field_name", gettext_lazy("Field")),
        Column("adopted_on", gettext_lazy("Adoption date"), sort="adopted_on"),
        Column("effective_on", gettext_lazy("Effective date"), sort="effective_on"),
        Column(_session, gettext_lazy("Session")),
        Column("get_implementation_status_display", gettext_lazy("Implementation"), sort="implementation_status"),
        Column("is_published", gettext_lazy("Published")),
    ]

    def base_queryset(self):
        return resolutions_list(self.council_ids())


class ResolutionCreate(CouncilMixin, TemplateView):
    """Enter a resolution adopted outside an electronic or recorded vote (e.g. older records)."""

    template_name = "core/form.html"
    permission = "can_change_resolution"

    def render_form(self, form):
        return render(self.request, self.template_name, {"form": form, "title": _("New resolution")})

    def get(self, request, *args, **kwargs):
        initial = {"session": request.GET.get("session")} if request.GET.get("session") else {}
        return self.render_form(ResolutionForm(council=self.council, initial=initial))

    def post(self, request, *args, **kwargs):
        form = ResolutionForm(request.POST, request.FILES, council=self.council)
        if form.is_valid():
            data = form.cleaned_data

            def adopt():
                guard_new(self, form, self.council.id, self.permission)
                return services.resolution_adopt(
                    council=self.council,
                    title=data["title"],
                    kind=data["kind"],
                    adopted_on=data["adopted_on"],
                    session=data["session"],
                    field=data["field"],
                    effective_on=data["effective_on"],
                    responsible_agency=data["responsible_agency"],
                    is_published=data["is_published"],
                    signed_file=data["signed_file"],
                    implementation_status=data["implementation_status"],
                    implementation_note=data["implementation_note"],
                )

            saved, resolution = run_form_action(form, adopt)
            if saved:
                messages.success(request, _("Resolution %(number)s adopted.") % {"number": resolution.number})
                return HttpResponseRedirect(resolution.get_absolute_url())
        return self.render_form(form)


class ResolutionDetail(PortalDetailView):
    model = Resolution
    template_name = "sessions/resolution_detail.html"
    permission = "can_view_resolution"
    edit_permission = "can_change_resolution"
    edit_url_name = "sessions:resolution_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("number", gettext_lazy("Number")),
        Column("title", gettext_lazy("Title")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("field__name", gettext_lazy("Field")),
        Column("adopted_on", gettext_lazy("Adoption date")),
        Column("effective_on", gettext_lazy("Effective date")),
        Column("session", gettext_lazy("Session")),
        Column("agenda_item", gettext_lazy("Agenda item")),
        Column("draft", gettext_lazy("Draft")),
        Column(vote_summary, gettext_lazy("Vote")),
        Column("responsible_agency", gettext_lazy("Responsible agency")),
        Column("get_implementation_status_display", gettext_lazy("Implementation")),
        Column("implementation_note", gettext_lazy("Implementation follow-up")),
        Column("is_published", gettext_lazy("Published")),
    ]

    def get_queryset(self):
        return Resolution.objects.select_related(
            "council", "session", "agenda_item", "draft", "vote", "vote__rule", "field", "responsible_agency"
        )


class ResolutionEdit(PortalUpdateView):
    model = Resolution
    form_class = ResolutionForm
    permission = "can_change_resolution"
    success_url_name = "sessions:resolution_detail"

    def perform_save(self, form):
        resolution = form.save(commit=False)
        self.guard(form, resolution)
        return services.resolution_update(resolution=resolution)
