"""Ordinary mistakes with dates in letters and reception, refused by the services — so the pages,
the API and the demo get the same answer: nothing dated after today (the local date in Hà Nội),
a letter written before it was received, an answer not before what it answers. A refused letter
takes no register number; the register number comes from the year of the receipt date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from citizens import services
from citizens.models import Case, Letter, ReceptionDay, Visit
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Deadline, DocumentCounter

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# "Now" in these tests: 23:30 on Tuesday 10/03/2026 in Hà Nội (16:30 UTC) — tomorrow is half an hour away.
NOW = datetime(2026, 3, 10, 23, 30, tzinfo=HCM)
TODAY, TOMORROW = date(2026, 3, 10), date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_beside(html: str, field: str, message: str) -> bool:
    """The message is printed in the block of `field` (after its input, before the next label)."""
    start = html.find(f'id="id_{field}"')
    if start < 0:
        return False
    end = html.find("<label", start)
    return message in html[start : end if end > 0 else None]


def register_counter(council) -> int:
    counter = DocumentCounter.objects.filter(council=council, issuer="SODON").order_by("-year").first()
    return 0 if counter is None else counter.last_number


def future_message(label: str, today: date = TODAY) -> str:
    return f"{label} không thể sau ngày hôm nay ({today:%d/%m/%Y})."


# --- Letters: service -------------------------------------------------------------------------


def test_a_letter_received_today_is_registered_in_this_years_register(make_letter):
    letter = make_letter(received_on=TODAY, letter_date=TODAY)
    assert letter.register_year == 2026 and letter.register_number == "01/2026"


def test_a_letter_received_tomorrow_is_refused_and_takes_no_number(council, make_letter):
    with pytest.raises(DomainError) as caught:
        make_letter(received_on=TOMORROW, letter_date=TODAY)
    assert caught.value.field == "received_on"
    assert caught.value.message == future_message("Ngày nhận đơn")
    assert not Letter.objects.exists() and register_counter(council) == 0


def test_a_letter_received_six_weeks_ahead_does_not_take_next_years_first_number(council, make_letter):
    # The tester's case: at the end of the year, a receipt date typed six weeks ahead.
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=HCM), tick=False):
        with pytest.raises(DomainError):
            make_letter(received_on=date(2027, 1, 12), letter_date=date(2026, 11, 30))
        assert not DocumentCounter.objects.filter(council=council, year=2027).exists()
        assert make_letter(received_on=date(2026, 12, 1), letter_date=date(2026, 11, 30)).register_number == "01/2026"


def test_the_letters_own_date_cannot_be_in_the_future_nor_after_its_receipt(make_letter):
    with pytest.raises(DomainError) as caught:
        make_letter(received_on=TODAY, letter_date=TOMORROW)
    assert caught.value.field == "letter_date"
    assert caught.value.message == future_message("Ngày ghi trên đơn")
    with pytest.raises(DomainError) as caught:
        make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 5))
    assert caught.value.field == "letter_date"
    assert caught.value.message == "Ngày ghi trên đơn không thể sau ngày nhận đơn (02/03/2026)."
    assert not Letter.objects.exists()


def test_the_date_a_complainant_learnt_of_the_decision_cannot_be_in_the_future(make_letter):
    with pytest.raises(DomainError) as caught:
        make_letter(received_on=TODAY, decision_known_on=TOMORROW)
    assert caught.value.field == "decision_known_on"


def test_editing_a_letter_into_the_future_is_refused(make_letter):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    letter.received_on = TOMORROW
    with pytest.raises(DomainError) as caught:
        services.letter_update(letter=letter)
    assert caught.value.field == "received_on"
    letter.refresh_from_db()
    assert letter.received_on == date(2026, 3, 2)


def test_correcting_the_receipt_year_renumbers_an_unhandled_letter_in_that_years_register(council, make_letter):
    # Registered before this guard with a receipt date typed in the wrong year.
    with time_machine.travel(datetime(2025, 12, 30, 9, 0, tzinfo=HCM), tick=False):
        make_letter(received_on=date(2025, 12, 29), letter_date=date(2025, 12, 28), subject="Đơn cũ", content="a b c")
        wrong = make_letter(received_on=date(2025, 12, 30), letter_date=None, subject="Đơn nhầm năm", content="x y z")
    assert wrong.register_number == "02/2025"
    wrong.received_on = date(2026, 1, 5)
    wrong = services.letter_update(letter=wrong)
    wrong.refresh_from_db()
    assert (wrong.register_year, wrong.register_number) == (2026, "01/2026")


def test_a_handled_letter_cannot_move_to_another_years_register(make_letter, agency):
    letter = make_letter(received_on=date(2026, 1, 5), letter_date=date(2025, 12, 29))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2026, 1, 6), forwarded_to=agency)
    letter.refresh_from_db()
    letter.received_on = date(2025, 12, 30)
    with pytest.raises(DomainError) as caught:
        services.letter_update(letter=letter)
    assert caught.value.field == "received_on"


def test_handling_steps_cannot_be_dated_after_today(make_letter, agency):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    with pytest.raises(DomainError) as caught:
        services.letter_decide(letter=letter, decision="forward", decided_on=TOMORROW, forwarded_to=agency)
    assert caught.value.field == "decided_on"
    assert not DocumentCounter.objects.filter(issuer="HĐND", series="PC").exists()  # no forwarding number taken
    services.letter_decide(letter=letter, decision="forward", decided_on=TODAY, forwarded_to=agency)
    with pytest.raises(DomainError) as caught:
        services.letter_accept(letter=letter, accepted_on=TOMORROW)
    assert caught.value.field == "accepted_on"
    with pytest.raises(DomainError) as caught:
        services.letter_record_result(letter=letter, result_kind="answered", result_date=TOMORROW)
    assert caught.value.field == "result_date"
    services.letter_record_result(letter=letter, result_kind="answered", result_date=TODAY)
    with pytest.raises(DomainError) as caught:
        services.letter_record_report(letter=letter, reported_on=TOMORROW)
    assert caught.value.field == "reported_on"
    with pytest.raises(DomainError) as caught:
        services.letter_notify_citizen(letter=letter, notified_on=TOMORROW)
    assert caught.value.field == "notified_on"


def test_the_agencys_report_cannot_be_before_its_result(make_letter, agency):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2026, 3, 3), forwarded_to=agency)
    services.letter_record_result(letter=letter, result_kind="answered", result_date=date(2026, 3, 9))
    with pytest.raises(DomainError) as caught:
        services.letter_record_report(letter=letter, reported_on=date(2026, 3, 5))
    assert caught.value.field == "reported_on"


# --- Letters: page and API ----------------------------------------------------------------------


def _letter_post(**overrides) -> dict:
    data = {
        "received_on": TOMORROW.strftime("%d/%m/%Y"),
        "letter_date": "01/03/2026",
        "channel": "post",
        "kind": "complaint",
        "subject": "Khiếu nại quyết định thu hồi đất",
        "is_signed": "on",
        "has_address": "on",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-full_name": "Trần Văn Gửi",
        "people-0-address": "Hà Nội",
    }
    data.update(overrides)
    return data


def test_the_letter_page_shows_the_message_beside_the_receipt_date_and_saves_nothing(staff_client, council):
    response = staff_client.post(reverse("citizens:letter_create"), _letter_post())
    assert response.status_code == 200
    message = future_message("Ngày nhận đơn")
    assert response.context["form"].errors["received_on"] == [message]
    assert error_beside(response.content.decode(), "received_on", message)
    assert not Letter.objects.exists() and register_counter(council) == 0
    # Today is accepted, and the register starts at 01.
    response = staff_client.post(reverse("citizens:letter_create"), _letter_post(received_on="10/03/2026"))
    assert response.status_code == 302
    assert Letter.objects.get().register_number == "01/2026"


def test_the_letter_page_shows_a_letter_dated_after_its_receipt_beside_the_letters_date(staff_client):
    response = staff_client.post(
        reverse("citizens:letter_create"), _letter_post(received_on="02/03/2026", letter_date="05/03/2026")
    )
    message = "Ngày ghi trên đơn không thể sau ngày nhận đơn (02/03/2026)."
    assert error_beside(response.content.decode(), "letter_date", message)
    assert not Letter.objects.exists()


def test_the_letter_edit_page_refuses_a_future_receipt_date(staff_client, make_letter):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    data = _letter_post(received_on="11/03/2026", _version=letter.version)
    data.update({"people-0-full_name": "Nguyễn Văn Khiếu", "people-0-address": "Phường Đông Anh"})
    response = staff_client.post(reverse("citizens:letter_edit", args=[letter.pk]), data)
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "received_on", future_message("Ngày nhận đơn"))
    version = letter.version
    letter.refresh_from_db()
    assert letter.received_on == date(2026, 3, 2) and letter.version == version


def test_the_api_answers_400_with_the_field_and_takes_no_number(staff_user, council):
    payload = {
        "council": council.pk,
        "received_on": TOMORROW.isoformat(),
        "channel": "post",
        "kind": "recommendation",
        "subject": "Kiến nghị sửa đường",
        "senders": [{"full_name": "Trần Văn Gửi"}],
        "letter_date": "2026-03-01",
    }
    response = api_for(staff_user).post("/api/citizens/letters/", payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "received_on"
    assert "10/03/2026" in response.json()["message"]
    assert not Letter.objects.exists() and register_counter(council) == 0
    response = api_for(staff_user).post(
        "/api/citizens/letters/", {**payload, "received_on": "2026-03-10"}, format="json"
    )
    assert response.status_code == 201 and response.json()["register_number"] == "01/2026"


def test_the_api_refuses_a_future_decision_date(staff_user, make_letter, agency):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/decide/",
        {"decision": "forward", "decided_on": "2026-03-11", "forwarded_to": agency.pk, "version": letter.version},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "decided_on"
    version = letter.version
    letter.refresh_from_db()
    assert not letter.decision and letter.version == version


def test_the_decision_page_shows_the_message_beside_the_date(staff_client, make_letter, agency):
    letter = make_letter(received_on=date(2026, 3, 2), letter_date=date(2026, 3, 1))
    response = staff_client.post(
        reverse("citizens:letter_decide", args=[letter.pk]),
        {"decision": "forward", "decided_on": "11/03/2026", "forwarded_to": agency.pk, "_version": letter.version},
    )
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "decided_on", future_message("Ngày quyết định xử lý"))
    letter.refresh_from_db()
    assert not letter.decision


# --- Reception days, visits, cases ----------------------------------------------------------------


@pytest.fixture
def future_day(council):
    return ReceptionDay.objects.create(council=council, date=TOMORROW, location="Trụ sở tiếp công dân")


@pytest.fixture
def today_day(council):
    return ReceptionDay.objects.create(council=council, date=TODAY, location="Trụ sở tiếp công dân")


def _visit(day) -> Visit:
    return services.visit_create(
        day=day, kind="complaint", content="Khiếu nại", citizens=[{"full_name": "Trần Văn Đến"}], outcome="guided"
    )


def test_a_reception_day_can_be_planned_ahead_but_not_marked_held_before_it_comes(future_day, today_day):
    with pytest.raises(DomainError) as caught:
        services.day_mark_held(day=future_day)
    assert caught.value.field == "date"
    assert caught.value.message == future_message("Ngày của buổi tiếp công dân đã diễn ra")
    future_day.refresh_from_db()
    assert future_day.status == ReceptionDay.Status.PLANNED
    assert services.day_mark_held(day=today_day).status == ReceptionDay.Status.HELD


def test_a_held_reception_day_cannot_be_moved_into_the_future(today_day):
    _visit(today_day)
    today_day.refresh_from_db()
    today_day.date = TOMORROW
    with pytest.raises(DomainError) as caught:
        services.day_update(day=today_day)
    assert caught.value.field == "date"


def test_the_day_page_shows_the_message_beside_the_date_of_a_held_day(staff_client, today_day):
    _visit(today_day)
    today_day.refresh_from_db()
    response = staff_client.post(
        reverse("citizens:day_edit", args=[today_day.pk]),
        {"date": "11/03/2026", "start_time": "08:00", "location": "Trụ sở", "_version": today_day.version},
    )
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "date", future_message("Ngày của buổi tiếp công dân đã diễn ra"))
    today_day.refresh_from_db()
    assert today_day.date == TODAY


def test_a_visit_cannot_be_recorded_on_a_reception_day_still_to_come(council, future_day, today_day):
    with pytest.raises(DomainError) as caught:
        _visit(future_day)
    assert caught.value.field == "day"
    assert not Visit.objects.exists()
    assert not DocumentCounter.objects.filter(council=council, issuer="SOTCD").exists()
    assert _visit(today_day).date == TODAY


def test_the_visit_page_and_api_refuse_a_future_reception_day(staff_client, staff_user, future_day):
    response = staff_client.post(
        reverse("citizens:visit_create", args=[future_day.pk]),
        {
            "kind": "complaint",
            "content": "Khiếu nại",
            "outcome": "guided",
            "citizen_count": "1",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-full_name": "Trần Văn Đến",
        },
    )
    assert response.status_code == 200
    assert future_message("Ngày của buổi tiếp công dân") in response.content.decode()
    response = api_for(staff_user).post(
        "/api/citizens/visits/",
        {
            "day": future_day.pk,
            "kind": "complaint",
            "content": "Khiếu nại",
            "outcome": "guided",
            "citizens": [{"full_name": "Trần Văn Đến"}],
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "day"
    assert not Visit.objects.exists()


def test_the_answer_to_a_visitor_cannot_be_dated_after_today(staff_user, today_day):
    visit = _visit(today_day)
    with pytest.raises(DomainError) as caught:
        services.visit_answer(visit=visit, answer="accepted", answered_on=TOMORROW)
    assert caught.value.field == "answered_on"
    response = api_for(staff_user).post(
        f"/api/citizens/visits/{visit.pk}/answer/",
        {"answer": "accepted", "answered_on": "2026-03-11", "version": visit.version},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "answered_on"
    visit.refresh_from_db()
    assert visit.answered_on is None
    assert Deadline.objects.get(object_id=visit.pk, kind="citizens.visit_answer").state == Deadline.State.OPEN


def test_a_case_cannot_be_opened_after_today(staff_client, council):
    with pytest.raises(DomainError) as caught:
        services.case_create(council=council, title="Vụ việc", opened_on=TOMORROW)
    assert caught.value.field == "opened_on"
    response = staff_client.post(
        reverse("citizens:case_create"), {"title": "Vụ việc", "opened_on": "11/03/2026", "status": "open"}
    )
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "opened_on", future_message("Ngày mở vụ việc"))
    assert not Case.objects.exists()
    case = services.case_create(council=council, title="Vụ việc", opened_on=TODAY)
    case.opened_on = TOMORROW
    with pytest.raises(DomainError):
        services.case_update(case=case)


# --- Deadlines of letters land on working days ----------------------------------------------------


def test_a_complaints_acceptance_deadline_ending_on_a_saturday_moves_to_monday(make_letter, agency):
    # Forwarded Wednesday 25/02/2026 + 10 days (Luật Khiếu nại, Điều 27) = Saturday 07/03 → Monday 09/03.
    letter = make_letter(received_on=date(2026, 2, 25), letter_date=date(2026, 2, 24))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2026, 2, 25), forwarded_to=agency)
    deadline = Deadline.objects.get(object_id=letter.pk, kind="citizens.complaint_accept")
    assert deadline.due_date == date(2026, 3, 9)


def test_a_denunciations_resolution_deadline_ending_during_tet_moves_after_it(make_letter, agency):
    letter = make_letter(
        kind="denunciation", received_on=date(2026, 1, 5), letter_date=date(2026, 1, 2), respondent_agency=agency
    )
    # Accepted 18/01/2026 + 30 days (Luật Tố cáo, Điều 30) = 17/02 (Mùng 1 Tết) → Monday 23/02.
    services.letter_accept(letter=letter, accepted_on=date(2026, 1, 18))
    deadline = Deadline.objects.get(object_id=letter.pk, kind="citizens.denunciation_resolve")
    assert deadline.due_date == date(2026, 2, 23)
