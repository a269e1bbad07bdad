"""Pages: notifications (list, open, mark read), "My deadlines" (one inbox across all apps),
a deadline with its extensions and reminders, the extension form, e-mail settings, and the
operations page of the reminder scan."""

import hashlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, UpdateView

from hdnd_portal.core.deadlines import (
    deadline_assign,
    deadline_close_overdue,
    overdue_since,
    status_of,
    thresholds,
)
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Deadline, User
from hdnd_portal.core.views.generic import CappedPaginator, Column, PortalListView, history_rows
from hdnd_portal.core.views.mixins import CouncilMixin

from . import services
from .filters import DeadlineFilter, NotificationFilter, ScanRunFilter
from .forms import AssignForm, CloseOldForm, EmailModeForm, ExtensionForm
from .kinds import kind_label
from .models import Notification, ReminderLog, ScanRun
from .queries import (
    app_name,
    deadline_list_queryset,
    deadline_names,
    due_q,
    is_mine,
    mine_q,
    search_deadlines,
    search_folded,
    user_notifications,
)

STATUS_LABELS = {
    "done": gettext_lazy("Done"),
    "overdue": gettext_lazy("Overdue"),
    "long_overdue": gettext_lazy("Long overdue"),
    "due_soon": gettext_lazy("Due soon"),
    "open": gettext_lazy("Open"),
    "cancelled": gettext_lazy("Cancelled"),
}


# --- Notifications ----------------------------------------------------------------------


def used_kinds(council_ids) -> list[str]:
    """The kinds of deadline these councils have (the filter offers them beside the registered
    ones). A DISTINCT over every deadline of a city and its communes costs tens of milliseconds and
    changes only when an app adds a kind, so it is kept ten minutes per set of councils."""
    ids = sorted(council_ids)
    key = "notifications:kinds:" + hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()
    kinds = cache.get(key)
    if kinds is None:
        # order_by(): without it the model's ordering (due_date) joins the DISTINCT — one row per
        # kind and day, a sort of every deadline — instead of one per kind.
        kinds = list(Deadline.objects.filter(council_id__in=ids).order_by().values_list("kind", flat=True).distinct())
        cache.set(key, kinds, 600)
    return kinds


class NotificationList(PortalListView):
    model = Notification
    template_name = "notifications/notification_list.html"
    permission = None
    council_field = None
    allow_below = False
    title = gettext_lazy("Notifications")
    filterset_class = NotificationFilter
    default_sort = ["-created_at"]
    detail_url_name = "notifications:open"
    search_placeholder = gettext_lazy("Words of the title, without accents")
    export_name = "thong-bao"
    columns = [
        Column("created_at", gettext_lazy("Time"), sort="created_at"),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("title", gettext_lazy("Notification"), sort="title", link=True),
        Column("council__name", gettext_lazy("Council")),
        Column(lambda n: _("Read") if n.read_at else _("Unread"), gettext_lazy("Status")),
    ]

    def base_queryset(self):
        return user_notifications(self.request.user)

    def get_queryset(self):
        qs = self.base_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        qs = qs.none() if self.filterset.form.is_bound and not self.filterset.is_valid() else self.filterset.qs
        qs = search_folded(qs, self.request.GET.get("q"), "title", "body")
        return qs.order_by(*self.ordering_for(self.request.GET.get("sort")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = Notification.objects.filter(user=self.request.user, read_at__isnull=True).count()
        return context


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class NotificationOpen(LoginRequiredMixin, View):
    """Opening a notification marks it read and follows its link (only the user's own: 404)."""

    def get(self, request, pk):
        note = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notification_mark_read(user=request.user, notification_id=note.pk)
        return HttpResponseRedirect(note.url or reverse("notifications:list"))


class NotificationRead(LoginRequiredMixin, View):
    def post(self, request, pk):
        if not services.notification_mark_read(user=request.user, notification_id=pk):
            raise Http404
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


class NotificationReadAll(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notification_mark_all_read(user=request.user)
        messages.success(request, _("%(n)s notification(s) marked as read.") % {"n": count})
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


class EmailSettings(LoginRequiredMixin, UpdateView):
    form_class = EmailModeForm
    template_name = "core/form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("notifications:settings"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("E-mail notifications"), **kwargs)


# --- My deadlines -----------------------------------------------------------------------


class IdsPagePaginator(CappedPaginator):
    """MyDeadlines reads its page as ids (paginate_queryset): counted first, as Django does, so
    that the page's rows are read once, narrow, not first as whole rows (RowsFirstPaginator)."""

    rows_first = False


URGENCY_ORDER = ["_bucket", "_distance", "id"]  # MyDeadlines.annotate_order


class MyDeadlines(PortalListView):
    """One inbox across all apps: what is due and overdue for me, or for my council."""

    model = Deadline
    template_name = "notifications/deadline_list.html"
    permission = "can_view_notification"
    council_field = "council"
    filterset_class = DeadlineFilter
    default_sort = ["due_date", "id"]
    detail_url_name = "notifications:deadline_detail"
    paginator_class = IdsPagePaginator  # paginate_queryset reads the page as ids
    search_placeholder = gettext_lazy("Title or agency, without accents")
    export_name = "han-xu-ly"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    @property
    def title(self):
        return _("Deadlines of my council") if self.scope == "council" else _("My deadlines")

    @property
    def scope(self) -> str:
        return "council" if self.kwargs.get("scope") == "council" else "mine"

    def can_see_council(self) -> bool:
        return self.request.access.has(self.council.id, "can_view_deadline")

    def check_permission(self) -> None:
        super().check_permission()
        if self.kwargs.get("scope") == "council" and not self.can_see_council():
            raise PermissionDenied("can_view_deadline")

    @property
    def columns(self):
        soon, long = self.thresholds
        # Each label translated once for the page, not once per row.
        labels = {key: str(label) for key, label in STATUS_LABELS.items()}
        areas: dict[int, str] = {}

        def status(d):
            if d.state == Deadline.State.CANCELLED:
                return labels["cancelled"]
            return labels[status_of(d.due_date, d.state == Deadline.State.DONE, self.today, soon, long)]

        def area(d):
            if d.content_type_id not in areas:
                areas[d.content_type_id] = app_name(ContentType.objects.get_for_id(d.content_type_id).app_label)
            return areas[d.content_type_id]

        return [
            Column("due_date", gettext_lazy("Due date"), sort="due_date"),
            Column(status, gettext_lazy("Status")),
            Column("title", gettext_lazy("Deadline"), sort="title", link=True),
            Column(lambda d: kind_label(d.kind), gettext_lazy("Kind"), sort="kind"),
            Column(area, gettext_lazy("Area")),
            Column(lambda d: Agency.label(d.agency_name, d.agency_short_name), gettext_lazy("Agency")),
            Column(lambda d: User.label(d.user_full_name, d.user_username), gettext_lazy("Responsible staff member")),
            Column("council__name", gettext_lazy("Council")),
            Column(
                lambda d: (self.today - d.due_date).days if d.state == Deadline.State.OPEN else None,
                gettext_lazy("Days overdue (negative: days left)"),
            ),
        ]

    @property
    def thresholds(self):
        if not hasattr(self, "_thresholds"):
            self._thresholds = thresholds(self.council, self.today)
        return self._thresholds

    def base_queryset(self):
        if self.request.GET.get("export") == "xlsx":
            # Every row, with the names the page reads (paginate_queryset) as columns.
            qs = Deadline.objects.select_related("council").annotate(**deadline_names())
        else:
            # The page's ids are read without a join; paginate_queryset reads the names.
            qs = Deadline.objects.all()
        qs = qs.filter(council_id__any=self.council_ids())
        if self.scope == "mine":
            qs = qs.filter(mine_q(self.request.user, self.request.access.agency_ids()))
        return qs

    def ordering_for(self, requested):
        if requested:
            return super().ordering_for(requested)
        # What to do first: due today and this week, then overdue by age (the most recently missed
        # first, long-overdue last), then later deadlines, then those met or closed.
        status = self.filtered_status()
        if status in ("overdue", "long_overdue"):
            # Every row is overdue: that order comes down to the most recently missed first, which
            # the index (council, state, due date) gives, instead of a key computed for each row.
            return ["-due_date", "id"]
        if status == "due_soon":
            return ["due_date", "id"]  # every row due within the week: the soonest first
        return list(URGENCY_ORDER)

    def filtered_status(self) -> str | None:
        form = self.filterset.form
        return form.cleaned_data.get("status") if form.is_bound and form.is_valid() else None

    def urgency_buckets(self) -> list[tuple[Q, bool]]:
        """The open deadlines in the order the page lists them by default, as buckets of due dates:
        due from today to the end of the week, overdue by less than the long-overdue threshold,
        overdue by more, due later. Each is (its due-date condition, latest first): a bucket lists
        its deadlines by their distance from today — the soonest due, the most recently missed."""
        today = self.today
        soon, long = self.thresholds
        week_end = today + timezone.timedelta(days=max(soon, 7))
        long_ago = today - timezone.timedelta(days=long)
        return [
            (Q(due_date__gte=today, due_date__lte=week_end), False),
            (Q(due_date__lt=today, due_date__gte=long_ago), True),
            (Q(due_date__lt=long_ago), True),
            (Q(due_date__gt=week_end), False),
        ]

    def annotate_order(self, qs):
        today = self.today
        open_ = Q(state=Deadline.State.OPEN)
        *earlier, _later = self.urgency_buckets()
        bucket = Case(
            *(When(open_ & due, then=i) for i, (due, _latest) in enumerate(earlier)),
            When(open_, then=len(earlier)),
            default=len(earlier) + 1, output_field=IntegerField(),
        )
        distance = Case(
            When(due_date__lt=today, then=ExpressionWrapper(Value(today) - F("due_date"), output_field=DurationField())),
            default=ExpressionWrapper(F("due_date") - Value(today), output_field=DurationField()),
            output_field=DurationField(),
        )
        return qs.alias(_bucket=bucket, _distance=distance)

    def read_by_bucket(self, queryset) -> bool:
        """Whether the page lists open deadlines only in the default order (urgent_ids reads it)."""
        return list(queryset.query.order_by) == URGENCY_ORDER and self.filtered_status() in (None, "open")

    def urgent_ids(self, queryset, bottom: int, top: int) -> list[int]:
        """The ids of rows bottom..top of `queryset` (open deadlines only) in the order annotate_order
        gives, without computing that order for every open deadline: each bucket's first `top` rows
        in its own order, which an index on the due date gives (UNION ALL), then those few sorted
        here. For a city's 11,000 open deadlines the page's ids took 10 ms of PostgreSQL, now 3."""
        parts = [
            queryset.order_by().filter(due)
            .annotate(_rank=Value(i, output_field=IntegerField()))
            .order_by("-due_date" if latest else "due_date", "id")
            .values_list("pk", "_rank", "due_date")[:top]
            for i, (due, latest) in enumerate(self.urgency_buckets())
        ]
        today = self.today
        rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda r: (r[1], abs((r[2] - today).days), r[0]))
        return [pk for pk, _rank, _due in rows[bottom:top]]

    def get_queryset(self):
        qs = self.annotate_order(self.base_queryset())
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=qs, request=self.request, kind_codes=used_kinds(self.council_ids()),
            limits=self.thresholds,
        )
        qs = qs.none() if self.filterset.form.is_bound and not self.filterset.is_valid() else self.filterset.qs
        qs = search_deadlines(qs, self.request.GET.get("q"))
        return qs.order_by(*self.ordering_for(self.request.GET.get("sort")))

    def paginate_queryset(self, queryset, page_size):
        """The page's rows in two steps: their ids in the list's order (a sort of narrow rows — the
        order is computed per row, no index gives it), then those rows with their related names.
        Sorting the joined wide rows of every open deadline cost several times more."""
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.read_by_bucket(queryset):
            ids = self.urgent_ids(queryset, page.object_list.query.low_mark, page.object_list.query.high_mark)
        else:
            ids = list(page.object_list.values_list("pk", flat=True))
        # The area and the council are printed from what is held already (the content types, the
        # councils this request read): only the agency's and the staff member's names are joined.
        found = Deadline.objects.annotate(**deadline_names()).in_bulk(ids)
        page.object_list = [found[pk] for pk in ids if pk in found]
        return paginator, page, page.object_list, is_paginated

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        figure = self.summary_figure()
        if figure is not None:
            paginator.__dict__["count"] = paginator.rows_counted(figure)  # Paginator.count is a cached_property
        return paginator

    def summary_figure(self) -> int | None:
        """The list's number of rows when it is one of the summary's tabs (open, due soon, overdue,
        long overdue) and nothing else: no other filter, no search. The summary counts them on every
        page (its query reads every open deadline of the councils once), so the list's own count
        would read them again."""
        filterset = getattr(self, "filterset", None)
        if filterset is None or self.request.GET.get("q") or filterset.today != self.today:
            return None
        form = filterset.form
        if not form.is_bound:
            status = "open"
        elif form.is_valid() and not any(
            value not in (None, "") for name, value in form.cleaned_data.items() if name != "status"
        ):
            status = form.cleaned_data.get("status") or "open"
        else:
            return None
        return self.summary().get(status) if status in SUMMARY_TABS else None

    def summary(self) -> dict:
        if "_summary" not in self.__dict__:
            self._summary = self.count_summary()
        return self._summary

    def count_summary(self) -> dict:
        today = self.today
        soon, long = self.thresholds
        open_ = Q(state=Deadline.State.OPEN)
        qs = Deadline.objects.filter(council_id__any=self.council_ids()).filter(open_)
        if self.scope == "mine":
            qs = qs.filter(mine_q(self.request.user, self.request.access.agency_ids()))
        # Open rows only: each tab's filter is its due-date condition (read from the index-only
        # scan; repeating the state test on each of 11k open rows cost a quarter of the query).
        return qs.aggregate(
            open=Count("id"),
            **{status: Count("id", filter=due_q(status, today, soon, long)) for status in ("due_soon", "overdue", "long_overdue")},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(scope=self.scope, can_see_council=self.can_see_council(), summary=self.summary(),
                       can_close=self.request.access.has(self.council.id, "can_extend_deadline"),
                       long_days=self.thresholds[1])
        return context


# The tabs the summary counts (MyDeadlines.count_summary): each is the list filtered by that status.
SUMMARY_TABS = ("open", "due_soon", "overdue", "long_overdue")


class DeadlineCloseOld(CouncilMixin, FormView):
    """Close, with a reason, the council's deadlines overdue for longer than the long-overdue
    threshold (or a chosen number of days): matters settled outside the portal or entered late."""

    permission = "can_extend_deadline"
    template_name = "notifications/deadline_close_old.html"
    form_class = CloseOldForm

    def get_initial(self):
        return {"older_than": thresholds(self.council, timezone.localdate())[1]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        days = form.initial.get("older_than") if not form.is_bound else (
            form.cleaned_data.get("older_than") if form.is_valid() else None)
        context.update(title=_("Close old overdue deadlines"),
                       count=overdue_since(council=self.council, older_than=days).count() if days else None,
                       days=days)
        return context

    def form_valid(self, form):
        if not form.cleaned_data.get("confirm"):
            form.add_error("confirm", _("Tick the box to confirm."))
            return self.form_invalid(form)
        try:
            closed = deadline_close_overdue(council=self.council, older_than=form.cleaned_data["older_than"],
                                            reason=form.cleaned_data["reason"], by=self.request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(n)s deadlines closed.") % {"n": closed})
        return HttpResponseRedirect(reverse("notifications:council_deadlines"))


# --- One deadline ---------------------------------------------------------------------------


class DeadlineAccessMixin(CouncilMixin):
    """A deadline of a council the user cannot see (and that is not theirs) is 404; one they can
    see without `permission` (and not theirs, for viewing) is 403."""

    permission = None
    object_permission = "can_view_deadline"
    mine_suffices = True

    def get_deadline(self) -> Deadline:
        if hasattr(self, "_deadline"):
            return self._deadline
        deadline = get_object_or_404(deadline_list_queryset(), pk=self.kwargs["pk"])
        access = self.request.access
        visible = access.visible_council_ids()
        in_scope = visible is None or deadline.council_id in visible
        if not (in_scope and access.has(deadline.council_id, self.object_permission)):
            # Only then whether it is the user's own (assigned, their agency's, reminded to them).
            mine = is_mine(deadline, self.request.user, access.agency_ids())
            if not in_scope and not mine:
                raise Http404
            if not access.has(deadline.council_id, self.object_permission) and not (self.mine_suffices and mine):
                raise PermissionDenied(self.object_permission)
        self._deadline = deadline
        return deadline


class DeadlineDetail(DeadlineAccessMixin, DetailView):
    template_name = "notifications/deadline_detail.html"
    context_object_name = "deadline"

    def get_object(self, queryset=None):
        return self.get_deadline()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = self.object
        today = timezone.localdate()
        soon, long = thresholds(deadline.council, today)
        status = (
            status_of(deadline.due_date, deadline.state == Deadline.State.DONE, today, soon, long)
            if deadline.state != Deadline.State.CANCELLED
            else "cancelled"
        )
        subject = deadline.subject
        access = self.request.access
        context.update(
            title=deadline.title,
            status=status,
            status_label=STATUS_LABELS[status],
            kind_label=kind_label(deadline.kind),
            area=app_name(deadline.content_type.app_label),
            subject=subject,
            subject_url=subject.get_absolute_url()
            if subject is not None and hasattr(subject, "get_absolute_url")
            else "",
            extensions=deadline.extensions.select_related("created_by").order_by("created_at"),
            reminders=ReminderLog.objects.filter(deadline=deadline)
            .select_related("recipient")
            .order_by("-sent_at", "-id")[:100]
            if access.has(deadline.council_id, "can_view_deadline")
            else None,
            can_extend=deadline.state == Deadline.State.OPEN and access.has(deadline.council_id, "can_extend_deadline"),
            can_assign=deadline.state == Deadline.State.OPEN and access.has(deadline.council_id, "can_extend_deadline"),
            history=history_rows(deadline) if access.has(deadline.council_id, "can_view_history") else None,
        )
        return context


class DeadlineExtend(DeadlineAccessMixin, FormView):
    template_name = "notifications/extension_form.html"
    form_class = ExtensionForm
    object_permission = "can_extend_deadline"
    mine_suffices = False

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["deadline"] = self.get_deadline()
        return kwargs

    def get(self, request, *args, **kwargs):
        self.get_deadline()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_deadline()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        deadline = self.get_deadline()
        try:
            with transaction.atomic():
                services.deadline_extension_record(user=self.request.user, deadline=deadline, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The deadline is moved and the people concerned are notified."))
        return HttpResponseRedirect(reverse("notifications:deadline_detail", args=[deadline.pk]))

    def get_context_data(self, **kwargs):
        deadline = self.get_deadline()
        max_extensions, max_days = services.extension_limits(deadline)
        return super().get_context_data(
            deadline=deadline,
            title=_("Extend: %(title)s") % {"title": deadline.title},
            max_extensions=max_extensions,
            max_days=max_days,
            used=deadline.extensions.filter(is_pause=False).count(),
            **kwargs,
        )


class DeadlineAssign(DeadlineAccessMixin, FormView):
    """Give a deadline its responsible staff member, or hand it to someone else."""

    template_name = "core/form.html"
    form_class = AssignForm
    object_permission = "can_extend_deadline"
    mine_suffices = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        deadline = self.get_deadline()
        kwargs["council_id"] = deadline.council_id
        kwargs["initial"] = {"user": deadline.responsible_user_id}
        return kwargs

    def form_valid(self, form):
        deadline = self.get_deadline()
        try:
            deadline_assign(deadline=deadline, user=form.cleaned_data["user"], by=self.request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The responsible person is saved."))
        return HttpResponseRedirect(reverse("notifications:deadline_detail", args=[deadline.pk]))

    def get_context_data(self, **kwargs):
        deadline = self.get_deadline()
        return super().get_context_data(title=_("Responsible person — %(t)s") % {"t": deadline.title}, **kwargs)


# --- Operations ---------------------------------------------------------------------------


class Operations(PortalListView):
    """Admins: the last scans (time, duration, counts), mails waiting and failed, run one now."""

    model = ScanRun
    template_name = "notifications/operations.html"
    permission = "can_manage_reminders"
    council_field = None
    allow_below = False
    searchable = False
    filterset_class = ScanRunFilter
    default_sort = ["-started_at"]
    title = gettext_lazy("Reminder operations")
    export_name = "quet-nhac-han"
    paginate_by = 30
    columns = [
        Column("started_at", gettext_lazy("Started at"), sort="started_at"),
        Column("get_trigger_display", gettext_lazy("Started by")),
        Column("today", gettext_lazy("Scan date")),
        Column("duration_ms", gettext_lazy("Duration (ms)"), sort="duration_ms", css="text-end"),
        Column("candidates", gettext_lazy("Deadlines examined"), sort="candidates", css="text-end"),
        Column("batches", gettext_lazy("Batches"), css="text-end"),
        Column("reminders", gettext_lazy("Reminders created"), sort="reminders", css="text-end"),
        Column("escalations", gettext_lazy("Escalations"), css="text-end"),
        Column("emails_queued", gettext_lazy("E-mails queued"), css="text-end"),
        Column("emails_requeued", gettext_lazy("E-mails re-queued"), css="text-end"),
        Column("error", gettext_lazy("Error")),
    ]

    def base_queryset(self):
        # Scan runs span every council: listed for the system operator (superuser) only.
        qs = super().base_queryset()
        return qs if self.request.user.is_superuser else qs.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = self.request.access.council_ids("can_manage_reminders")
        logs = ReminderLog.objects.all() if ids is None else ReminderLog.objects.filter(deadline__council_id__in=ids)
        mail = logs.aggregate(
            pending=Count("id", filter=Q(email_status=ReminderLog.EmailStatus.PENDING)),
            retrying=Count("id", filter=Q(email_status=ReminderLog.EmailStatus.PENDING, attempts__gt=0)),
            failed=Count("id", filter=Q(email_status=ReminderLog.EmailStatus.FAILED)),
        )
        context.update(
            last_run=ScanRun.objects.order_by("-started_at", "-id").first(),
            mail=mail,
            failures=logs.filter(attempts__gt=0)
            .exclude(email_status=ReminderLog.EmailStatus.SENT)
            .select_related("recipient", "deadline")
            .order_by("-retry_at")[:10],
        )
        return context


class RunScanNow(CouncilMixin, View):
    permission = "can_manage_reminders"

    def post(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied("superuser")
        from .outbox import enqueue
        from .tasks import run_scan_by_hand

        enqueue(run_scan_by_hand)
        messages.success(request, _("A reminder scan is queued; refresh this page in a moment."))
        return HttpResponseRedirect(reverse("notifications:operations"))
