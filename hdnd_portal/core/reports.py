"""The core part of the reports: deputies, the bodies and their members; and the councils a report
covers (which councils lay below a council during a period, their names for the table per council)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Body, Council, Deputy, Membership
from .scoping import council_and_below


def _existed_on(end: date) -> Q:
    """The record's council still existed on `end`: a district council dissolved on 30/6/2025 has
    no deputies, members or bodies on 31/12/2025, even when they were back-entered without an end."""
    return Q(council__dissolved_on__isnull=True) | Q(council__dissolved_on__gte=end)


def _sitting_on(end: date) -> Q:
    """Sitting on `end` (a deputy, or a post in a body): their own dates run and their council existed."""
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end)) & _existed_on(end)


def section(council_ids: list[int], start: date, end: date) -> dict:
    """Deputies sitting at the end of the period, who joined or left during it, the bodies, and the
    members of the standing committee and of the committees sitting at the end of the period."""
    sitting = _sitting_on(end)
    deputies = Deputy.objects.filter(council_id__in=council_ids).aggregate(
        sitting=Count("id", filter=sitting),
        full_time=Count("id", filter=sitting & Q(is_full_time=True)),
        female=Count("id", filter=sitting & Q(gender=Deputy.Gender.FEMALE)),
        joined=Count("id", filter=Q(start_date__range=(start, end))),
        left=Count("id", filter=Q(end_date__range=(start, end))),
    )
    kinds = dict(Body.Kind.choices)
    bodies = [
        {"key": r["kind"], "label": str(kinds.get(r["kind"], r["kind"])), "count": r["n"]}
        for r in Body.objects.filter(_existed_on(end), council_id__in=council_ids, is_active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    ]
    by_kind = {b["key"]: b["count"] for b in bodies}
    members = Membership.objects.filter(
        _sitting_on(end), council_id__in=council_ids, deputy__start_date__lte=end
    ).exclude(deputy__end_date__lt=end)
    member_counts = members.aggregate(
        standing=Count("deputy", distinct=True, filter=Q(body__kind=Body.Kind.STANDING)),
        committees=Count("deputy", distinct=True, filter=Q(body__kind=Body.Kind.COMMITTEE)),
    )
    # Only for a single council: a table per committee of every commune would say nothing.
    per_committee = [
        {"key": str(r["body_id"]), "label": r["body__name"], "count": r["n"]}
        for r in members.filter(body__kind=Body.Kind.COMMITTEE)
        .values("body_id", "body__name")
        .annotate(n=Count("deputy", distinct=True))
        .order_by("body__name")
    ] if len(council_ids) == 1 else []
    return {
        "title": _("Deputies and bodies"),
        "deputies": deputies,
        "committees": by_kind.get(Body.Kind.COMMITTEE, 0),
        "delegate_groups": by_kind.get(Body.Kind.GROUP, 0),
        "bodies_by_kind": bodies,
        "standing_committee_members": member_counts["standing"],
        "committee_members": member_counts["committees"],
        "members_by_committee": per_committee,
    }


def _grouped_count(qs) -> dict[int, int]:
    return {r["council_id"]: r["n"] for r in qs.values("council_id").annotate(n=Count("id")).order_by()}


def council_figures() -> list[tuple]:
    def deputies(ids, start, end):
        return _grouped_count(Deputy.objects.filter(_sitting_on(end), council_id__in=ids))

    return [("deputies", _("Sitting deputies"), deputies)]


# --- The councils a report covers ------------------------------------------------------------

# The levels below a council, in the order a report prints them, with the name of their councils.
LEVEL_TITLES = {
    Council.Level.DISTRICT: gettext_lazy("District-level councils"),
    Council.Level.COMMUNE: gettext_lazy("Commune-level councils"),
}


def councils_below(council_id: int, start: date, end: date) -> dict[str, list[int]]:
    """level → ids of the councils below the council that existed at some day of the period (a
    district dissolved on 30/6/2025 counts in a 2025 report, not in a 2026 one)."""
    council = Council.objects.get(pk=council_id)
    existed = (Q(established_on__isnull=True) | Q(established_on__lte=end)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start)
    )
    ids = [i for i in council_and_below(council) if i != council.id]
    found: dict[str, list[int]] = {}
    for cid, level in Council.objects.filter(existed, id__in=ids).order_by("id").values_list("id", "level"):
        found.setdefault(level, []).append(cid)
    return {level: found[level] for level in LEVEL_TITLES if level in found}


def level_title(level: str) -> str:
    return str(LEVEL_TITLES[level])


def council_rows(council_ids: list[int]) -> list[dict]:
    """id, name and code of the councils, by name (the rows of the table per council)."""
    return list(Council.objects.filter(id__in=council_ids).order_by("name").values("id", "name", "code"))
