"""The voters section of the summary reports: voter meetings and petitions received, forwarded,
answered and resolved, by field, committee, level and locality; counted in SQL with a handful
of grouped queries."""

from datetime import date

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from hdnd_portal.reports import charts

from .models import Petition, VoterMeeting

# The breakdowns of the period's petitions (key, label), all from one grouped query (see _breakdowns).
BREAKDOWNS = (
    ("field_id", "field__name"),
    ("committee_id", "committee__name"),
    ("level", "level"),
    ("locality", "locality"),
)


# The handling flow's figures, in the order of the section (summed over the agencies' groups).
FLOW_KEYS = (
    "received", "petitions", "opinions", "urgent", "forwarded", "answered", "resolved", "in_progress", "explained",
    "not_competent", "on_time", "overdue_at_end", "carried_over", "satisfactory", "unsatisfactory", "follow_up",
)


def _counts():
    return dict(
        n=Count("id"),
        answered=Count("id", filter=Q(status__in=Petition.ANSWERED)),
        resolved=Count("id", filter=Q(status=Petition.Status.RESOLVED)),
    )


def _order(row: dict) -> tuple:
    """ORDER BY n DESC, key (PostgreSQL: NULL keys last; text in the database's C collation, i.e.
    by code point as Python compares)."""
    key = row["key"]
    return (-row["count"], key is None, key if key is not None else 0)


def _breakdowns(qs) -> dict[str, list[dict]]:
    """key → its rows ({key, label, count, answered, resolved}, most first), for every BREAKDOWNS key,
    from ONE query grouped by all of them (one scan of the petitions instead of one per breakdown)."""
    fields = [name for pair in BREAKDOWNS for name in dict.fromkeys(pair)]
    groups = list(qs.values(*fields).annotate(**_counts()).order_by())
    out: dict[str, list[dict]] = {}
    for key, label_key in BREAKDOWNS:
        rows: dict = {}
        for group in groups:
            row = rows.get(group[key])
            if row is None:
                row = rows[group[key]] = {
                    "key": group[key],
                    "label": group[label_key] or _("(not set)"),
                    "count": 0,
                    "answered": 0,
                    "resolved": 0,
                }
            row["count"] += group["n"]
            row["answered"] += group["answered"]
            row["resolved"] += group["resolved"]
        out[key] = sorted(rows.values(), key=_order)
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def section(council_ids: list[int], start: date, end: date) -> dict:
    meetings = VoterMeeting.objects.filter(council_id__in=council_ids, date__range=(start, end)).aggregate(
        count=Count("id"),
        voters=Sum("voter_count"),
        before=Count("id", filter=Q(kind=VoterMeeting.Kind.BEFORE_SESSION)),
        after=Count("id", filter=Q(kind=VoterMeeting.Kind.AFTER_SESSION)),
        thematic=Count("id", filter=Q(kind__in=[VoterMeeting.Kind.THEMATIC, VoterMeeting.Kind.BY_FIELD])),
        # The seeds: "06 tổ đại biểu HĐND Thành phố đã tổ chức tiếp xúc chuyên đề".
        groups=Count("group", distinct=True),
        thematic_groups=Count(
            "group", distinct=True, filter=Q(kind__in=[VoterMeeting.Kind.THEMATIC, VoterMeeting.Kind.BY_FIELD])
        ),
    )
    live = Petition.objects.filter(council_id__in=council_ids).exclude(status=Petition.Status.MERGED)
    received = live.filter(received_on__range=(start, end))
    in_period = Q(received_on__range=(start, end))
    # One scan of the councils' petitions, grouped by agency, for the received totals, the handling
    # flow (the groups summed) and the table by agency of the petitions forwarded in the period.
    forwarded = Q(forwarded_on__range=(start, end))
    responded = Q(response_date__range=(start, end))
    evaluated = Q(evaluated_on__range=(start, end))
    overdue_at_end = Q(forwarded_on__lte=end, response_due__lt=end) & (
        Q(response_date__isnull=True) | Q(response_date__gt=end)
    )
    carried_over = Q(received_on__lt=start, status__in=Petition.OPEN)
    counted = dict(
        agency_n=forwarded,
        agency_answered=forwarded & Q(status__in=Petition.ANSWERED),
        agency_resolved=forwarded & Q(status=Petition.Status.RESOLVED),
        received=in_period,
        petitions=in_period & Q(kind=Petition.Kind.PETITION),
        opinions=in_period & Q(kind=Petition.Kind.OPINION),
        urgent=in_period & Q(is_urgent=True),
        forwarded=forwarded,
        answered=responded,
        resolved=responded & Q(status=Petition.Status.RESOLVED),
        in_progress=responded & Q(status=Petition.Status.IN_PROGRESS),
        explained=responded & Q(status=Petition.Status.EXPLAINED),
        not_competent=responded & Q(status=Petition.Status.NOT_COMPETENT),
        on_time=responded & Q(response_date__lte=F("response_due")),
        overdue_at_end=overdue_at_end,
        carried_over=carried_over,
        satisfactory=evaluated & Q(evaluation="satisfactory"),
        unsatisfactory=evaluated & Q(evaluation="unsatisfactory"),
        follow_up=evaluated & Q(needs_follow_up=True),
    )
    # Only the rows some figure counts are read and aggregated: a term's petitions received after
    # the period, or settled before it, count in none (the nineteen filters ran on every row).
    relevant = in_period | forwarded | responded | evaluated | overdue_at_end | carried_over
    by_agency_rows = list(
        live.filter(relevant)
        .values("agency_id", "agency__name")
        .annotate(**{name: Count("id", filter=condition) for name, condition in counted.items()})
        .order_by()
    )
    flow = {key: sum(row[key] for row in by_agency_rows) for key in FLOW_KEYS}
    totals = {key: flow.pop(key) for key in ("received", "petitions", "opinions", "urgent")}
    by_agency = sorted(
        (
            {
                "key": row["agency_id"],
                "label": row["agency__name"] or _("(not set)"),
                "count": row["agency_n"],
                "answered": row["agency_answered"],
                "resolved": row["agency_resolved"],
            }
            for row in by_agency_rows
            if row["agency_n"]
        ),
        key=_order,
    )
    breakdowns = _breakdowns(received)
    return {
        "title": _("Voter meetings and petitions"),
        "meetings": {k: v or 0 for k, v in meetings.items()},
        "petitions": totals,
        "flow": flow,
        "resolution_rate": _rate(flow["resolved"], flow["answered"]),
        "answer_rate": _rate(flow["answered"], flow["forwarded"]),
        "by_field": breakdowns["field_id"],
        "by_committee": breakdowns["committee_id"],
        "by_level": [
            dict(r, label=str(dict(Petition.Level.choices).get(r["key"], r["key"]))) for r in breakdowns["level"]
        ],
        "by_locality": breakdowns["locality"][:30],
        "by_agency": by_agency,
    }


def _per_council(qs) -> dict[int, int]:
    return {r["council_id"]: r["n"] for r in qs.values("council_id").annotate(n=Count("id")).order_by()}


def council_figures() -> list[tuple]:
    """The columns of the table per council (same definitions as in section())."""

    def meetings(ids, start, end):
        return _per_council(VoterMeeting.objects.filter(council_id__in=ids, date__range=(start, end)))

    def petitions(ids, start, end):
        return _per_council(Petition.objects.filter(council_id__in=ids, received_on__range=(start, end))
                            .exclude(status=Petition.Status.MERGED))

    return [
        ("voter_meetings", _("Voter meetings"), meetings),
        ("petitions", _("Petitions and opinions"), petitions),
    ]


def dashboard(council_ids: list[int], start: date, end: date, today: date) -> dict:
    """Petitions received, by status and by field."""
    petitions = Petition.objects.filter(council_id__in=council_ids, received_on__range=(start, end)).exclude(
        status=Petition.Status.MERGED
    )
    labels = dict(Petition.Status.choices)
    # One grouped query (status × field), summed both ways here.
    statuses: dict[str, int] = {}
    fields: dict[str | None, int] = {}
    for r in petitions.values("status", "field__name").annotate(n=Count("id")).order_by():
        statuses[r["status"]] = statuses.get(r["status"], 0) + r["n"]
        fields[r["field__name"]] = fields.get(r["field__name"], 0) + r["n"]
    by_status = [
        (str(labels.get(status, status)), n) for status, n in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    by_field = [
        (name or _("Not classified"), n)
        for name, n in sorted(fields.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))[:12]
    ]
    return {
        "cards": [(_("Petitions and opinions received"), sum(n for _l, n in by_status))],
        "charts": [
            {
                "title": _("Petitions by status"),
                "svg": charts.hbar(by_status, color=charts.PALETTE[2]),
                "rows": by_status,
                "headers": [_("Status"), _("Petitions")],
            },
            {
                "title": _("Petitions by field"),
                "svg": charts.hbar(by_field, color=charts.PALETTE[3]),
                "rows": by_field,
                "headers": [_("Field"), _("Petitions")],
            },
        ],
    }
