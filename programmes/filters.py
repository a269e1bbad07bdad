import django_filters
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet

from .models import Briefing, BriefingTask, Programme


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


__all__ = ["ProgrammeFilter", "CoordinationFilter", "BriefingFilter", "AssignedFilter"]
