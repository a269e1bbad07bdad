"""The citizens section of the summary report: reception days, visits, citizens and cases;
letters by kind, field, channel and outcome; overdue letters by agency. A handful of grouped SQL
queries whatever the number of rows. Never includes a sender's identity."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hdnd_portal.core.models import Deadline
from hdnd_portal.reports import charts
from hdnd_portal.reports.charts import QUARTERS, by_quarter

from . import deadlines as dl
from .models import Letter, ReceptionDay, ReceptionSchedule, Visit
from .models.choices import Kind


def _labelled(rows, choices: dict, key: str) -> list[dict]:
    return [
        {"key": r[key] or "", "label": str(choices.get(r[key], r[key] or _("Not classified"))), "count": r["n"]}
        for r in rows
    ]


def _summed(groups: list[dict], *keys: str) -> list[dict]:
    """The grouped rows summed over `keys` (n), most first (ties by key, NULLs last)."""
    sums: dict[tuple, int] = {}
    for group in groups:
        key = tuple(group[k] for k in keys)
        sums[key] = sums.get(key, 0) + group["n"]
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], *((v is None, v or "") for v in kv[0])))
    return [dict(zip(keys, key, strict=True), n=n) for key, n in ordered]


def section(council_ids: list[int], start: date, end: date) -> dict:
    period_days = ReceptionDay.objects.filter(council_id__in=council_ids, date__range=(start, end))
    # Held days only: a day planned by the schedule counts once a visit is recorded on it or the
    # office marks it held (page or API), never for being planned.
    days = period_days.aggregate(
        held=Count("id", filter=Q(status=ReceptionDay.Status.HELD)),
        not_held=Count("id", filter=Q(status=ReceptionDay.Status.PLANNED)),
        cancelled=Count("id", filter=Q(status=ReceptionDay.Status.CANCELLED)),
    )
    # Who received (the seeds: "Thường trực HĐND tiếp 150 buổi, đại biểu 60 buổi"), from the schedule
    # the day belongs to; a day added outside any schedule is counted apart.
    receivers = dict(ReceptionSchedule.Receiver.choices)
    days_by_receiver = [
        {
            "key": r["schedule__receiver_kind"] or "",
            "label": str(receivers.get(r["schedule__receiver_kind"], _("Outside the schedule"))),
            "count": r["n"],
        }
        for r in period_days.filter(status=ReceptionDay.Status.HELD)
        .values("schedule__receiver_kind")
        .annotate(n=Count("id"))
        .order_by()
    ]
    # In the order of the receivers (chairman, standing committee, deputies, groups), then days outside a schedule.
    order = list(receivers)
    days_by_receiver.sort(key=lambda row: order.index(row["key"]) if row["key"] in order else len(order))
    visits = Visit.objects.filter(council_id__in=council_ids, date__range=(start, end)).aggregate(
        visits=Count("id"),
        citizens=Sum("citizen_count"),
        groups=Count("id", filter=Q(is_group=True)),
        cases=Count("case", distinct=True),
        without_case=Count("id", filter=Q(case__isnull=True)),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
    )
    letters = Letter.objects.filter(council_id__in=council_ids, received_on__range=(start, end)).exclude(
        status=Letter.Status.SPLIT
    )
    # One query grouped by every breakdown (kind, channel, field, decision, status) — one scan of the
    # period's letters instead of one per figure; the totals and each breakdown are summed here.
    groups = list(
        letters.values("kind", "channel", "field__code", "field__name", "decision", "status")
        .annotate(
            n=Count("id"),
            not_eligible=Count("id", filter=Q(is_eligible=False)),
            multi_signer=Count("id", filter=Q(is_multi_signer=True)),
            anonymous=Count("id", filter=Q(is_anonymous=True)),
        )
        .order_by()
    )

    def count(n_key: str = "n", **match) -> int:
        return sum(g[n_key] for g in groups if all(g[k] == v for k, v in match.items()))

    totals = {
        "total": count(),
        "duplicates": count(status=Letter.Status.DUPLICATE),
        "not_eligible": count("not_eligible"),
        "multi_signer": count("multi_signer"),
        "anonymous": count("anonymous"),
        "forwarded": count(decision=Letter.Decision.FORWARD),
        "resolved": count(status=Letter.Status.RESOLVED),
        "pending": count(status=Letter.Status.RECEIVED),
    }
    by_kind = _labelled(_summed(groups, "kind"), dict(Kind.choices), "kind")
    by_channel = _labelled(_summed(groups, "channel"), dict(Letter.Channel.choices), "channel")
    by_field = [
        {"key": r["field__code"] or "", "label": r["field__name"] or _("Not classified"), "count": r["n"]}
        for r in _summed(groups, "field__code", "field__name")
    ]
    outcomes = dict(Letter.Decision.choices) | {
        # "File" alone is also a file attachment ("Tệp") in other catalogues, which win the lookup.
        Letter.Decision.FILE.value: pgettext("letter decision", "File"),
        Letter.Status.RECEIVED.value: _("Awaiting a decision"),
        Letter.Status.DUPLICATE.value: _("Duplicate (linked)"),
    }
    by_outcome = []
    for row in _summed(groups, "decision", "status"):
        key = row["decision"] or (row["status"] if row["status"] in outcomes else Letter.Status.RECEIVED.value)
        existing = next((o for o in by_outcome if o["key"] == key), None)
        if existing:
            existing["count"] += row["n"]
        else:
            by_outcome.append({"key": key, "label": str(outcomes.get(key, key)), "count": row["n"]})
    today = min(timezone.localdate(), end) if end >= start else timezone.localdate()
    overdue_rows = (
        Deadline.objects.filter(
            council_id__in=council_ids,
            content_type=ContentType.objects.get_for_model(Letter),
            state=Deadline.State.OPEN,
            due_date__lt=today,
        )
        # The office's monitoring of a forwarded letter runs beside the agency's own deadline: the
        # letter is late at the agency, counted once there, not a second time at the office.
        .exclude(kind=dl.SETTLEMENT_MONITOR)
        .values("responsible_agency__name")
        .annotate(n=Count("object_id", distinct=True))
        .order_by("-n", "responsible_agency__name")
    )
    overdue_by_agency = [
        {"label": r["responsible_agency__name"] or _("Council office"), "count": r["n"]} for r in overdue_rows
    ]
    return {
        "title": _("Citizen reception and letters"),
        "period": {"start": start, "end": end},
        "reception_days": days["held"],
        "reception_days_not_held": days["not_held"],
        "reception_days_cancelled": days["cancelled"],
        "reception_days_by_receiver": days_by_receiver,
        "visits": visits["visits"],
        "citizens": visits["citizens"] or 0,
        "group_visits": visits["groups"],
        "cases": visits["cases"] + visits["without_case"],
        "visits_answered": visits["answered"],
        "letters": totals,
        "letters_by_kind": by_kind,
        "letters_by_field": by_field,
        "letters_by_channel": by_channel,
        "letters_by_outcome": sorted(by_outcome, key=lambda o: -o["count"]),
        "overdue_by_agency": overdue_by_agency,
        "overdue_total": sum(r["count"] for r in overdue_by_agency),
    }


def _per_council(qs) -> dict[int, int]:
    return {r["council_id"]: r["n"] for r in qs.values("council_id").annotate(n=Count("id")).order_by()}


def council_figures() -> list[tuple]:
    """The columns of the table per council (same definitions as in section())."""

    def visits(ids, start, end):
        return _per_council(Visit.objects.filter(council_id__in=ids, date__range=(start, end)))

    def letters(ids, start, end):
        return _per_council(Letter.objects.filter(council_id__in=ids, received_on__range=(start, end))
                            .exclude(status=Letter.Status.SPLIT))

    return [("visits", _("Reception visits"), visits), ("letters", _("Letters received"), letters)]


def dashboard(council_ids: list[int], start: date, end: date, today: date) -> dict:
    """Reception days held, visits and citizens by quarter, and overdue letters by agency."""
    overdue_letters = [
        (r["responsible_agency__name"] or _("Council office"), r["n"])
        for r in Deadline.objects.filter(
            council_id__in=council_ids,
            content_type=ContentType.objects.get_for_model(Letter),
            state=Deadline.State.OPEN,
            due_date__lt=today,
        )
        .values("responsible_agency__name")
        .annotate(n=Count("object_id", distinct=True))
        .order_by("-n", "responsible_agency__name")[:12]
    ]
    visits = by_quarter(
        Visit.objects.filter(council_id__in=council_ids, date__range=(start, end)),
        "date",
        visits=Count("id"),
        citizens=Sum("citizen_count"),
    )
    # Held as the report counts them: marked held by the office, never for being planned.
    days = ReceptionDay.objects.filter(
        council_id__in=council_ids, date__range=(start, end), status=ReceptionDay.Status.HELD
    ).count()
    return {
        "cards": [
            (_("Reception days"), days),
            (_("Visits"), sum(visits["visits"])),
            (_("Overdue letters"), sum(n for _l, n in overdue_letters)),
        ],
        "charts": [
            {
                "title": _("Overdue letters by agency"),
                "svg": charts.hbar(overdue_letters, color=charts.PALETTE[4]),
                "rows": overdue_letters,
                "headers": [_("Agency"), _("Overdue")],
            },
            {
                "title": _("Reception by quarter"),
                "svg": charts.grouped_bars(
                    QUARTERS, [(_("Visits"), visits["visits"]), (_("Citizens received"), visits["citizens"])]
                ),
                "rows": [(q, v, c) for q, v, c in zip(QUARTERS, visits["visits"], visits["citizens"], strict=True)],
                "headers": [_("Quarter"), _("Visits"), _("Citizens received")],
            },
        ],
    }
