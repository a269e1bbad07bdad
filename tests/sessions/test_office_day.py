"""Issue #14 in the sessions app: deputies' pages follow their mandate, one read-receipt count,
no vote or adoption outside the session's days, agencies by full name, the issuer's own number
of a submission, a resolution's own title, and the minutes' national heading."""

import subprocess
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, CouncilRole, Term
from sessions.forms import AgendaItemForm
from sessions.models import (
    AgendaItem,
    Choice,
    CouncilSession,
    DocumentRead,
    PollParticipation,
    Resolution,
    SessionDocument,
)
from sessions.services import (
    deputy_sitting,
    document_create,
    document_mark_read,
    document_send,
    poll_cast,
    poll_open,
    resolution_adopt,
    session_close,
    session_open,
    sitting_deputies,
    vote_record,
)

from .conftest import pdf_file

API = "/api/sessions"
TODAY = timezone.localdate


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def live(council, term):
    """A session in progress since yesterday."""
    today = TODAY()
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=20,
        planned_start=today - timedelta(days=1),
        planned_end=today + timedelta(days=1),
    )
    return session_open(session=session, on=today - timedelta(days=1))


@pytest.fixture
def past(council, term):
    """A session held in July 2023, closed, with one document sent to the deputies."""
    session = CouncilSession.objects.create(
        council=council, term=term, number=8, planned_start=date(2023, 7, 10), planned_end=date(2023, 7, 12)
    )
    _sent_document(session, "Tờ trình năm 2023")
    session_open(session=session, on=date(2023, 7, 10))
    return session_close(session=session, on=date(2023, 7, 12))


@pytest.fixture
def item(live):
    return AgendaItem.objects.create(
        council=live.council,
        session=live,
        position=1,
        title="Tờ trình về dự toán ngân sách năm sau",
        proposes_resolution=True,
    )


def _sent_document(session, title="Báo cáo kinh tế - xã hội", **kwargs):
    kwargs.setdefault("doc_date", session.start - timedelta(days=5))
    document = document_create(
        session=session,
        kind=SessionDocument.Kind.REPORT,
        title=title,
        file=pdf_file(),
        visibility=SessionDocument.Visibility.DEPUTIES,
        **kwargs,
    )
    return document_send(document=document)


@pytest.fixture
def former(make_user, make_deputy, council, term):
    """A deputy whose mandate ended in 2024 and still holds the deputy role (their history)."""
    deputy = make_deputy(council, "Lê Văn Cựu", term=term, end_date=date(2024, 3, 15), end_reason="Nghỉ công tác")
    user = make_user("daibieucu", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    return user, deputy


# --- 1. The deputies' pages follow their mandate -------------------------------------------------


def test_a_former_deputy_sees_their_history_and_no_vote_button(
    client_for, former, deputy_users, live, past, item, staff_user
):
    user, deputy = former
    deputy_users(3)
    _sent_document(live, "Tài liệu kỳ họp hiện tại")
    poll = poll_open(agenda_item=item, user=staff_user)
    page = client_for(user).get(reverse("sessions:my_sessions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="former-deputy"' in html and "15/03/2024" in html
    assert 'id="vote-now"' not in html and reverse("sessions:poll_detail", args=[poll.pk]) not in html
    # History: the 2023 session and its document; nothing of the current session.
    assert reverse("sessions:session_detail", args=[past.pk]) in html
    assert reverse("sessions:session_detail", args=[live.pk]) not in html
    assert "Tờ trình năm 2023" in html and "Tài liệu kỳ họp hiện tại" not in html
    # The poll page shows why there is no ballot, and no ballot.
    poll_page = client_for(user).get(reverse("sessions:poll_detail", args=[poll.pk])).content.decode()
    assert 'id="not-sitting"' in poll_page and 'name="choice"' not in poll_page


def test_a_sitting_deputy_still_sees_the_vote_button(client_for, deputy_users, live, item, staff_user):
    (user, _deputy), *_rest = deputy_users(3)
    poll = poll_open(agenda_item=item, user=staff_user)
    html = client_for(user).get(reverse("sessions:my_sessions")).content.decode()
    assert 'id="vote-now"' in html and reverse("sessions:poll_detail", args=[poll.pk]) in html
    assert 'id="former-deputy"' not in html
    assert 'name="choice"' in client_for(user).get(reverse("sessions:poll_detail", args=[poll.pk])).content.decode()


def test_the_vote_service_refuses_a_former_deputy_even_on_the_list(
    client_for, former, deputy_users, live, item, staff_user
):
    user, deputy = former
    deputy_users(2)
    poll = poll_open(agenda_item=item, user=staff_user)
    # Even a deputy frozen on the poll's list (their end date entered afterwards) cannot vote.
    poll.entitlements.create(deputy=deputy)
    response = _api(user).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "yes"}, format="json")
    assert response.status_code == 403
    assert "15/03/2024" in response.json()["message"]
    page = client_for(user).post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "yes"}, follow=True)
    assert page.status_code == 200 and "15/03/2024" in page.content.decode()
    assert not PollParticipation.objects.filter(poll=poll).exists()


def test_a_deputy_of_an_ended_term_no_longer_sits(make_deputy, council):
    old_term = Term.objects.create(
        council=council,
        numeral="XV",
        start_year=2016,
        end_year=2021,
        start_date=date(2016, 7, 1),
        end_date=date(2021, 6, 24),
    )
    deputy = make_deputy(council, "Phạm Khóa Trước", term=old_term, start_date=date(2016, 7, 1))
    assert deputy_sitting(deputy, date(2020, 1, 1))
    assert not deputy_sitting(deputy)
    assert deputy not in sitting_deputies(council.pk, TODAY())
    assert deputy in sitting_deputies(council.pk, date(2020, 1, 1))


# --- 2. One read-receipt count -------------------------------------------------------------------


def test_a_deputys_read_shows_in_the_office_count(client_for, deputy_users, staff_client, api_client, live):
    pairs = deputy_users(4)
    document = _sent_document(live)
    reader, _deputy = pairs[0]
    assert client_for(reader).get(reverse("sessions:document_download", args=[document.pk])).status_code == 200
    mine = client_for(reader).get(reverse("sessions:my_sessions")).content.decode()
    assert "badge text-bg-light border" in mine  # "Đã đọc" on the deputy's own page
    office = staff_client.get(reverse("sessions:document_detail", args=[document.pk])).content.decode()
    assert '<span id="read-count">1/4</span>' in office
    data = api_client.get(f"{API}/documents/{document.pk}/receipts/").json()
    assert (data["read_count"], data["total"]) == (1, 4)


def test_a_deputy_who_left_before_the_session_neither_reads_nor_counts(former, deputy_users, staff_client, live):
    user, deputy = former
    deputy_users(3)
    document = _sent_document(live)
    # The document was not sent to them (their mandate had ended): not found, and no receipt.
    assert _api(user).post(f"{API}/documents/{document.pk}/read/").status_code == 404
    with pytest.raises(DomainError):
        document_mark_read(document=document, deputy=deputy)
    assert not DocumentRead.objects.exists()
    office = staff_client.get(reverse("sessions:document_detail", args=[document.pk])).content.decode()
    assert '<span id="read-count">0/3</span>' in office


def test_a_deputy_who_left_later_counts_for_the_sessions_they_sat_in(client_for, former, staff_client, past):
    user, deputy = former
    document = past.documents.get()
    assert client_for(user).get(reverse("sessions:document_download", args=[document.pk])).status_code == 200
    office = staff_client.get(reverse("sessions:document_detail", args=[document.pk])).content.decode()
    assert '<span id="read-count">1/1</span>' in office
    assert "Lê Văn Cựu" in office


# --- 3. No vote or adoption before the session opens or in the future ----------------------------


def test_a_vote_on_a_session_not_yet_opened_is_refused(council, term, staff_client, api_client):
    today = TODAY()
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=30,
        planned_start=today + timedelta(days=20),
        planned_end=today + timedelta(days=22),
    )
    item = AgendaItem.objects.create(council=council, session=session, title="Nghị quyết về đầu tư công")
    with pytest.raises(DomainError) as error:
        vote_record(agenda_item=item, voted_on=today, yes=1, no=0, not_voting=0)
    assert error.value.field == "voted_on"
    response = api_client.post(
        f"{API}/votes/",
        {
            "agenda_item": item.pk,
            "voted_on": (today + timedelta(days=30)).isoformat(),
            "yes": 1,
            "no": 0,
            "not_voting": 0,
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "voted_on"
    page = staff_client.post(
        reverse("sessions:vote_record", args=[item.pk]),
        {
            "method": "open",
            "voted_on": today.strftime("%d/%m/%Y"),
            "participants": 1,
            "yes": 1,
            "no": 0,
            "not_voting": 0,
        },
    )
    assert page.status_code == 200 and "chưa khai mạc" in page.content.decode()
    assert not item.votes.exists()


def test_a_vote_dated_in_the_future_or_before_the_opening_is_refused(live, item, seat_deputies, staff_client):
    seat_deputies(3)
    for day, text in (
        (TODAY() + timedelta(days=1), "tương lai"),
        (live.start - timedelta(days=1), "trước ngày khai mạc"),
    ):
        page = staff_client.post(
            reverse("sessions:vote_record", args=[item.pk]),
            {
                "method": "open",
                "voted_on": day.strftime("%d/%m/%Y"),
                "participants": 2,
                "yes": 2,
                "no": 0,
                "not_voting": 0,
            },
        )
        html = page.content.decode()
        assert page.status_code == 200 and text in html
        assert "invalid-feedback" in html  # beside the date field
    assert not item.votes.exists()
    vote = vote_record(agenda_item=item, voted_on=TODAY(), yes=2, no=0, not_voting=0)
    assert vote.passed


def test_a_resolution_dated_next_month_is_refused(council, live, api_client, staff_client):
    next_month = TODAY() + timedelta(days=31)
    with pytest.raises(DomainError) as error:
        resolution_adopt(council=council, title="Nghị quyết thử", kind="regular", adopted_on=next_month, session=live)
    assert error.value.field == "adopted_on"
    response = api_client.post(
        f"{API}/resolutions/",
        {
            "council": council.pk,
            "session": live.pk,
            "title": "Nghị quyết thử",
            "kind": "regular",
            "adopted_on": next_month.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "adopted_on"
    page = staff_client.post(
        reverse("sessions:resolution_create"),
        {
            "session": live.pk,
            "title": "Nghị quyết thử",
            "kind": "regular",
            "adopted_on": next_month.strftime("%d/%m/%Y"),
            "implementation_status": "not_started",
        },
    )
    assert page.status_code == 200 and "tương lai" in page.content.decode()
    assert not Resolution.objects.exists()


def test_a_resolution_before_the_session_opened_is_refused_and_a_session_day_is_accepted(council, past):
    with pytest.raises(DomainError):
        resolution_adopt(council=council, title="NQ", kind="regular", adopted_on=date(2023, 7, 9), session=past)
    with pytest.raises(DomainError):
        resolution_adopt(council=council, title="NQ", kind="regular", adopted_on=date(2023, 7, 13), session=past)
    assert resolution_adopt(council=council, title="NQ", kind="regular", adopted_on=date(2023, 7, 11), session=past).pk


def test_a_session_cannot_be_opened_on_a_future_day(council, term):
    today = TODAY()
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=31,
        planned_start=today + timedelta(days=5),
        planned_end=today + timedelta(days=6),
    )
    with pytest.raises(DomainError):
        session_open(session=session, on=today + timedelta(days=5))


def test_a_poll_cannot_be_cast_before_the_recorded_opening(council, term, deputy_users, staff_user):
    """An opening entered for a later day (legacy data) keeps polls closed until that day."""
    today = TODAY()
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=32,
        planned_start=today,
        planned_end=today + timedelta(days=3),
        status=CouncilSession.Status.IN_SESSION,
        actual_start=today + timedelta(days=2),
    )
    item = AgendaItem.objects.create(council=council, session=session, title="Nội dung")
    deputy_users(2)
    with pytest.raises(DomainError):
        poll_open(agenda_item=item, user=staff_user)


# --- 4. Presenting agency by full name -----------------------------------------------------------


def test_the_presenting_agency_select_shows_full_names_sorted_by_name(council, live, staff_client):
    Agency.objects.create(council=council, name="Ủy ban nhân dân thành phố", short_name="UBND")
    Agency.objects.create(council=council, name="Sở Tài chính", short_name="STC")
    Agency.objects.create(council=council, name="Ban Chỉ huy quân sự", short_name="")
    Agency.objects.create(council=council, name="Sở Cũ", short_name="SC", is_active=False)
    form = AgendaItemForm(council=council, session=live)
    labels = [label for value, label in form.fields["presenter_agency"].choices if value]
    assert labels == ["Ban Chỉ huy quân sự", "Sở Tài chính (STC)", "Ủy ban nhân dân thành phố (UBND)"]
    html = staff_client.get(reverse("sessions:item_create", args=[live.pk])).content.decode()
    assert "Sở Tài chính (STC)</option>" in html


# --- 5. The issuer's own number of a submission --------------------------------------------------


def test_a_submission_of_another_body_gets_no_invented_number(live, item):
    submission = document_create(
        session=live,
        kind=SessionDocument.Kind.SUBMISSION,
        title="Tờ trình về dự toán",
        doc_date=TODAY(),
        file=pdf_file(),
        issuer="UBND",
        agenda_item=item,
    )
    assert submission.number == "" and submission.shown_number == ""
    numbered = document_create(
        session=live,
        kind=SessionDocument.Kind.SUBMISSION,
        title="Tờ trình về đầu tư",
        doc_date=TODAY(),
        file=pdf_file(),
        issuer="UBND",
        external_number="08/TTr-UBND",
        external_date=date(2026, 11, 20),
    )
    assert (numbered.number, numbered.shown_number, numbered.number_seq) == ("", "08/TTr-UBND", None)
    own = document_create(
        session=live,
        kind=SessionDocument.Kind.SUBMISSION,
        title="Tờ trình của Thường trực",
        doc_date=TODAY(),
        file=pdf_file(),
    )
    assert own.shown_number.endswith("/TTr-HĐND")
    with pytest.raises(DomainError) as error:
        document_create(
            session=live,
            kind=SessionDocument.Kind.SUBMISSION,
            title="Tờ trình",
            doc_date=TODAY(),
            file=pdf_file(),
            issuer="UBND",
            external_number="09/TTr-UBND",
            external_date=TODAY() + timedelta(days=3),
        )
    assert error.value.field == "external_date"


def test_the_external_number_through_the_api_page_and_minutes(live, item, api_client, staff_client, draw_minutes):
    response = api_client.post(
        f"{API}/documents/",
        {
            "session": live.pk,
            "agenda_item": item.pk,
            "kind": "submission",
            "title": "Tờ trình về dự toán ngân sách",
            "issuer": "UBND",
            "external_number": "08/TTr-UBND",
            "external_date": "2026-11-20",
            "doc_date": TODAY().isoformat(),
            "file": pdf_file(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["shown_number"] == "08/TTr-UBND" and response.json()["number"] == ""
    document = SessionDocument.objects.get(pk=response.json()["id"])
    detail = staff_client.get(reverse("sessions:document_detail", args=[document.pk])).content.decode()
    assert "08/TTr-UBND" in detail and "20/11/2026" in detail
    from docx import Document

    draw_minutes(staff_client, live)
    docx = Document(BytesIO(b"".join(staff_client.get(reverse("sessions:minutes_docx", args=[live.pk])).streaming_content)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Tờ trình số 08/TTr-UBND ngày 20/11/2026: Tờ trình về dự toán ngân sách" in text


# --- 6. A resolution's own title -----------------------------------------------------------------


def test_a_passed_vote_adopts_a_resolution_under_its_own_title(live, item, seat_deputies):
    seat_deputies(3)
    vote = vote_record(agenda_item=item, voted_on=TODAY(), yes=3, no=0, not_voting=0)
    assert vote.resolution.title == "Nghị quyết về dự toán ngân sách năm sau"


def test_the_resolution_title_is_prefilled_editable_and_used(live, item, seat_deputies, staff_client):
    seat_deputies(3)
    document_create(
        session=live,
        kind=SessionDocument.Kind.DRAFT_RESOLUTION,
        title="Dự thảo Nghị quyết về dự toán ngân sách địa phương",
        doc_date=TODAY(),
        file=pdf_file(),
        agenda_item=item,
    )
    form = staff_client.get(reverse("sessions:item_edit", args=[item.pk])).content.decode()
    assert "Nghị quyết về dự toán ngân sách địa phương</textarea>" in form
    item.resolution_title = "Nghị quyết phê chuẩn dự toán ngân sách địa phương năm 2027"
    item.save()
    vote = vote_record(agenda_item=item, voted_on=TODAY(), yes=3, no=0, not_voting=0)
    resolution = vote.resolution
    assert resolution.title == "Nghị quyết phê chuẩn dự toán ngân sách địa phương năm 2027"
    session_page = staff_client.get(reverse("sessions:session_detail", args=[live.pk])).content.decode()
    assert f"{resolution.number}: Nghị quyết phê chuẩn dự toán ngân sách địa phương năm 2027" in session_page
    listing = staff_client.get(reverse("sessions:resolution_list")).content.decode()
    assert "Nghị quyết phê chuẩn dự toán" in listing and "Tờ trình về dự toán" not in listing


# --- 7. The minutes' national heading ------------------------------------------------------------


def test_the_minutes_national_heading_keeps_the_title_on_one_line(live, staff_client, tmp_path, draw_minutes):
    from docx import Document

    draw_minutes(staff_client, live)
    docx = Document(BytesIO(b"".join(staff_client.get(reverse("sessions:minutes_docx", args=[live.pk])).streaming_content)))
    right = docx.tables[0].rows[0].cells[1]
    assert [p.text for p in right.paragraphs] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right.width > docx.tables[0].rows[0].cells[0].width
    pdf = b"".join(staff_client.get(reverse("sessions:minutes_pdf", args=[live.pk])).streaming_content)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in lines.splitlines() if line.strip()]
    # The national title is whole on one line; the motto is on the next.
    title_line = next(i for i, line in enumerate(lines) if "CỘNG HÒA" in line)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines[title_line]
    assert "Độc lập - Tự do - Hạnh phúc" in lines[title_line + 1]


def test_a_vote_cast_by_a_sitting_deputy_is_counted(live, item, deputy_users, staff_user):
    (user, deputy), *_ = deputy_users(2)
    poll = poll_open(agenda_item=item, user=staff_user)
    assert poll_cast(poll=poll, user=user, choice=Choice.YES) == deputy


def test_the_record_vote_button_shows_only_once_the_session_is_open(council, term, live, item, staff_client):
    today = TODAY()
    planned = CouncilSession.objects.create(
        council=council, term=term, number=31, planned_start=today + timedelta(days=20),
        planned_end=today + timedelta(days=22),
    )
    later = AgendaItem.objects.create(council=council, session=planned, title="Nghị quyết về đầu tư công")
    page = staff_client.get(reverse("sessions:session_detail", args=[planned.pk])).content.decode()
    assert reverse("sessions:vote_record", args=[later.pk]) not in page
    page = staff_client.get(reverse("sessions:session_detail", args=[live.pk])).content.decode()
    assert reverse("sessions:vote_record", args=[item.pk]) in page
