import django_filters
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet

from .models import Report


class ReportFilter(PortalFilterSet):
    year = django_filters.NumberFilter(field_name="period_start", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Report
        fields = ["kind", "status", "include_below"]
