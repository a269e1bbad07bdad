"""Home-page cards: parts of the home page's one batch of figures."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import agency_limit, can_see_assigned
from .models import Commitment, OversightActivity, Recommendation
from .queries import overdue_q


def oversight_cards(council, access, figures):
    if council is None or not can_see_assigned(access, council.id):
        return []
    today = timezone.localdate()
    limit = agency_limit(access, council.id)
    recs = Recommendation.objects.filter(council=council)
    commitments = Commitment.objects.filter(council=council)
    if limit is not None:
        recs, commitments = recs.filter(agency_id__in=limit), commitments.filter(agency_id__in=limit)
    rec = figures.aggregate(
        recs,
        open=Count("id", filter=~Q(evaluation=Recommendation.Evaluation.ACCEPTED)),
        overdue=Count("id", filter=overdue_q(today)),
        to_evaluate=Count(
            "id", filter=Q(status=Recommendation.Status.DONE, evaluation=Recommendation.Evaluation.PENDING)
        ),
    )
    com = figures.aggregate(
        commitments,
        open=Count("id", filter=Q(status__in=Commitment.OPEN_STATUSES)),
        late=Count("id", filter=Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=today)),
    )
    year = None
    if limit is None:
        year = figures.aggregate(
            OversightActivity.objects.filter(council=council, start_date__year=today.year),
            total=Count("id"),
            done=Count("id", filter=Q(status__in=OversightActivity.DONE_STATUSES)),
        )

    def cards() -> list[dict]:
        result = [
            {"label": _("Open recommendations"), "value": rec["open"], "url": "oversight:recommendation_list"},
            {
                "label": _("Overdue recommendations"),
                "value": rec["overdue"],
                "url": "oversight:recommendation_list",
                "alert": rec["overdue"] > 0,
            },
            {
                "label": _("Reports awaiting evaluation"),
                "value": rec["to_evaluate"],
                "url": "oversight:recommendation_list",
            },
            {"label": _("Open commitments"), "value": com["open"], "url": "oversight:commitment_list"},
            {
                "label": _("Late commitments"),
                "value": com["late"],
                "url": "oversight:requestioning",
                "alert": com["late"] > 0,
            },
        ]
        if year is not None:
            result.insert(
                0,
                {
                    "label": _("Oversight activities this year"),
                    "value": f"{year['done']}/{year['total']}",
                    "url": "oversight:activity_list",
                },
            )
        return result

    return cards
