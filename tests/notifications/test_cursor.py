"""The reminder scan's cursor (Deadline.next_reminder_on): a scan reads only the deadlines whose
next reminder point has come, a change to a deadline moves its cursor, and the cursor never skips
a day on which the points would change."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.deadlines import deadline_extend
from hdnd_portal.core.models import CouncilRole, Deadline
from hdnd_portal.notifications.models import ReminderLog
from hdnd_portal.notifications.services.plan import (
    Calendar,
    Plan,
    current_point,
    escalation_reached,
    next_point_on,
)

pytestmark = pytest.mark.django_db


def cursor(deadline: Deadline) -> date | None:
    return Deadline.objects.values_list("next_reminder_on", flat=True).get(pk=deadline.pk)


def deadline_rows_read(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "core_deadline"' in q["sql"] and "next_reminder_on" in q["sql"]]


def test_a_rerun_with_nothing_new_due_reads_no_deadline(scan, make_deadline, people):
    # Due Friday 27/03/2026 (before_7 20/03, before_3 Tue 24/03), two overdue, one due in a week.
    soon = make_deadline(date(2026, 3, 27), responsible_user=people["responsible"], responsible_agency=None)
    late = [
        make_deadline(date(2026, 3, day), responsible_user=people["responsible"], responsible_agency=None)
        for day in (2, 9)
    ]
    first = scan(date(2026, 3, 20))
    assert first.full and first.candidates == 3 and first.reminders == 3

    with CaptureQueriesContext(connection) as queries:
        again = scan(date(2026, 3, 20))
    assert not again.full and again.candidates == 0 and again.batches == 0 and again.reminders == 0
    assert len(deadline_rows_read(queries)) == 1  # the one "what is due" read, which found nothing
    assert len(queries) <= 12

    # Monday 23/03: no point reached (before_3 is on Tuesday, weekly_overdue on the 24th and 31st).
    assert scan(date(2026, 3, 23)).candidates == 0
    # Tuesday 24/03: before_3 of the first deadline, the weekly reminders of the overdue ones.
    tuesday = scan(date(2026, 3, 24))
    assert tuesday.candidates == 3 and tuesday.reminders == 3
    assert cursor(soon) == date(2026, 3, 26)  # before_1 on Thursday
    assert [cursor(d) for d in late] == [date(2026, 3, 31)] * 2  # the next weekly reminders
    assert ReminderLog.objects.count() == 6


def test_changing_a_deadline_moves_its_cursor(scan, make_deadline, people):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    assert cursor(deadline) is None  # new: looked at by the next scan
    scan(date(2026, 3, 17))
    assert cursor(deadline) == date(2026, 3, 18)  # the "due" point, the next day
    deadline_extend(deadline=deadline, new_due_date=date(2026, 4, 3), legal_basis="Luật Tố cáo 2018, Điều 30")
    assert cursor(deadline) is None  # moved: the trigger hands it back to the next scan
    run = scan(date(2026, 3, 20))
    assert run.candidates == 1 and run.reminders == 0
    assert cursor(deadline) == date(2026, 3, 27)  # before_7 of the new date
    # Whatever road the change takes (here a bulk update), it hands the deadline back to the scan.
    Deadline.objects.filter(pk=deadline.pk).update(responsible_user=people["staff2"])
    assert cursor(deadline) is None
    assert scan(date(2026, 3, 20)).candidates == 1 and cursor(deadline) == date(2026, 3, 27)


def test_a_changed_rule_makes_the_next_scan_read_every_deadline_within_reach(scan, make_deadline, people, set_rule):
    for day in (2, 9, 27):
        make_deadline(date(2026, 3, day), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 20))
    assert scan(date(2026, 3, 20)).candidates == 0
    set_rule("reminder.first_days_before", 10)
    run = scan(date(2026, 3, 20))
    assert run.full and run.candidates == 3


def test_an_escalation_with_nobody_to_tell_waits_for_a_leader(scan, make_deadline, people, set_rule, council, make_user):
    # Escalation goes to the leaders (or the administrators); with none it waits. The next scans
    # do not read the deadline again until someone takes such a role.
    set_rule("deadline.long_overdue_days", 10, council=council)
    people["leader"].council_roles.all().delete()
    make_deadline(date(2026, 3, 2), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 20))
    sent = list(ReminderLog.objects.values_list("point", flat=True))
    assert sent == ["weekly_overdue_2"]
    assert scan(date(2026, 3, 20)).candidates == 0
    make_user("lanhdao_moi", council, CouncilRole.Role.LEADER)
    run = scan(date(2026, 3, 20))
    assert run.full and run.escalations == 1
    assert ReminderLog.objects.get(point="escalation").recipient.username == "lanhdao_moi"


PLANS = [
    Plan(before=(7, 3, 1), repeat=7, long_overdue=30, all_staff=False),
    Plan(before=(10,), repeat=0, long_overdue=5, all_staff=False),
    Plan(before=(), repeat=3, long_overdue=0, all_staff=False),
]


@pytest.mark.parametrize("plan", PLANS)
def test_nothing_changes_for_a_deadline_before_its_cursor(plan):
    """Day by day across Tết 2026 and the 30/4–1/5 holidays: the points a deadline has reached stay
    the same from a scan day until the day before the cursor computed on it, and change on it."""
    cal = Calendar()

    def state(due: date, day: date):
        return current_point(plan, due, day, cal), escalation_reached(plan, due, day, cal)

    for due in (date(2026, 2, 23), date(2026, 2, 13), date(2026, 4, 30), date(2026, 5, 4)):
        day = due - timedelta(days=20)
        while day < due + timedelta(days=60):
            nxt = next_point_on(plan, due, day, cal)
            assert nxt > day
            end = min(nxt, due + timedelta(days=70))
            probe = day + timedelta(days=1)
            while probe < end:
                assert state(due, probe) == state(due, day), (plan, due, day, probe)
                probe += timedelta(days=1)
            day += timedelta(days=1)
