"""Ordinary mistakes with dates in voter meetings and petitions, refused by the services (pages,
API and the Excel import alike): a meeting may be planned ahead, but what records its holding —
minutes, the number of voters, petitions raised at it — cannot come before it; a petition is not
received, forwarded, answered or evaluated after today (the local date in Hà Nội)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import DocumentCounter
from voters import services
from voters.models import ForwardingLetter, Petition, VoterMeeting

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# "Now": 00:30 on Wednesday 11/03/2026 in Hà Nội — still 10/03 in UTC (17:30).
NOW = datetime(2026, 3, 11, 0, 30, tzinfo=HCM)
TODAY, TOMORROW = date(2026, 3, 11), date(2026, 3, 12)


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        yield


def future_message(label: str) -> str:
    return f"{label} không thể sau ngày hôm nay ({TODAY:%d/%m/%Y})."


def error_beside(html: str, field: str, message: str) -> bool:
    start = html.find(f'id="id_{field}"')
    if start < 0:
        return False
    end = html.find("<label", start)
    return message in html[start : end if end > 0 else None]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")


# --- Meetings -------------------------------------------------------------------------------------


def test_a_meeting_can_be_planned_ahead_without_minutes_or_voters(council, make_meeting):
    planned = make_meeting(council, day=date(2026, 4, 20), voter_count=0)
    assert planned.pk and planned.date == date(2026, 4, 20)


def test_a_meeting_still_to_come_has_no_minutes_nor_number_of_voters(council, make_meeting):
    with pytest.raises(DomainError) as caught:
        make_meeting(council, day=TOMORROW, voter_count=120)
    assert caught.value.field == "voter_count"
    with pytest.raises(DomainError) as caught:
        make_meeting(council, day=TOMORROW, voter_count=0, minutes=_pdf())
    assert caught.value.field == "minutes"
    assert not VoterMeeting.objects.exists()
    # Held today (a little after midnight in Hà Nội, still yesterday in UTC): accepted.
    assert make_meeting(council, day=TODAY, voter_count=120, minutes=_pdf()).minutes


def test_a_meeting_with_petitions_cannot_move_into_the_future(council, make_meeting, make_petition):
    meeting = make_meeting(council, day=date(2026, 3, 2))
    make_petition(council, meetings=[meeting], received_on=date(2026, 3, 2))
    meeting.date, meeting.voter_count = date(2026, 4, 2), 0
    with pytest.raises(DomainError) as caught:
        services.meeting_save(meeting=meeting)
    assert caught.value.field == "date"
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 3, 2)


def test_the_approval_steps_of_an_outside_meeting_cannot_be_dated_after_today(council, make_meeting):
    with pytest.raises(DomainError) as caught:
        make_meeting(
            council, day=date(2026, 4, 20), voter_count=0, outside_constituency=True, outside_requested_on=TOMORROW
        )
    assert caught.value.field == "outside_requested_on"
    with pytest.raises(DomainError) as caught:
        make_meeting(
            council,
            day=date(2026, 4, 20),
            voter_count=0,
            outside_constituency=True,
            outside_requested_on=date(2026, 3, 2),
            outside_approved_on=TOMORROW,
        )
    assert caught.value.field == "outside_approved_on"
    planned = make_meeting(
        council, day=date(2026, 4, 20), voter_count=0, outside_constituency=True, outside_requested_on=TODAY
    )
    assert planned.outside_decision_due is not None


def test_the_meeting_page_shows_the_message_beside_the_number_of_voters(staff_client):
    response = staff_client.post(
        reverse("voters:meeting_create"), {"kind": "before_session", "date": "12/03/2026", "voter_count": "140"}
    )
    assert response.status_code == 200
    assert error_beside(
        response.content.decode(),
        "voter_count",
        "Cuộc tiếp xúc cử tri ngày 12/03/2026 chưa diễn ra; hãy nhập số cử tri tham dự sau khi tổ chức.",
    )
    assert not VoterMeeting.objects.exists()
    planned = staff_client.post(
        reverse("voters:meeting_create"), {"kind": "before_session", "date": "12/03/2026", "voter_count": "0"}
    )
    assert planned.status_code == 302


def test_the_meeting_api_answers_400_with_the_field(api_client, council):
    response = api_client.post(
        "/api/voters/meetings/", {"council": council.pk, "date": "2026-03-12", "voter_count": 90}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "voter_count"
    assert not VoterMeeting.objects.exists()


# --- Petitions ------------------------------------------------------------------------------------


def test_a_petition_received_today_is_kept_and_tomorrow_refused(council, make_petition):
    assert make_petition(council, received_on=TODAY).received_on == TODAY
    with pytest.raises(DomainError) as caught:
        make_petition(council, received_on=TOMORROW)
    assert caught.value.field == "received_on"
    assert caught.value.message == future_message("Ngày tiếp nhận kiến nghị")
    assert Petition.objects.count() == 1


def test_a_petition_cannot_be_raised_at_a_meeting_still_to_come(council, make_meeting, make_petition):
    planned = make_meeting(council, day=date(2026, 4, 20), voter_count=0)
    with pytest.raises(DomainError) as caught:
        services.petition_create(council=council, content="Đề nghị sửa đường", meetings=[planned])
    assert caught.value.field == "meetings"
    petition = make_petition(council, received_on=TODAY)
    with pytest.raises(DomainError) as caught:
        services.petition_update(petition=petition, meetings=[planned])
    assert caught.value.field == "meetings"
    assert not Petition.objects.exclude(pk=petition.pk).exists()
    assert not petition.sources.filter(meeting=planned).exists()


def test_editing_a_petitions_receipt_date_into_the_future_is_refused(council, make_petition):
    petition = make_petition(council, received_on=date(2026, 3, 2))
    petition.received_on = TOMORROW
    with pytest.raises(DomainError) as caught:
        services.petition_update(petition=petition)
    assert caught.value.field == "received_on"
    petition.refresh_from_db()
    assert petition.received_on == date(2026, 3, 2)


def test_the_petition_page_and_api_refuse_a_future_receipt_date(staff_client, api_client, council):
    response = staff_client.post(
        reverse("voters:petition_create"),
        {"content": "Đề nghị sửa đường", "kind": "petition", "level": "province", "received_on": "12/03/2026"},
    )
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "received_on", future_message("Ngày tiếp nhận kiến nghị"))
    response = api_client.post(
        "/api/voters/petitions/",
        {"council": council.pk, "content": "Đề nghị sửa đường", "received_on": "2026-03-12"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "received_on"
    assert not Petition.objects.exists()


def test_forwarding_cannot_be_dated_after_today_and_takes_no_number(api_client, council, agency, make_petition):
    petition = make_petition(council, received_on=date(2026, 3, 2))
    with pytest.raises(DomainError) as caught:
        services.petition_forward(council=council, petitions=[petition], agency=agency, on=TOMORROW)
    assert caught.value.field == "on"
    response = api_client.post(
        "/api/voters/petitions/forward/",
        {"council": council.pk, "petitions": [petition.pk], "agency": agency.pk, "on": "2026-03-12"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "on"
    assert not ForwardingLetter.objects.exists() and not DocumentCounter.objects.filter(council=council).exists()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.NEW


@pytest.fixture
def forwarded(council, agency, make_petition):
    petition = make_petition(council, received_on=date(2026, 3, 2))
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 4))
    return Petition.objects.get(pk=petition.pk)


def test_an_answer_cannot_be_dated_after_today_nor_before_the_forwarding(forwarded):
    with pytest.raises(DomainError) as caught:
        services.petition_answer(petition=forwarded, status="resolved", text="Đã sửa", response_date=TOMORROW)
    assert caught.value.field == "response_date"
    assert caught.value.message == future_message("Ngày trả lời")
    with pytest.raises(DomainError) as caught:
        services.petition_answer(petition=forwarded, status="resolved", text="Đã sửa", response_date=date(2026, 3, 3))
    assert caught.value.field == "response_date"
    forwarded.refresh_from_db()
    assert forwarded.status == Petition.Status.FORWARDED


def test_the_answer_page_and_api_refuse_a_future_answer(staff_client, api_client, forwarded):
    response = staff_client.post(
        reverse("voters:petition_answer", args=[forwarded.pk]),
        {"status": "resolved", "response_text": "Đã sửa", "response_date": "12/03/2026", "_version": forwarded.version},
    )
    assert response.status_code == 400  # the petition action pages answer a refused form with 400
    assert error_beside(response.content.decode(), "response_date", future_message("Ngày trả lời"))
    response = api_client.post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": "Đã sửa", "response_date": "2026-03-12", "version": forwarded.version},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "response_date"
    forwarded.refresh_from_db()
    assert forwarded.status == Petition.Status.FORWARDED and forwarded.response_date is None


def test_an_evaluation_cannot_be_dated_after_today(forwarded):
    services.petition_answer(petition=forwarded, status="resolved", text="Đã sửa", response_date=TODAY)
    forwarded.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.petition_evaluate(petition=forwarded, evaluation="satisfactory", on=TOMORROW)
    assert caught.value.field == "on"
