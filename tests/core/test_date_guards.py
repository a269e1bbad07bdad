"""The two date rules of core that every app relies on: a date recording something that happened
cannot be after today (the local date in Asia/Ho_Chi_Minh, not the server's UTC date), and a
due date is a working day — a period in calendar days ending on a day off ends on the next
working day (Bộ luật Dân sự 2015, Điều 148 khoản 5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import CalendarException, Rule
from hdnd_portal.core.rules import DAY_OFF_RULE_CITATION, add_rule_period, date_before, due_date
from hdnd_portal.core.services import calendar_exception_save, check_not_future
from hdnd_portal.core.workdays import is_working_day, next_working_day, previous_working_day

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _period(value: int, unit: str = Rule.Unit.CALENDAR_DAYS) -> Rule:
    return Rule(
        code="test.period", name="test", value=value, unit=unit, citation="test", effective_from=date(2000, 1, 1)
    )


# --- Not after today ----------------------------------------------------------------------------


def test_today_is_accepted_and_tomorrow_refused_with_the_field_and_a_vietnamese_message():
    check_not_future(date(2026, 3, 10), field="received_on", label="Ngày nhận đơn", today=date(2026, 3, 10))
    check_not_future(None, field="received_on", label="Ngày nhận đơn", today=date(2026, 3, 10))
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        check_not_future(date(2026, 3, 11), field="received_on", label="Ngày nhận đơn", today=date(2026, 3, 10))
    assert caught.value.field == "received_on"
    assert caught.value.message == "Ngày nhận đơn không thể sau ngày hôm nay (10/03/2026)."


def test_today_is_the_local_date_in_ho_chi_minh_city_not_the_utc_date():
    # 00:30 on 11/03 in Hà Nội is still 10/03 in UTC: a letter received this morning is accepted.
    with time_machine.travel(datetime(2026, 3, 11, 0, 30, tzinfo=HCM), tick=False):
        assert datetime.now(ZoneInfo("UTC")).date() == date(2026, 3, 10)
        check_not_future(date(2026, 3, 11), field="received_on", label="x")
        with pytest.raises(DomainError):
            check_not_future(date(2026, 3, 12), field="received_on", label="x")
    # 23:30 on 10/03: tomorrow (11/03) is still refused, half an hour before midnight.
    with time_machine.travel(datetime(2026, 3, 10, 23, 30, tzinfo=HCM), tick=False):
        check_not_future(date(2026, 3, 10), field="received_on", label="x")
        with pytest.raises(DomainError):
            check_not_future(date(2026, 3, 11), field="received_on", label="x")


# --- Due dates are working days ---------------------------------------------------------------------


def test_a_calendar_day_period_ending_on_a_saturday_ends_on_monday(db):
    # 25/02/2026 + 10 days = Saturday 07/03/2026 → Monday 09/03/2026.
    assert not is_working_day(date(2026, 3, 7))
    assert add_rule_period(_period(10), date(2026, 2, 25)) == date(2026, 3, 9)


def test_a_calendar_day_period_ending_during_tet_ends_on_the_first_working_day_after_it(db):
    # 07/02/2026 + 10 days = 17/02/2026 (Mùng 1 Tết Bính Ngọ); holidays 16–20/02, weekend 21–22/02.
    assert add_rule_period(_period(10), date(2026, 2, 7)) == date(2026, 2, 23)


def test_a_calendar_day_period_ending_on_national_day_ends_after_the_holiday(db):
    # 03/08/2026 + 30 days = Wednesday 02/09/2026 (Quốc khánh; 01 and 02/09 are days off) → 03/09.
    assert add_rule_period(_period(30), date(2026, 8, 3)) == date(2026, 9, 3)


def test_a_period_in_months_also_moves_and_a_working_day_end_stays(db):
    # 07/02/2026 + 1 month = Saturday 07/03/2026 → 09/03/2026; a Tuesday stays a Tuesday.
    assert add_rule_period(_period(1, Rule.Unit.MONTHS), date(2026, 2, 7)) == date(2026, 3, 9)
    assert add_rule_period(_period(10), date(2026, 3, 1)) == date(2026, 3, 11)


def test_an_administrators_extra_day_off_and_make_up_working_day_count(db):
    calendar_exception_save(exception=CalendarException(date=date(2026, 3, 9), kind="day_off", name="Nghỉ bù"))
    calendar_exception_save(exception=CalendarException(date=date(2026, 3, 7), kind="working_day", name="Làm bù"))
    from hdnd_portal.core.workdays import invalidate_exceptions

    invalidate_exceptions()
    assert add_rule_period(_period(10), date(2026, 2, 25)) == date(2026, 3, 7)  # a Saturday worked
    assert add_rule_period(_period(12), date(2026, 2, 25)) == date(2026, 3, 10)  # the Monday off skipped


def test_the_shipped_calendar_day_rules_give_working_day_due_dates(db):
    # complaint.accept_days (10 days, Luật Khiếu nại): received Wednesday 25/02/2026 → 09/03/2026.
    due, rule = due_date("complaint.accept_days", None, date(2026, 2, 25))
    assert rule.unit == Rule.Unit.CALENDAR_DAYS and due == date(2026, 3, 9)
    assert "148" in DAY_OFF_RULE_CITATION and "Bộ luật Dân sự 2015" in DAY_OFF_RULE_CITATION


def test_a_date_counted_back_from_an_event_moves_earlier_to_keep_the_legal_notice(db):
    # 10 days before Tuesday 17/03/2026 is Saturday 07/03: the last day to act is Friday 06/03.
    due, _rule = date_before("verification.days_before_session", None, date(2026, 3, 17))
    assert due == date(2026, 3, 6)
    # 10 days before 12/09/2026 is 02/09 (Quốc khánh) → Monday 31/08.
    due, _rule = date_before("verification.days_before_session", None, date(2026, 9, 12))
    assert due == date(2026, 8, 31)


def test_next_and_previous_working_day(db):
    assert next_working_day(date(2026, 2, 16)) == date(2026, 2, 23)
    assert previous_working_day(date(2026, 2, 22)) == date(2026, 2, 13)
    assert next_working_day(date(2026, 2, 13)) == previous_working_day(date(2026, 2, 13)) == date(2026, 2, 13)
