"""List filters. Choices are limited to the current council by PortalFilterSet."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.models import Agency, Body

from .models import (
    ActivityKind,
    Commitment,
    ConductingLevel,
    ExplanationSession,
    OversightActivity,
    OversightProgramme,
    QuestioningSession,
    Recommendation,
)
from .queries import overdue_q


class YearFilter(django_filters.NumberFilter):
    def __init__(self, field_name: str, **kwargs):
        super().__init__(field_name=f"{field_name}__year", label=_("Year"), **kwargs)


class RecommendationFilter(PortalFilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    body = django_filters.ModelChoiceFilter(
        field_name="activity__body", queryset=Body.objects.all(), label=_("Conducting body")
    )
    year = YearFilter("issued_on")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Recommendation
        fields = ["agency", "field", "body", "year", "status", "evaluation", "overdue", "needs_follow_up"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class ActivityFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    conducting_level = django_filters.ChoiceFilter(choices=ConductingLevel.choices, label=_("Conducted by"))
    year = YearFilter("start_date")
    agency = django_filters.ModelChoiceFilter(
        field_name="agencies", queryset=Agency.objects.all(), label=_("Supervised agency")
    )

    class Meta:
        model = OversightActivity
        fields = ["kind", "conducting_level", "body", "field", "status", "year", "agency"]


class CommitmentFilter(PortalFilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    year = YearFilter("made_on")
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))

    class Meta:
        model = Commitment
        fields = ["agency", "field", "status", "year", "late"]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        q = Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class QuestioningFilter(PortalFilterSet):
    year = YearFilter("held_on")

    class Meta:
        model = QuestioningSession
        fields = ["venue", "status", "year"]


class ExplanationFilter(PortalFilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    year = YearFilter("held_on")

    class Meta:
        model = ExplanationSession
        fields = ["agency", "field", "year"]


class ProgrammeFilter(PortalFilterSet):
    class Meta:
        model = OversightProgramme
        fields = ["year"]
