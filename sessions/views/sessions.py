"""Session pages: list, calendar, detail (agenda, documents, verification, votes, attendance,
resolutions), create/edit, status actions, agenda editing and attendance."""

import calendar
from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.scoping import narrowed
from hdnd_portal.core.views.generic import (
    Column,
    PortalCreateView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
)
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from .. import services
from ..filters import SessionFilter
from ..forms import AgendaItemForm, IssueGroupForm, SessionCloseForm, SessionForm, SessionHeldForm, VoteForm
from ..models import AgendaItem, Attendance, CouncilSession, IssueGroup, SessionDocument
from ..queries import (
    attendance_grid,
    attendance_summary,
    sees_every_document,
    session_agenda,
    sessions_list,
    visible_documents,
)
from ..services.quorum import session_quorum
from .base import ObjectActionView, current_deputy, guard_new, run_form_action


def _dates(s: CouncilSession) -> str:
    start, end = s.start, s.end
    if start == end:
        return start.strftime("%d/%m/%Y")
    return f"{start:%d/%m} – {end:%d/%m/%Y}"


class SessionList(PortalListView):
    model = CouncilSession
    title = gettext_lazy("Council sessions")
    permission = "can_view_session"
    create_permission = "can_change_session"
    create_url_name = "sessions:session_create"
    detail_url_name = "sessions:session_detail"
    filterset_class = SessionFilter
    default_sort = ["-planned_start", "-number"]
    search_placeholder = gettext_lazy("Title, venue, notice number…")
    export_name = "ky-hop"
    template_name = "sessions/session_list.html"
    columns = [
        Column(str, gettext_lazy("Session"), sort="number", link=True),
        Column("council__name", gettext_lazy("Council")),
        Column("term_numeral", gettext_lazy("Term")),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column(_dates, gettext_lazy("Dates"), sort="planned_start"),
        Column("venue", gettext_lazy("Venue")),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("item_count", gettext_lazy("Agenda items")),
        Column("resolution_count", gettext_lazy("Resolutions"), sort="resolution_count"),
        Column("is_paperless", gettext_lazy("Paperless")),
    ]

    def base_queryset(self):
        return sessions_list(self.council_ids())


class SessionCalendar(CouncilMixin, TemplateView):
    """A month grid of the sessions of the council (and, on request, the councils below)."""

    permission = "can_view_session"
    template_name = "sessions/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in self.request.GET.get("month", "").split("-"))
            first = date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        ids = [self.council.id]
        below = self.request.GET.get("below") == "1"
        if below:
            readable = self.request.access.council_ids("can_view_session")
            ids = narrowed(self.request.access.council_and_below(self.council), readable)
        sessions = list(
            CouncilSession.objects.filter(council_id__in=ids)
            .filter(
                Q(planned_start__lte=last, planned_end__gte=first) | Q(actual_start__lte=last, actual_end__gte=first)
            )
            .select_related("council")
            .order_by("planned_start", "council__name")
        )
        by_day: dict[date, list] = {}
        for s in sessions:
            for day in s.days:
                by_day.setdefault(day, []).append(s)
        weeks = [
            [
                {"date": d, "in_month": d.month == first.month, "sessions": by_day.get(d, []), "today": d == today}
                for d in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        ]
        previous = (first - timezone.timedelta(days=1)).replace(day=1)
        following = last + timezone.timedelta(days=1)
        context.update(
            title=_("Session calendar"),
            weeks=weeks,
            month=first,
            sessions=sessions,
            below=below,
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            show_below=self.request.access.has_councils_below(self.council),
            can_create=self.has_perm("can_change_session"),
        )
        return context


class SessionDetail(PortalDetailView):
    model = CouncilSession
    template_name = "sessions/session_detail.html"
    permission = "can_view_session"
    edit_permission = "can_change_session"
    edit_url_name = "sessions:session_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("term", gettext_lazy("Term")),
        Column("number", gettext_lazy("Number in the term")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("title", gettext_lazy("Title")),
        Column("planned_start", gettext_lazy("Planned opening date")),
        Column("planned_end", gettext_lazy("Planned closing date")),
        Column("actual_start", gettext_lazy("Actual opening date")),
        Column("actual_end", gettext_lazy("Actual closing date")),
        Column("venue", gettext_lazy("Venue")),
        Column("is_public", gettext_lazy("Public session")),
        Column("is_paperless", gettext_lazy("Paperless session")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("notice_number", gettext_lazy("Convening notice number")),
        Column("notice_date", gettext_lazy("Convening notice date")),
    ]

    def get_queryset(self):
        return CouncilSession.objects.select_related("council", "term")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        s = self.object
        access = self.request.access
        council_id = s.council_id
        every_document = SessionDocument.objects.filter(session=s).select_related("agenda_item").order_by("kind", "pk")
        try:
            receipt_due, _rule = services.document_receipt_due(s)
        except DomainError:
            receipt_due = None
        resolutions = list(s.resolutions.select_related("field").order_by("number_seq"))
        if sees_every_document(access, council_id):
            documents = list(every_document)
            agenda = session_agenda(s, resolutions=resolutions, documents=documents, latest_only=True)
        else:
            documents = list(visible_documents(every_document, access, council_id))
            agenda = session_agenda(s, resolutions=resolutions, latest_only=True)
        attendance = attendance_summary(s)
        sitting = {row["day"]: row["total"] for row in attendance}  # deputies sitting on each day
        # The agenda lists only the documents this reader may see, as the documents card does.
        visible_ids = {d.pk for d in documents}
        for item in agenda:
            item.shown_documents = [d for d in item.item_documents if d.pk in visible_ids]
        context.update(
            session=s,
            agenda=agenda,
            documents=documents,
            receipt_due=receipt_due,
            verifications=list(
                s.verifications.select_related("committee", "submission", "report").order_by("due_date")
            ),
            resolutions=resolutions,
            attendance=attendance,
            # Every poll belongs to an agenda item: the open ones come from the agenda already read.
            open_polls=[item.open_poll for item in agenda if item.open_poll is not None],
            can_change=access.has(council_id, "can_change_session"),
            can_run_poll=access.has(council_id, "can_run_poll"),
            deputy=current_deputy(self.request, council_id),
            statuses=CouncilSession.Status,
            # What "Send documents to deputies" will do, said in its confirmation dialog.
            recipient_count=(
                sitting[s.planned_start]
                if s.planned_start in sitting
                else services.sitting_deputies(council_id, s.planned_start or timezone.localdate()).count()
            )
            if s.status == CouncilSession.Status.PLANNED and access.has(council_id, "can_change_session")
            else 0,
            today=timezone.localdate(),
            # The close button's date: today while the planned dates run, else the planned end
            # (a session closed after the fact is not dated today).
            close_on=min(timezone.localdate(), s.planned_end),
        )
        context["unsent_count"] = sum(1 for d in context["documents"] if not d.sent_at)
        return context


class SessionSaveMixin:
    def perform_save(self, form):
        session = form.save(commit=False)
        if not session.council_id:
            session.council = self.council
        self.guard(form, session)
        return services.session_save(session=session)


class SessionCreate(SessionSaveMixin, PortalCreateView):
    model = CouncilSession
    form_class = SessionForm
    permission = "can_change_session"
    title = gettext_lazy("New session")
    success_url_name = "sessions:session_detail"


class SessionEdit(SessionSaveMixin, PortalUpdateView):
    model = CouncilSession
    form_class = SessionForm
    permission = "can_change_session"
    success_url_name = "sessions:session_detail"


class SessionStatus(ObjectActionView):
    """send / open / close buttons of the session page."""

    model = CouncilSession
    permission = "can_change_session"

    def act(self, session):
        action = self.request.POST.get("action")
        if action == "send":
            count = services.session_send_documents(session=session, user=self.request.user)
            return _("%(n)s document(s) sent to the deputies.") % {"n": count}
        if action == "open":
            services.session_open(session=session)
            return _("The session is open.")
        if action == "close":
            form = SessionCloseForm(self.request.POST)
            if not form.is_valid():
                raise DomainError(_("Enter the closing date as dd/mm/yyyy."), field="on")
            services.session_close(session=session, on=form.cleaned_data["on"])
            return _("The session is closed.")
        raise DomainError(_("Unknown action."))


class SessionRecordHeld(CouncilObjectMixin, TemplateView):
    """Record a session entered after the fact as held, with the dates it was actually held
    (instead of opening and closing it today)."""

    template_name = "core/form.html"
    permission = "can_change_session"

    def get_queryset(self):
        return CouncilSession.objects.select_related("council")

    def render_form(self, form, session):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("Record as held — %(session)s") % {"session": session}},
        )

    def get(self, request, *args, **kwargs):
        session = self.get_object()
        today = timezone.localdate()
        initial = {
            "actual_start": session.actual_start or min(session.planned_start, today),
            "actual_end": session.actual_end or min(session.planned_end, today),
            "_version": session.version,
        }
        return self.render_form(SessionHeldForm(initial=initial), session)

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        form = SessionHeldForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved, _result = run_form_action(
                form,
                lambda: services.session_record_held(
                    session=session,
                    actual_start=data["actual_start"],
                    actual_end=data["actual_end"],
                    expected_version=data["_version"],
                ),
            )
            if saved:
                messages.success(request, _("The session is recorded as held."))
                return HttpResponseRedirect(session.get_absolute_url())
        return self.render_form(form, session)


# --- Agenda -------------------------------------------------------------------------------------


class SessionChildCreate(CouncilObjectMixin, TemplateView):
    """Form page creating a record under a session (issue group, agenda item)."""

    template_name = "core/form.html"
    permission = "can_change_session"
    form_class = None
    title = ""

    def get_queryset(self):
        return CouncilSession.objects.all()

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return response

    def form(self, data=None):
        session = self.get_object()
        return self.form_class(data, council=session.council, user=self.request.user, **self.form_kwargs(session))

    def form_kwargs(self, session) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form(), "title": self.page_title()})

    def page_title(self) -> str:
        return f"{self.title} — {self.get_object()}"

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        session = self.get_object()
        if form.is_valid():

            def guarded():
                guard_new(self, form, session.council_id, self.permission)
                return self.save(form, session)

            saved, _result = run_form_action(form, guarded)
            if saved:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(session.get_absolute_url() + "#agenda")
        return render(request, self.template_name, {"form": form, "title": self.page_title()})


class IssueGroupCreate(SessionChildCreate):
    form_class = IssueGroupForm
    title = gettext_lazy("New issue group")

    def save(self, form, session):
        group = form.save(commit=False)
        group.session = session
        services.issue_group_save(group=group)


class AgendaItemCreate(SessionChildCreate):
    form_class = AgendaItemForm
    title = gettext_lazy("New agenda item")

    def form_kwargs(self, session):
        return {"session": session}

    def save(self, form, session):
        item = form.save(commit=False)
        item.session = session
        services.agenda_item_save(item=item)


class AgendaItemEdit(PortalUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm
    permission = "can_change_session"

    def perform_save(self, form):
        item = form.save(commit=False)
        self.guard(form, item)
        return services.agenda_item_save(item=item)

    def get_success_url(self):
        return self.object.get_absolute_url()


class IssueGroupEdit(PortalUpdateView):
    model = IssueGroup
    form_class = IssueGroupForm
    permission = "can_change_session"

    def perform_save(self, form):
        group = form.save(commit=False)
        self.guard(form, group)
        return services.issue_group_save(group=group)

    def get_success_url(self):
        return self.object.session.get_absolute_url() + "#agenda"


class AgendaItemMove(ObjectActionView):
    model = AgendaItem
    permission = "can_change_session"

    def act(self, item):
        services.agenda_move(item=item, offset=-1 if self.request.POST.get("direction") == "up" else 1)
        return ""

    def redirect_url(self, item):
        return item.session.get_absolute_url() + "#agenda"


class AgendaReorder(ObjectActionView):
    """Drag-and-drop: the page posts the new order as a comma-separated list of item ids."""

    model = CouncilSession
    permission = "can_change_session"

    def act(self, session):
        services.agenda_reorder(session=session, item_ids=self.request.POST.get("order", ""))
        return _("The agenda order is saved.")

    def redirect_url(self, session):
        return session.get_absolute_url() + "#agenda"


class AgendaItemDelete(ObjectActionView):
    model = AgendaItem
    permission = "can_change_session"

    def act(self, item):
        services.agenda_item_delete(item=item)
        return _("The agenda item is deleted.")

    def redirect_url(self, item):
        return reverse("sessions:session_detail", args=[item.session_id]) + "#agenda"


class VoteRecord(CouncilObjectMixin, TemplateView):
    """Enter the result of a show-of-hands or paper vote; the result is computed."""

    template_name = "sessions/vote_form.html"
    permission = "can_change_session"

    def get_queryset(self):
        return AgendaItem.objects.select_related("session", "session__council")

    def get_context_data(self, form=None, **kwargs):
        item = self.get_object()
        today = timezone.localdate()
        day = min(max(today, item.session.start), item.session.end)
        if form is not None and isinstance(getattr(form, "cleaned_data", None), dict):
            day = form.cleaned_data.get("voted_on") or day
        form = form or VoteForm(council=item.council, initial={"voted_on": day})
        return {
            "form": form,
            "item": item,
            "title": _("Record a vote"),
            "session": item.session,
            "total": services.sitting_deputies(item.council_id, today).count(),
            # Said before the vote is typed: the attendance of the day does not make the quorum.
            "quorum": session_quorum(session=item.session, day=day),
        }

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        form = VoteForm(request.POST, council=item.council)
        if form.is_valid():
            data = form.cleaned_data
            saved, vote = run_form_action(
                form,
                lambda: services.vote_record(
                    agenda_item=item,
                    voted_on=data["voted_on"],
                    yes=data["yes"],
                    no=data["no"],
                    not_voting=data["not_voting"],
                    participants=data["participants"],
                    method=data["method"],
                    user=request.user,
                    confirm_without_quorum=data["confirm_without_quorum"],
                    quorum_reason=data["quorum_reason"],
                ),
            )
            if saved:
                messages.success(
                    request, _("Vote recorded: passed.") if vote.passed else _("Vote recorded: not passed.")
                )
                return HttpResponseRedirect(item.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


# --- Attendance ---------------------------------------------------------------------------------


class AttendanceEdit(CouncilObjectMixin, TemplateView):
    template_name = "sessions/attendance.html"
    permission = "can_change_session"

    def get_queryset(self):
        return CouncilSession.objects.all()

    def day(self, session) -> date:
        days = session.days
        raw = self.request.GET.get("day") or self.request.POST.get("day")
        for d in days:
            if raw == d.isoformat():
                return d
        today = timezone.localdate()
        return today if today in days else days[0]

    def get_context_data(self, **kwargs):
        session = self.get_object()
        day = kwargs.get("day") or self.day(session)
        rows = attendance_grid(session, day)
        return {
            "session": session,
            "day": day,
            "days": session.days,
            "rows": rows,
            "statuses": Attendance.Status.choices,
            "title": _("Attendance"),
            "summary": attendance_summary(session),
            "errors": kwargs.get("errors"),
        }

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        day = self.day(session)
        entries = []
        for row in attendance_grid(session, day):
            pk = row["deputy"].pk
            entries.append(
                (
                    pk,
                    request.POST.get(f"status_{pk}", Attendance.Status.PRESENT),
                    request.POST.get(f"reason_{pk}", "").strip(),
                )
            )
        try:
            count = services.attendance_record(session=session, day=day, entries=entries)
        except DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(day=day, errors=error.extra))
        messages.success(request, _("Attendance saved (%(n)s change(s)).") % {"n": count})
        return HttpResponseRedirect(reverse("sessions:attendance", args=[session.pk]) + f"?day={day.isoformat()}")
