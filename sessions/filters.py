import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.models import Body, Field

from .models import CouncilSession, Resolution, SessionDocument, Verification


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, 2015, -1)]


def any_year_or_one():
    """"All years", then each year: an unfiltered list must not look filtered by its first year."""
    return [("", _("All years")), *year_choices()]


class SessionFilter(PortalFilterSet):
    year = django_filters.TypedChoiceFilter(label=_("Year"), choices=any_year_or_one, coerce=int, method="filter_year")

    class Meta:
        model = CouncilSession
        fields = ["year", "term", "kind", "status", "is_paperless"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(planned_start__year=int(value)) if value else queryset


class DocumentFilter(PortalFilterSet):
    sent = django_filters.BooleanFilter(
        field_name="sent_at", lookup_expr="isnull", exclude=True, label=_("Sent to deputies")
    )

    class Meta:
        model = SessionDocument
        fields = ["session", "kind", "visibility", "sent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["session"].queryset = self.filters["session"].queryset.order_by("-planned_start")


class VerificationFilter(PortalFilterSet):
    committee = django_filters.ModelChoiceFilter(
        queryset=Body.objects.filter(kind=Body.Kind.COMMITTEE), label=_("Committee")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Verification
        fields = ["session", "committee", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        late = Q(status__in=[Verification.Status.ASSIGNED, Verification.Status.IN_PROGRESS], due_date__lt=today)
        if value is True:
            return queryset.filter(late)
        if value is False:
            return queryset.exclude(late)
        return queryset


class ResolutionFilter(PortalFilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), choices=year_choices, empty_label=_("All years"))
    field = django_filters.ModelChoiceFilter(queryset=Field.objects.filter(is_active=True), label=_("Field"))

    class Meta:
        model = Resolution
        fields = ["year", "kind", "field", "session", "implementation_status", "is_published"]
