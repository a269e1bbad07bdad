"""Quorum (two thirds of the deputies present) and the number of regular sessions a year.

Both figures are rules of law kept as data (session.quorum_fraction, session.regular_per_year,
with their citation); the checks here are the only place that reads them, for pages and API."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Council, Rule
from hdnd_portal.core.rules import RuleMissing, rule_for, rules_for_days

from ..models import Attendance, CouncilSession
from .sessions import sitting_deputies

QUORUM_RULE = "session.quorum_fraction"
REGULAR_RULE = "session.regular_per_year"
# Fractions are stored with four decimals (two thirds = 0.6667): "at least" compares with this slack.
_SLACK = Decimal("0.0005")


def quorum_required(*, total: int, fraction: Decimal) -> int:
    """Smallest number of deputies present that makes the quorum: at least `fraction` of `total`."""
    if total <= 0:
        return 0
    return max(1, math.ceil((fraction - _SLACK) * total))


@dataclass(frozen=True)
class Quorum:
    """The quorum of one session day, from the attendance recorded for it."""

    day: date
    present: int
    total: int
    required: int
    rule: Rule

    @property
    def met(self) -> bool:
        return self.present >= self.required

    @property
    def label(self) -> str:
        if self.met:
            return _("Enough deputies present as required (2/3)")
        return _("Not enough deputies present as required (2/3)")


def quorum_rules(session: CouncilSession, days: list[date]) -> dict[date, Rule]:
    """The quorum rule in force on each of the session's days (one query; a day without one is left out)."""
    return rules_for_days(QUORUM_RULE, session.council, days)


def quorum_for(
    *, session: CouncilSession, day: date, present: int, total: int, rules: dict[date, Rule] | None = None
) -> Quorum | None:
    """The quorum from counts already known (the session page's per-day summary); None when no
    quorum rule is in force on that day. `rules`: quorum_rules() of the session's days, if read."""
    if rules is not None:
        rule = rules.get(day)
        if rule is None:
            return None
    else:
        try:
            rule = rule_for(QUORUM_RULE, session.council, day)
        except RuleMissing:
            return None
    return Quorum(day=day, present=present, total=total, required=quorum_required(total=total, fraction=rule.value),
                  rule=rule)


def session_quorum(*, session: CouncilSession, day: date) -> Quorum | None:
    """The quorum on `day` from its attendance: sitting deputies present against all sitting
    deputies. None when no attendance is recorded for that day (nothing to judge by)."""
    sitting = sitting_deputies(session.council_id, day)
    counts = Attendance.objects.filter(session=session, day=day).aggregate(
        recorded=Count("id"),
        present=Count("id", filter=Q(status=Attendance.Status.PRESENT, deputy__in=sitting.values("pk"))),
    )
    if not counts["recorded"]:
        return None
    return quorum_for(session=session, day=day, present=counts["present"], total=sitting.count())


def check_quorum(*, session: CouncilSession | None, day: date, confirm: bool = False, reason: str = "",
                 field: str = "confirm_without_quorum", poll: bool = False) -> tuple[Quorum | None, str]:
    """Before a vote, an adoption or the opening of an electronic poll (`poll`: the messages speak
    of opening it) on `day`: when the attendance recorded for that day shows no quorum, refuse
    unless the user confirms explicitly and says why. Returns the quorum (None if attendance is
    not recorded, or no quorum rule is in force) and the stripped reason kept with the record."""
    reason = (reason or "").strip()
    if session is None:
        return None, ""
    quorum = session_quorum(session=session, day=day)
    if quorum is None or quorum.met:
        return quorum, ""
    if not confirm:
        if poll:
            message = _(
                "The attendance of %(day)s shows %(present)s of %(total)s deputies present, fewer than the "
                "%(required)s (two thirds) required (%(citation)s). Tick “Open anyway” and state the reason "
                "to open the poll all the same."
            )
        else:
            message = _(
                "The attendance of %(day)s shows %(present)s of %(total)s deputies present, fewer than the "
                "%(required)s (two thirds) required (%(citation)s). Tick “Record anyway” and state the reason "
                "to record it all the same."
            )
        raise DomainError(
            message
            % {
                "day": day.strftime("%d/%m/%Y"),
                "present": quorum.present,
                "total": quorum.total,
                "required": quorum.required,
                "citation": quorum.rule.citation,
            },
            field=field,
            extra={"present": quorum.present, "total": quorum.total, "required": quorum.required},
        )
    if not reason:
        if poll:
            raise DomainError(_("State why the poll is opened without the quorum."), field="quorum_reason")
        raise DomainError(_("State why it is recorded without the quorum."), field="quorum_reason")
    if len(reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."), field="quorum_reason")
    return quorum, reason


# --- Regular sessions per year ----------------------------------------------------------------


@dataclass(frozen=True)
class RegularShortfall:
    year: int
    count: int
    required: int
    rule: Rule


def regular_session_counts(council: Council, years: list[int]) -> dict:
    """Aggregates for regular_session_shortfalls, to read with the home page's other figures:
    the regular sessions of each year (`regular_<year>`) and the first session's date (`earliest`)."""
    counts = {
        f"regular_{year}": Count("id", filter=Q(kind=CouncilSession.Kind.REGULAR, planned_start__year=year))
        for year in years
    }
    return {**counts, "earliest": Min("planned_start")}


def regular_session_shortfalls(
    council: Council, *, until: int, years: int = 2, figures: dict | None = None
) -> list[RegularShortfall]:
    """Years (the `years` up to `until`, within the council's existence and its sessions' records)
    with fewer regular sessions held or planned than the rule asks. `figures`: the values of
    regular_session_counts already read (else one query here); one rule look-up per year checked."""
    first = until - years + 1
    if council.established_on:
        first = max(first, council.established_on.year)
    last = min(until, council.dissolved_on.year) if council.dissolved_on else until
    if first > last:
        return []
    if figures is None:
        figures = CouncilSession.objects.filter(council=council).aggregate(
            **regular_session_counts(council, list(range(first, last + 1)))
        )
    counts = {year: {"regular": figures.get(f"regular_{year}") or 0} for year in range(first, last + 1)}
    earliest = figures["earliest"].year if figures.get("earliest") else None
    shortfalls = []
    for year in range(first, last + 1):
        # A year before the council's first session in the portal is history not entered: no warning.
        if earliest is None or year < earliest:
            continue
        try:
            last_day = date(year, 12, 31)
            if council.dissolved_on and council.dissolved_on < last_day:
                last_day = council.dissolved_on
            rule = rule_for(REGULAR_RULE, council, last_day)
        except RuleMissing:
            continue
        required = int(rule.value)
        count = counts.get(year, {}).get("regular", 0)
        if count < required:
            shortfalls.append(RegularShortfall(year=year, count=count, required=required, rule=rule))
    return shortfalls
