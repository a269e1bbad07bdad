"""Rules of law as data: which value of rule X applies to council C on date D.

A council-specific row (on the council or one of its ancestors) beats the national row; among
rows of one council, the latest effective_from on or before the date wins."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import Council, Rule
from .refcache import ReferenceCache
from .workdays import add_working_days, next_working_day, previous_working_day

# A period that ends on a day off ends at the end of the next working day.
DAY_OFF_RULE_CITATION = "Bộ luật Dân sự 2015, Điều 148 khoản 5"


class RuleMissing(DomainError):
    pass


def _lineage(council: Council | None) -> list[int]:
    ids = []
    while council is not None:
        ids.append(council.id)
        council = council.parent
    return ids


# Every rule row (a few dozen national ones and a council's own): read on most pages that show a
# deadline, held per process (core.refcache; the receivers in core.apps bump it on every write).
RULES = ReferenceCache("rules", lambda: tuple(Rule.objects.order_by("-effective_from", "pk")))


def _rows(codes, lineage: list[int], first: date, last: date) -> list[Rule]:
    """The rows of `codes` in force on some day of [first, last] for the council's lineage, the
    latest effective_from first."""
    wanted, councils = set(codes), set(lineage)
    return [
        rule for rule in RULES.get()
        if rule.code in wanted
        and rule.effective_from <= last
        and (rule.effective_to is None or rule.effective_to >= first)
        and (rule.council_id is None or rule.council_id in councils)
    ]


def _in_force(codes, lineage: list[int], on: date) -> list[Rule]:
    return _rows(codes, lineage, on, on)


def _most_specific(candidates: list[Rule], lineage: list[int]) -> Rule:
    def specificity(rule: Rule) -> int:
        # Own council first, then nearer ancestors, national last.
        return lineage.index(rule.council_id) if rule.council_id in lineage else len(lineage)

    return min(candidates, key=lambda r: (specificity(r), -r.effective_from.toordinal()))


def rule_for(code: str, council: Council | None, on: date) -> Rule:
    lineage = _lineage(council)
    candidates = list(_in_force([code], lineage, on))
    if not candidates:
        raise RuleMissing(
            _("No rule “%(code)s” is in force on %(date)s; set the date by hand and note its legal basis.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")})
    return _most_specific(candidates, lineage)


def rules_for_days(code: str, council: Council | None, days: list[date]) -> dict[date, Rule]:
    """rule_for() on each of `days` (a day no rule covers is left out), read in one query: the rows
    in force on any day of the span, then the most specific one per day."""
    if not days:
        return {}
    lineage = _lineage(council)
    rows = _rows([code], lineage, min(days), max(days))
    found = {}
    for day in days:
        candidates = [r for r in rows if r.effective_from <= day and (r.effective_to is None or r.effective_to >= day)]
        if candidates:
            found[day] = _most_specific(candidates, lineage)
    return found


def rule_value(code: str, council: Council | None, on: date) -> Decimal:
    return rule_for(code, council, on).value


def rule_values(codes: list[str], council: Council | None, on: date) -> dict[str, Decimal]:
    """The values of several rules in force for a council on a date, read in one query (a code no
    rule covers is left out)."""
    lineage = _lineage(council)
    by_code: dict[str, list[Rule]] = {}
    for rule in _in_force(codes, lineage, on):
        by_code.setdefault(rule.code, []).append(rule)
    return {code: _most_specific(candidates, lineage).value for code, candidates in by_code.items()}


def add_rule_period(rule: Rule, start: date, times: int = 1) -> date:
    """Apply a period rule to a start date (calendar days, working days or months).

    The due date is always a working day: a period in working days ends on one by construction;
    a period in calendar days or months whose last day is a weekend day or a public holiday ends
    at the end of the next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5 — DAY_OFF_RULE_CITATION;
    the holiday calendar and the administrator's CalendarException rows are core.workdays')."""
    amount = int(rule.value) * times
    if rule.unit == Rule.Unit.WORKING_DAYS:
        return add_working_days(start, amount)
    if rule.unit == Rule.Unit.CALENDAR_DAYS:
        return next_working_day(start + relativedelta(days=amount))
    if rule.unit == Rule.Unit.MONTHS:
        return next_working_day(start + relativedelta(months=amount))
    raise DomainError(_("Rule “%(code)s” is not a period.") % {"code": rule.code})


def due_date(code: str, council: Council | None, start: date) -> tuple[date, Rule]:
    """The deadline that rule `code` (in force on `start`) sets from `start`."""
    rule = rule_for(code, council, start)
    return add_rule_period(rule, start), rule


def date_before(code: str, council: Council | None, event: date) -> tuple[date, Rule]:
    """The latest date that is `rule` before an event (e.g. 10 days before a session opens).

    Counted backwards the date is also a working day, but the move goes the other way: a last
    day that falls on a day off becomes the working day before it, so that the legal minimum
    ("at the latest N days before") is still met — moving it later, as Điều 148(5) does for a
    period running forwards, would shorten the notice the law guarantees."""
    rule = rule_for(code, council, event)
    amount = int(rule.value)
    if rule.unit == Rule.Unit.WORKING_DAYS:
        return add_working_days(event, -amount), rule
    return previous_working_day(event - relativedelta(days=amount)), rule


def due_date_or_none(code: str, council: Council | None, start: date) -> tuple[date | None, Rule | None]:
    """Like due_date, but a date no rule covers gives (None, None) instead of refusing the save:
    the caller records the record without a computed deadline and the user sets one by hand."""
    try:
        return due_date(code, council, start)
    except RuleMissing:
        return None, None
