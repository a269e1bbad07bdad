"""Home-page cards of the voters app (a few grouped queries)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Petition, VoterMeeting


def voter_cards(council, access, figures):
    if not council:
        return []
    if access.has(council.id, "can_view_petition"):
        today = timezone.localdate()
        year_start = today.replace(month=1, day=1)
        petitions = figures.aggregate(
            Petition.objects.filter(council=council).exclude(status=Petition.Status.MERGED),
            year=Count("id", filter=Q(received_on__gte=year_start)),
            waiting=Count("id", filter=Q(status=Petition.Status.NEW)),
            overdue=Count("id", filter=Q(status=Petition.Status.FORWARDED, response_due__lt=today)),
            old=Count("id", filter=Q(status__in=Petition.OPEN, received_on__lt=today.replace(year=today.year - 1))),
        )
        meetings = figures.count(VoterMeeting.objects.filter(council=council, date__gte=year_start))

        def cards() -> list[dict]:
            return [
                {"label": _("Voter meetings this year"), "value": meetings["count"], "url": "voters:meeting_list"},
                {"label": _("Petitions received this year"), "value": petitions["year"], "url": "voters:petition_list"},
                {
                    "label": _("Petitions waiting to be forwarded"),
                    "value": petitions["waiting"],
                    "url": "voters:petition_list",
                },
                {
                    "label": _("Petition answers overdue"),
                    "value": petitions["overdue"],
                    "alert": petitions["overdue"] > 0,
                    "url": "voters:petition_list",
                },
                {
                    "label": _("Petitions open for over a year"),
                    "value": petitions["old"],
                    "alert": petitions["old"] > 0,
                    "url": "voters:petition_list",
                },
            ]

        return cards
    if access.has(council.id, "can_view_my_petitions") and access.deputy_ids():
        mine = figures.aggregate(
            Petition.objects.filter(council=council, deputies__in=access.deputy_ids()),
            total=Count("id", distinct=True),
            answered=Count("id", distinct=True, filter=Q(status__in=Petition.ANSWERED)),
        )
        return lambda: [
            {"label": _("Petitions I took"), "value": mine["total"], "url": "voters:my_petitions"},
            {"label": _("of which answered"), "value": mine["answered"], "url": "voters:my_petitions"},
        ]
    if access.has(council.id, "can_answer_petition") and access.agency_ids():
        waiting = figures.count(
            Petition.objects.filter(council=council, agency_id__in=access.agency_ids(), status=Petition.Status.FORWARDED)
        )
        return lambda: [
            {"label": _("Petitions awaiting my agency's answer"), "value": waiting["count"], "url": "voters:petition_list"}
        ]
    return []
