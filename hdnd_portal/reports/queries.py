"""Read paths of reports: the list (council and requester joined, no per-row queries)."""

from django.db.models import QuerySet

from .models import Report


def reports_for(council_ids: list[int]) -> QuerySet:
    return (
        Report.objects.filter(council_id__in=council_ids)
        .select_related("council", "requested_by")
        .defer("figures", "narrative")
    )
