from datetime import date

from hdnd_portal.core.models import CalendarException
from hdnd_portal.core.services import calendar_exception_save
from hdnd_portal.core.workdays import add_working_days, is_working_day, working_days_between


def test_tet_2026_and_weekends_are_skipped(db):
    # Tết Bính Ngọ: 16–20/02/2026 are public holidays; 14–15 and 21–22 are weekends.
    assert not is_working_day(date(2026, 2, 17))
    assert not is_working_day(date(2026, 2, 21))
    assert is_working_day(date(2026, 2, 13))
    # 10 working days from Friday 13/02/2026: 23, 24, 25, 26, 27/02, 02, 03, 04, 05, 06/03.
    assert add_working_days(date(2026, 2, 13), 10) == date(2026, 3, 6)


def test_national_day_and_reunification_day(db):
    assert not is_working_day(date(2026, 4, 30))
    assert not is_working_day(date(2026, 5, 1))
    assert not is_working_day(date(2026, 9, 2))


def test_extra_day_off_and_make_up_working_day(db):
    calendar_exception_save(exception=CalendarException(date=date(2026, 3, 2), kind="day_off", name="Nghỉ bù"))
    calendar_exception_save(exception=CalendarException(date=date(2026, 2, 28), kind="working_day", name="Làm bù"))
    from hdnd_portal.core.workdays import invalidate_exceptions

    invalidate_exceptions()
    assert not is_working_day(date(2026, 3, 2))
    assert is_working_day(date(2026, 2, 28))  # a Saturday worked to make up
    assert working_days_between(date(2026, 2, 27), date(2026, 3, 3)) == 2  # 28/02 and 03/03
