import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.filters import PortalFilterSet
from hdnd_portal.core.models import Agency, Body

from .models import Petition, VoterMeeting


class MeetingFilter(PortalFilterSet):
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = VoterMeeting
        fields = ["kind", "group", "field", "outside_constituency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        council = getattr(self.request, "council", None)
        if council:
            self.filters["group"].queryset = Body.objects.filter(council=council, kind=Body.Kind.GROUP)
            self.form.fields["group"].queryset = self.filters["group"].queryset


AGE_CHOICES = [("1", _("Open over a year")), ("2", _("Open over two years"))]


class PetitionFilter(PortalFilterSet):
    year = django_filters.NumberFilter(field_name="received_on", lookup_expr="year", label=_("Year"))
    age = django_filters.ChoiceFilter(choices=AGE_CHOICES, method="filter_age", label=_("Carried over"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Answer overdue"))
    locality = django_filters.CharFilter(lookup_expr="icontains", label=_("Locality"))
    meeting = django_filters.NumberFilter(field_name="sources__meeting", label=_("Meeting"), distinct=True)

    class Meta:
        model = Petition
        fields = ["status", "kind", "level", "field", "committee", "agency", "is_urgent", "evaluation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        council = getattr(self.request, "council", None)
        if council:
            self.form.fields["committee"].queryset = Body.objects.filter(council=council, kind=Body.Kind.COMMITTEE)
            self.form.fields["agency"].queryset = Agency.objects.filter(council=council)
        self.form.fields["meeting"].widget.input_type = "hidden"

    def filter_age(self, qs, name, value):
        if not value:
            return qs
        today = timezone.localdate()
        cutoff = today.replace(year=today.year - int(value))
        return qs.filter(status__in=Petition.OPEN, received_on__lte=cutoff)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        q = Q(status=Petition.Status.FORWARDED, response_due__lt=timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)
