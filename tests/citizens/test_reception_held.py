"""Reception days are counted once held, not for being planned; who received them; the API action
that marks a day held (version checked, scoped to the user's councils)."""

from datetime import date

import pytest

from citizens.models import ReceptionDay, ReceptionSchedule
from citizens.reports import section

pytestmark = pytest.mark.django_db


def _day(council, on, schedule=None, status=ReceptionDay.Status.PLANNED):
    return ReceptionDay.objects.create(council=council, date=on, location="Trụ sở", schedule=schedule, status=status)


@pytest.fixture
def schedules(council):
    def make(kind):
        return ReceptionSchedule.objects.create(council=council, title=f"Lịch {kind}", receiver_kind=kind,
                                                location="Trụ sở", valid_from=date(2025, 1, 1), weekday=1,
                                                sessions_per_month=4)
    return make(ReceptionSchedule.Receiver.STANDING), make(ReceptionSchedule.Receiver.DEPUTIES)


def test_only_held_days_count_and_each_by_who_received(council, schedules, api_client, django_assert_max_num_queries):
    standing, deputies = schedules
    held = [_day(council, date(2025, 3, d), standing) for d in (3, 10, 17)]
    _day(council, date(2025, 3, 24), standing)  # planned, never held
    _day(council, date(2025, 3, 5), deputies, status=ReceptionDay.Status.HELD)
    _day(council, date(2025, 3, 12), deputies, status=ReceptionDay.Status.CANCELLED)
    _day(council, date(2025, 3, 14), status=ReceptionDay.Status.HELD)  # added outside any schedule
    for day in held:
        response = api_client.post(f"/api/citizens/days/{day.pk}/held/", {"version": day.version}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "held"
    with django_assert_max_num_queries(12):
        figures = section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    assert (figures["reception_days"], figures["reception_days_not_held"], figures["reception_days_cancelled"]) == (
        5, 1, 1)
    by_receiver = {r["key"]: (r["label"], r["count"]) for r in figures["reception_days_by_receiver"]}
    assert by_receiver == {
        "standing": ("Thường trực HĐND", 3),
        "deputies": ("Đại biểu", 1),
        "": ("Ngoài lịch tiếp định kỳ", 1),
    }


def test_marking_a_day_held_needs_the_version_and_the_councils_right(council, other_council, api_client,
                                                                         other_staff_client):
    day = _day(council, date(2025, 3, 3))
    assert api_client.post(f"/api/citizens/days/{day.pk}/held/", {}, format="json").status_code == 400
    assert api_client.post(f"/api/citizens/days/{day.pk}/held/", {"version": day.version + 5},
                           format="json").status_code == 409
    cancelled = _day(council, date(2025, 3, 4), status=ReceptionDay.Status.CANCELLED)
    response = api_client.post(f"/api/citizens/days/{cancelled.pk}/held/", {"version": cancelled.version},
                               format="json")
    assert response.status_code == 400 and "hủy" in str(response.json())
    future = _day(council, date(2099, 1, 5))
    assert api_client.post(f"/api/citizens/days/{future.pk}/held/", {"version": future.version},
                           format="json").status_code == 400
    foreign = _day(other_council, date(2025, 3, 3))
    assert api_client.post(f"/api/citizens/days/{foreign.pk}/held/", {"version": foreign.version},
                           format="json").status_code == 404
    day.refresh_from_db()
    foreign.refresh_from_db()
    assert (day.status, foreign.status, future.status) == ("planned", "planned", "planned")
