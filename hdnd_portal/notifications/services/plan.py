"""When a deadline's reminders fall due: the reminder points, computed from the rules in force.

Points, in order: before_<n> for each configured lead (7, 3, 1 days by default), due, overdue,
weekly_overdue_<k> (every `reminder.overdue_repeat_days` after the first overdue day), and the
separate escalation point once the deadline is overdue past `deadline.long_overdue_days`.

Reminders go out on working days: a point that falls on a weekend or holiday moves to the
previous working day when it warns ahead (before_<n>, due) — so Tết does not swallow the last
warning — and to the next working day when it reports lateness (overdue, weekly, escalation).

The scan is state-based: it sends the *latest* point a deadline has reached. A day without a
scan is therefore caught up on the next run, and points superseded while the scan was down
(a "7 days left" when only 2 remain) are not sent stale."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from hdnd_portal.core.models import Council, Rule
from hdnd_portal.core.workdays import working_day_checker

from ..rules import BEFORE_CODES

REPEAT_CODE = "reminder.overdue_repeat_days"
ALL_STAFF_CODE = "reminder.notify_all_staff"
LONG_OVERDUE_CODE = "deadline.long_overdue_days"
DEFAULTS = {
    "reminder.first_days_before": 7,
    "reminder.second_days_before": 3,
    "reminder.last_days_before": 1,
    REPEAT_CODE: 7,
    ALL_STAFF_CODE: 0,
    LONG_OVERDUE_CODE: 30,
}
# A warning point can move back over a holiday stretch (Tết: up to ~10 days); the scan's
# horizon reaches this far beyond the longest lead so such deadlines are still examined.
HOLIDAY_SLACK_DAYS = 14
# Bump when the way points (and so the deadlines' cursors) are computed changes: the next scan then
# reads every deadline within reach once and recomputes their cursors (PlanBook.fingerprint).
CURSOR_VERSION = 1
ESCALATION = "escalation"


@dataclass(frozen=True)
class Plan:
    """The reminder settings of one council on the scan date."""

    before: tuple[int, ...]
    repeat: int
    long_overdue: int
    all_staff: bool


class Calendar:
    """is_working_day, memoised for one scan, with the calendar exceptions read once."""

    def __init__(self) -> None:
        self._days: dict[date, bool] = {}
        self._is_working = working_day_checker()  # the exceptions read once for the whole scan

    def working(self, day: date) -> bool:
        value = self._days.get(day)
        if value is None:
            value = self._days[day] = self._is_working(day)
        return value

    def back(self, day: date) -> date:
        while not self.working(day):
            day -= timedelta(days=1)
        return day

    def forward(self, day: date) -> date:
        while not self.working(day):
            day += timedelta(days=1)
        return day


class PlanBook:
    """Every council's Plan, resolved in memory from one read of the rules table (the same
    precedence as core.rules.rule_for: own council, nearer ancestors, then the national row;
    the latest effective_from on or before the date)."""

    def __init__(self, today: date) -> None:
        self.today = today
        codes = (*BEFORE_CODES, REPEAT_CODE, ALL_STAFF_CODE, LONG_OVERDUE_CODE)
        self._values: dict[tuple[str, int | None], tuple[date, int]] = {}
        for code, council_id, value, effective in Rule.objects.filter(
            code__in=codes, effective_from__lte=today
        ).values_list("code", "council_id", "value", "effective_from"):
            key = (code, council_id)
            if key not in self._values or self._values[key][0] < effective:
                self._values[key] = (effective, int(value))
        self._parents = dict(Council.objects.values_list("id", "parent_id"))
        self._plans: dict[int, Plan] = {}

    def value(self, code: str, council_id: int | None) -> int:
        seen = set()
        while council_id is not None and council_id not in seen:
            seen.add(council_id)
            if (code, council_id) in self._values:
                return self._values[(code, council_id)][1]
            council_id = self._parents.get(council_id)
        if (code, None) in self._values:
            return self._values[(code, None)][1]
        return DEFAULTS[code]

    def plan(self, council_id: int) -> Plan:
        plan = self._plans.get(council_id)
        if plan is None:
            before = tuple(sorted({self.value(c, council_id) for c in BEFORE_CODES} - {0}, reverse=True))
            plan = self._plans[council_id] = Plan(
                before=tuple(n for n in before if n > 0),
                repeat=max(self.value(REPEAT_CODE, council_id), 0),
                long_overdue=max(self.value(LONG_OVERDUE_CODE, council_id), 0),
                all_staff=bool(self.value(ALL_STAFF_CODE, council_id)),
            )
        return plan

    def fingerprint(self) -> str:
        """What every council's reminder points are computed from on this date: the rules in force,
        the councils' parents and the working-day calendar (its exceptions and the holiday library).
        Two scans with the same fingerprint place every deadline's points on the same days."""
        import holidays

        from hdnd_portal.core.models import CalendarException

        data = repr((
            CURSOR_VERSION,
            sorted((code, c or 0, value) for (code, c), (_e, value) in self._values.items()),
            sorted((c, p or 0) for c, p in self._parents.items()),
            sorted(CalendarException.objects.values_list("date", "kind")),
            holidays.__version__,
        ))
        return hashlib.sha256(data.encode()).hexdigest()

    @property
    def max_lead(self) -> int:
        """The longest lead of any council: deadlines due later than today + this are skipped."""
        leads = [v for (code, _c), (_e, v) in self._values.items() if code in BEFORE_CODES]
        return max([*leads, *(DEFAULTS[c] for c in BEFORE_CODES)])


def current_point(plan: Plan, due: date, today: date, cal: Calendar) -> str | None:
    """The latest regular point the deadline has reached on `today` (None: nothing yet)."""
    if today > due:
        first_overdue = cal.forward(due + timedelta(days=1))
        if plan.repeat:
            k = ((today - due).days - 1) // plan.repeat
            while k >= 1:
                if cal.forward(due + timedelta(days=1 + k * plan.repeat)) <= today:
                    return f"weekly_overdue_{k}"
                k -= 1
        if first_overdue <= today:
            return "overdue"
    if cal.back(due) <= today:
        return "due"
    for n in sorted(plan.before):  # the nearest lead first: the latest point reached
        if cal.back(due - timedelta(days=n)) <= today:
            return f"before_{n}"
    return None


def next_point_on(plan: Plan, due: date, today: date, cal: Calendar) -> date:
    """The first day after `today` on which current_point() or escalation_reached() may change —
    the deadline's next reminder point (date.max: none ever). Every threshold those two functions
    compare `today` with is listed here, so nothing changes for the deadline before that day."""
    days = [cal.back(due - timedelta(days=n)) for n in plan.before]
    days += [cal.back(due), cal.forward(due + timedelta(days=1))]
    days.append(cal.forward(due + timedelta(days=plan.long_overdue + 1)))
    if plan.repeat:
        k = max(1, ((today - due).days - 1) // plan.repeat)
        while (day := cal.forward(due + timedelta(days=1 + k * plan.repeat))) <= today:
            k += 1
        days.append(day)
    return min((d for d in days if d > today), default=date.max)


def escalation_reached(plan: Plan, due: date, today: date, cal: Calendar) -> bool:
    return (today - due).days > plan.long_overdue and cal.forward(due + timedelta(days=plan.long_overdue + 1)) <= today


def point_code(base: str, due: date, original_due: date) -> str:
    """A moved deadline (extended, or re-set by its app) is reminded again for its new date."""
    return base if due == original_due else f"{base}@{due:%Y%m%d}"


def base_point(code: str) -> str:
    return code.split("@", 1)[0]
