import django_filters
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.forms_base import DateInput

from .models import Case, IdentityViewLog, Letter, ReceptionDay, ReceptionSchedule, Visit
from .queries import overdue_filter


def _date_filter(field_name: str, lookup: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        widget=DateInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )


class ScheduleFilter(PortalFilterSet):
    class Meta:
        model = ReceptionSchedule
        fields = ["receiver_kind", "is_published"]


class DayFilter(PortalFilterSet):
    date_from = _date_filter("date", "gte", _("From"))
    date_to = _date_filter("date", "lte", _("To"))

    class Meta:
        model = ReceptionDay
        fields = ["status", "schedule"]


class VisitFilter(PortalFilterSet):
    date_from = _date_filter("date", "gte", _("From"))
    date_to = _date_filter("date", "lte", _("To"))
    overdue = django_filters.BooleanFilter(label=_("Answer overdue"), method="filter_overdue")

    class Meta:
        model = Visit
        fields = ["kind", "outcome", "is_group", "field"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = overdue_filter(queryset, Visit)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class CaseFilter(PortalFilterSet):
    class Meta:
        model = Case
        fields = ["status", "kind", "field"]


class LetterFilter(PortalFilterSet):
    received_from = _date_filter("received_on", "gte", _("Received from"))
    received_to = _date_filter("received_on", "lte", _("Received to"))
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Letter
        fields = ["kind", "channel", "status", "decision", "field", "forwarded_to", "is_eligible", "is_multi_signer"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = overdue_filter(queryset, Letter)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class IdentityLogFilter(PortalFilterSet):
    viewed_from = _date_filter("viewed_at__date", "gte", _("From"))
    viewed_to = _date_filter("viewed_at__date", "lte", _("To"))

    class Meta:
        model = IdentityViewLog
        fields = ["via"]
