"""Voter meeting pages and the fast keyboard intake of a meeting's petitions."""

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.files import attachment_response
from hdnd_portal.core.prefetch import rows_of
from hdnd_portal.core.views.generic import (
    Column,
    PortalCreateView,
    PortalDeleteView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
)
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from .. import services
from ..filters import MeetingFilter
from ..forms import IntakeForm, MeetingForm
from ..models import Petition, VoterMeeting
from ..queries import DEPUTY_ORDER, meeting_list_qs, meeting_names, meeting_rows, petition_list_qs

__all__ = [
    "MeetingList",
    "MeetingDetail",
    "MeetingCreate",
    "MeetingEdit",
    "MeetingDelete",
    "MeetingIntake",
    "MeetingMinutes",
]


def _deputy_names(obj) -> str:
    return ", ".join(d.full_name for d in rows_of(obj, "deputies"))


class MeetingList(PortalListView):
    model = VoterMeeting
    title = gettext_lazy("Voter meetings")
    permission = "can_view_voter_meeting"
    create_permission = "can_change_voter_meeting"
    create_url_name = "voters:meeting_create"
    detail_url_name = "voters:meeting_detail"
    filterset_class = MeetingFilter
    default_sort = "-date"
    search_placeholder = gettext_lazy("Title, place, commune, group…")
    export_name = "tiep-xuc-cu-tri"
    columns = [
        Column("date", gettext_lazy("Date"), sort="date", link=True),
        Column(lambda m: m.title or m.get_kind_display(), gettext_lazy("Meeting"), sort="title", link=True),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("group_name", gettext_lazy("Delegate group"), sort="group__sort_key"),
        Column(lambda m: ", ".join(filter(None, [m.commune_name, m.place])), gettext_lazy("Place")),
        Column("voter_count", gettext_lazy("Voters"), sort="voter_count", css="text-end"),
        Column("n_petitions", gettext_lazy("Petitions"), sort="n_petitions", css="text-end"),
        Column(_deputy_names, gettext_lazy("Deputies present")),
    ]

    page_links = {"deputies": (("full_name",), DEPUTY_ORDER)}

    def base_queryset(self):
        if self.request.GET.get("export") == "xlsx":
            # The export, every row, prefetches the deputies present.
            return meeting_list_qs(super().base_queryset(), listed_only=True).annotate(**meeting_names())
        # The page reads them from the link table (page_links).
        return meeting_rows().filter(council__any=self.council_ids())


class MeetingDetail(PortalDetailView):
    model = VoterMeeting
    template_name = "voters/meeting_detail.html"
    permission = "can_view_voter_meeting"
    edit_permission = "can_change_voter_meeting"
    edit_url_name = "voters:meeting_edit"
    delete_url_name = "voters:meeting_delete"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("title", gettext_lazy("Title")),
        Column("session", gettext_lazy("Session")),
        Column("field", gettext_lazy("Field")),
        Column("date", gettext_lazy("Date")),
        Column("group", gettext_lazy("Delegate group")),
        Column(_deputy_names, gettext_lazy("Deputies present")),
        Column("commune__name", gettext_lazy("Commune or ward")),
        Column("place", gettext_lazy("Place")),
        Column("voter_count", gettext_lazy("Number of voters")),
        Column("notes", gettext_lazy("Notes")),
        Column("outside_constituency", gettext_lazy("Outside the deputy's constituency")),
        Column("outside_requested_on", gettext_lazy("Approval requested on")),
        Column("outside_decision_due", gettext_lazy("Approval decision due")),
        Column("outside_approved_on", gettext_lazy("Approved on")),
        Column("outside_notice_due", gettext_lazy("Notice due")),
        Column("outside_notice_on", gettext_lazy("Notice sent on")),
    ]

    def get_queryset(self):
        return VoterMeeting.objects.select_related("council", "group", "session", "field", "commune")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = self.request.access
        from ..queries import visible_petitions

        context["petitions"] = petition_list_qs(
            visible_petitions(access, [self.object.council_id]).filter(sources__meeting=self.object).distinct()
        ).order_by("pk")
        context["can_intake"] = access.has(self.object.council_id, "can_change_petition")
        return context


class MeetingMinutes(CouncilObjectMixin, View):
    """The meeting's minutes, to those who may read the meeting (another council's → 404)."""

    model = VoterMeeting
    permission = "can_view_voter_meeting"

    def get_queryset(self):
        return VoterMeeting.objects.all()

    def get(self, request, pk):
        return attachment_response(self.get_object().minutes)


class MeetingSaveMixin:
    def perform_save(self, form):
        meeting = form.save(commit=False)
        if not meeting.pk:
            meeting.council = self.council
        # Permission, relations into other councils, council unchanged, version (core.writes).
        self.guard(form, meeting)
        return services.meeting_save(
            meeting=meeting, deputies=form.cleaned_data.get("deputies"), user=self.request.user
        )


class MeetingCreate(MeetingSaveMixin, PortalCreateView):
    model = VoterMeeting
    form_class = MeetingForm
    permission = "can_change_voter_meeting"
    title = gettext_lazy("New voter meeting")
    success_url_name = "voters:meeting_detail"


class MeetingEdit(MeetingSaveMixin, PortalUpdateView):
    model = VoterMeeting
    form_class = MeetingForm
    permission = "can_change_voter_meeting"
    success_url_name = "voters:meeting_detail"


class MeetingDelete(PortalDeleteView):
    model = VoterMeeting
    permission = "can_change_voter_meeting"
    success_url_name = "voters:meeting_list"


class MeetingIntake(CouncilObjectMixin, View):
    """Type the petitions of one meeting's minutes one after another, keyboard only: the form
    posts in the background, the new row appears below, the cursor returns to the content box
    (Ctrl+Enter saves). Without JavaScript it posts and comes back to the same page."""

    model = VoterMeeting
    permission = "can_change_petition"

    def get_queryset(self):
        return VoterMeeting.objects.select_related("council", "group")

    def context(self, form):
        meeting = self.get_object()
        petitions = petition_list_qs(Petition.objects.filter(sources__meeting=meeting).distinct()).order_by("pk")
        return {"meeting": meeting, "form": form, "petitions": petitions, "title": _("Petition intake")}

    def get(self, request, pk):
        meeting = self.get_object()
        form = IntakeForm(meeting=meeting, initial={"deputies": [d.pk for d in meeting.deputies.all()]})
        return render(request, "voters/intake.html", self.context(form))

    def post(self, request, pk):
        meeting = self.get_object()
        form = IntakeForm(request.POST, meeting=meeting)
        ajax = request.headers.get("x-requested-with") == "fetch"
        if form.is_valid():
            data = form.cleaned_data
            try:
                petition = services.petition_create(
                    council=meeting.council,
                    content=data["content"],
                    kind=data["kind"],
                    field=data["field"],
                    locality=data["locality"],
                    level=data["level"],
                    is_urgent=data["is_urgent"],
                    meetings=[meeting],
                    deputies=data["deputies"],
                    user=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if ajax:
                    row = petition_list_qs(Petition.objects.filter(pk=petition.pk)).get()
                    html = render_to_string("voters/_intake_row.html", {"p": row}, request=request)
                    return JsonResponse({"ok": True, "id": petition.pk, "row": html})
                messages.success(request, _("Saved petition #%(n)s.") % {"n": petition.pk})
                return HttpResponseRedirect(reverse("voters:meeting_intake", args=[meeting.pk]))
        if ajax:
            return JsonResponse(
                {"ok": False, "errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400
            )
        return render(request, "voters/intake.html", self.context(form), status=400)
