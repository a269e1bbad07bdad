"""Working days in Vietnam: weekends and public holidays (Tết included) from the `holidays`
library, corrected by CalendarException rows (extra days off, make-up working days)."""

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.cache import cache

from .models import CalendarException

_CACHE_KEY = "core:calendar-exceptions:v"


@lru_cache(maxsize=64)
def _library_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _exceptions_version() -> int:
    try:
        return cache.get_or_set(_CACHE_KEY, 1)
    except Exception:  # cache unreachable: fall back to reading the table every time
        return 0


@lru_cache(maxsize=8)
def _exceptions(version: int) -> dict[date, str]:
    return dict(CalendarException.objects.values_list("date", "kind"))


def invalidate_exceptions() -> None:
    """Call after changing CalendarException rows (core.services does)."""
    _exceptions.cache_clear()
    try:
        cache.incr(_CACHE_KEY)
    except Exception:
        cache.set(_CACHE_KEY, 2)


def _current_exceptions() -> dict[date, str]:
    version = _exceptions_version()
    return _exceptions(version) if version else dict(CalendarException.objects.values_list("date", "kind"))


def _working(day: date, exceptions: dict[date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarException.Kind.WORKING_DAY:
        return True
    if kind == CalendarException.Kind.DAY_OFF:
        return False
    return day.weekday() < 5 and day not in _library_holidays(day.year)


def is_working_day(day: date) -> bool:
    return _working(day, _current_exceptions())


def working_day_checker() -> Callable[[date], bool]:
    """is_working_day with the calendar exceptions read once: for a loop over many days (the
    reminder scan), one cache round trip instead of one per day."""
    exceptions = _current_exceptions()
    return lambda day: _working(day, exceptions)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    remaining = days
    step = 1 if days >= 0 else -1
    while remaining != 0:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= step
    return current


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def holiday_name(day: date) -> str | None:
    return holidays.country_holidays("VN", years=day.year, language="vi").get(day)
