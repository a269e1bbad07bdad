import django_filters
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.forms_base import DateInput
from hdnd_portal.core.models import Body

from .models import Briefing, BriefingTask, IssuedDocument, Programme


class ProgrammeFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=[c for c in Programme.Kind.choices if c[0] != Programme.Kind.COORDINATION], label=_("Kind"))

    class Meta:
        model = Programme
        fields = ["kind", "year", "body", "status", "is_published"]


class CoordinationFilter(PortalFilterSet):
    class Meta:
        model = Programme
        fields = ["year", "status"]


class BriefingFilter(PortalFilterSet):
    class Meta:
        model = Briefing
        fields = ["year", "period_kind", "scope", "status"]


class AssignedFilter(PortalFilterSet):
    class Meta:
        model = BriefingTask
        fields = ["status"]


def _date_filter(lookup: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name="issued_on", lookup_expr=lookup, label=label, widget=DateInput(),
                                     input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class IssuedDocumentFilter(PortalFilterSet):
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.filter(kind__in=[Body.Kind.STANDING, Body.Kind.COMMITTEE]).order_by("kind", "sort_key"),
        label=_("Issuing body"))
    year = django_filters.NumberFilter(label=_("Year"))
    date_from = _date_filter("gte", _("From"))
    date_to = _date_filter("lte", _("To"))

    class Meta:
        model = IssuedDocument
        fields = ["body", "kind", "year"]


__all__ = ["ProgrammeFilter", "CoordinationFilter", "BriefingFilter", "AssignedFilter", "IssuedDocumentFilter"]
