import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.deadlines import thresholds
from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.forms_base import DateInput
from hdnd_portal.core.models import Agency, Deadline

from .kinds import KIND_LABELS, kind_label
from .models import Notification, ScanRun
from .queries import app_choices, status_q

DATE_INPUT = {"input_formats": ["%d/%m/%Y", "%Y-%m-%d", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y"]}
STATUS_CHOICES = [
    ("open", _("All open")),
    ("due_soon", _("Due soon")),
    ("overdue", _("Overdue")),
    ("long_overdue", _("Long overdue")),
    ("done", _("Done")),
    ("cancelled", _("Cancelled")),
    ("all", _("Any state")),
]


class DeadlineFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    app = django_filters.ChoiceFilter(label=_("Area"), field_name="content_type__app_label", choices=app_choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=[])
    responsible_agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=Agency.objects.all())
    due_from = django_filters.DateFilter(
        label=_("Due from"),
        field_name="due_date",
        lookup_expr="gte",
        widget=DateInput(),
        **DATE_INPUT,
    )
    due_to = django_filters.DateFilter(
        label=_("Due until"),
        field_name="due_date",
        lookup_expr="lte",
        widget=DateInput(),
        **DATE_INPUT,
    )

    class Meta:
        model = Deadline
        fields = ["status", "app", "kind", "responsible_agency", "due_from", "due_to"]

    def __init__(self, data=None, *args, request=None, kind_codes=(), limits=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("status"):
            data["status"] = "open"
        super().__init__(data, *args, request=request, **kwargs)
        codes = sorted(set(KIND_LABELS) | set(kind_codes))
        self.filters["kind"].extra["choices"] = [(c, kind_label(c)) for c in codes]
        self.form.fields["kind"].choices = [("", "---------"), *[(c, kind_label(c)) for c in codes]]
        council = getattr(request, "council", None)
        self.today = timezone.localdate()
        # limits: the (due soon, long overdue) days the page already read for this council and day.
        self.soon, self.long = limits or (thresholds(council, self.today) if council else (3, 30))

    def filter_status(self, queryset, name, value):
        q = status_q(value or "open", self.today, self.soon, self.long)
        return queryset if q is None else queryset.filter(q)

    @property
    def qs(self):
        qs = super().qs
        if not self.form.is_bound:
            qs = qs.filter(state=Deadline.State.OPEN)
        return qs


class NotificationFilter(PortalFilterSet):
    unread = django_filters.BooleanFilter(label=_("Unread only"), method="filter_unread", widget=forms.CheckboxInput)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=True) if value else queryset


class ScanRunFilter(PortalFilterSet):
    trigger = django_filters.ChoiceFilter(label=_("Started by"), choices=ScanRun.Trigger.choices)
    failed = django_filters.BooleanFilter(label=_("With an error"), method="filter_failed", widget=forms.CheckboxInput)

    class Meta:
        model = ScanRun
        fields = ["trigger", "failed"]

    def filter_failed(self, queryset, name, value):
        return queryset.filter(~Q(error="")) if value else queryset
