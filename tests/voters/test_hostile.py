"""The voters app as a hostile user would try it: a user of another council, an agency's
responder reaching for another agency's files, malformed parameters, a 2 MB text, HTML
disguised as a document. Each test states the exact answer and that nothing was saved."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Body, CouncilRole
from voters import services
from voters.importer import COLUMNS, petition_import
from voters.models import Petition, VoterMeeting

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>fetch('/api/voters/petitions/')</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TWO_MB = "Đề nghị " + "x" * 2_000_000


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append([str(c[1]) for c in COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROW = ["Đề nghị nâng cấp đường tỉnh 35", "Kiến nghị", "", "Xã Đông Anh", "Tỉnh", "", "05/01/2026", "", "", "không"]


@pytest.fixture
def forwarded(council, agency, make_petition, make_meeting, django_capture_on_commit_callbacks):
    meeting = make_meeting(council)
    petition = make_petition(council, meetings=[meeting])
    with django_capture_on_commit_callbacks(execute=True):  # the letter's PDF is rendered after the commit
        services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def answered(forwarded):
    services.petition_answer(
        petition=forwarded,
        status=Petition.Status.RESOLVED,
        text="Đã sửa xong",
        response_date=date(2026, 3, 5),
        document=_file("tra-loi.pdf", PDF),
    )
    return Petition.objects.get(pk=forwarded.pk)


@pytest.fixture
def other_responder(make_user, council):
    """A responder of another agency of the same council."""
    health = Agency.objects.create(council=council, name="Sở Y tế")
    return make_user("yte", council, CouncilRole.Role.RESPONDER, agency=health)


@pytest.fixture
def other_staff(make_user, other_council):
    return make_user("khac", other_council, CouncilRole.Role.STAFF)


def _nothing_answered(petition: Petition) -> None:
    petition.refresh_from_db()
    assert petition.status == Petition.Status.FORWARDED
    assert not petition.response_document and petition.response_text == ""


# --- Malformed council parameters -----------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1", "99999999999", "١", "[1]"])
def test_similar_with_a_malformed_council_answers_400_with_a_message(api_client, value):
    response = api_client.get("/api/voters/petitions/similar/", {"council": value, "text": "đường liên xã bị hỏng"})
    assert response.status_code == 400
    assert response.json()["council"]


def test_similar_without_a_council_answers_400(api_client):
    response = api_client.get("/api/voters/petitions/similar/?text=duong")
    assert response.status_code == 400 and response.json()["council"]


def test_a_malformed_council_filter_on_the_petition_list_answers_400(api_client):
    assert api_client.get("/api/voters/petitions/", {"council": "abc"}).status_code == 400


@pytest.mark.parametrize("value", ["abc", "", "1e3", "99999999999"])
def test_import_with_a_malformed_council_answers_400_and_saves_nothing(api_client, value):
    response = api_client.post(
        "/api/voters/petitions/import/",
        {"council": value, "file": _file("kien-nghi.xlsx", _xlsx_bytes([ROW]))},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["council"]
    assert Petition.objects.count() == 0


def test_import_into_a_council_the_user_may_not_write_is_refused(
    api_client, staff_user, make_user, council, other_council
):
    foreign = api_client.post(
        "/api/voters/petitions/import/",
        {"council": other_council.pk, "file": _file("kien-nghi.xlsx", _xlsx_bytes([ROW]))},
        format="multipart",
    )
    assert foreign.status_code == 400
    viewer = _api(make_user("xem", council, CouncilRole.Role.VIEWER))
    denied = viewer.post(
        "/api/voters/petitions/import/",
        {"council": council.pk, "file": _file("kien-nghi.xlsx", _xlsx_bytes([ROW]))},
        format="multipart",
    )
    assert denied.status_code == 403
    with pytest.raises(DomainError):  # the importer itself refuses, whichever door calls it
        petition_import(council=other_council, uploaded=_file("k.xlsx", _xlsx_bytes([ROW])), user=staff_user)
    assert Petition.objects.count() == 0


# --- The importer checks the file before reading a row ----------------------------------------


@pytest.fixture
def no_reading(monkeypatch):
    """Fails the test if the importer opens a workbook."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was read before the file was checked")

    from hdnd_portal.core import excel_import  # where every import opens its workbook

    monkeypatch.setattr(excel_import, "load_workbook", refuse)


def test_html_renamed_xlsx_is_refused_before_any_row_is_read(api_client, staff_client, council, no_reading):
    response = api_client.post(
        "/api/voters/petitions/import/",
        {"council": council.pk, "file": _file("kien-nghi.xlsx", HTML)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "file" and ".xlsx" in response.json()["message"]
    page = staff_client.post(reverse("voters:petition_import"), {"file": _file("kien-nghi.xlsx", HTML)})
    assert page.status_code == 400 and page.context["form"].errors["file"]
    with pytest.raises(DomainError) as error:
        petition_import(council=council, uploaded=_file("kien-nghi.xlsx", HTML))
    assert error.value.field == "file"
    assert Petition.objects.count() == 0


def test_an_oversized_import_is_refused_before_any_row_is_read(api_client, staff_client, council, settings, no_reading):
    settings.UPLOAD_MAX_MB = 1
    big = b"PK\x03\x04" + b"\x00" * (1024 * 1024 + 10)
    response = api_client.post(
        "/api/voters/petitions/import/",
        {"council": council.pk, "file": _file("kien-nghi.xlsx", big)},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["field"] == "file"
    page = staff_client.post(reverse("voters:petition_import"), {"file": _file("kien-nghi.xlsx", big)})
    assert page.status_code == 400 and page.context["form"].errors["file"]
    assert Petition.objects.count() == 0


def test_an_overlong_petition_text_in_an_import_is_refused(api_client, council):
    long_row = list(ROW)
    long_row[0] = "Đề nghị " + "x" * 10_001
    response = api_client.post(
        "/api/voters/petitions/import/",
        {"council": council.pk, "file": _file("kien-nghi.xlsx", _xlsx_bytes([ROW, long_row]))},
        format="multipart",
    )
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [3]
    assert "10000" in response.json()["errors"][0]["message"].replace(".", "").replace(",", "")
    assert Petition.objects.count() == 0


# --- Over-long text ----------------------------------------------------------------------------


def test_a_2mb_petition_text_is_refused_on_api_and_pages_with_nothing_saved(
    api_client, staff_client, council, make_meeting
):
    response = api_client.post("/api/voters/petitions/", {"council": council.pk, "content": TWO_MB}, format="json")
    assert response.status_code == 400 and response.json()["content"]
    page = staff_client.post(
        reverse("voters:petition_create"), {"content": TWO_MB, "kind": "petition", "level": "province"}
    )
    assert page.status_code == 200 and page.context["form"].errors["content"]
    meeting = make_meeting(council)
    intake = staff_client.post(
        reverse("voters:meeting_intake", args=[meeting.pk]),
        {"content": TWO_MB, "kind": "petition", "level": "province"},
    )
    assert intake.status_code == 400
    with pytest.raises(DomainError) as error:
        services.petition_create(council=council, content=TWO_MB)
    assert error.value.field == "content"
    assert Petition.objects.count() == 0


def test_a_2mb_text_in_an_update_or_an_answer_is_refused(api_client, forwarded):
    before = forwarded.content
    patch = api_client.patch(
        f"/api/voters/petitions/{forwarded.pk}/", {"content": TWO_MB, "version": forwarded.version}, format="json"
    )
    assert patch.status_code == 400
    answer = api_client.post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": TWO_MB, "response_date": "2026-03-05"},
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["response_text"]
    forwarded.refresh_from_db()
    assert forwarded.content == before
    _nothing_answered(forwarded)


# --- Uploads: HTML and disguised executables are refused on every door ------------------------


@pytest.mark.parametrize("name, content", [("tra-loi.html", HTML), ("tra-loi.pdf", EXE), ("tra-loi.pdf", HTML)])
def test_a_disguised_answer_document_is_refused_through_the_api(responder_user, forwarded, name, content):
    response = _api(responder_user).post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", "document": _file(name, content)},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["document"]
    _nothing_answered(forwarded)


@pytest.mark.parametrize("name, content", [("tra-loi.html", HTML), ("tra-loi.pdf", EXE)])
def test_a_disguised_answer_document_is_refused_through_the_page(responder_client, forwarded, name, content):
    response = responder_client.post(
        reverse("voters:petition_answer", args=[forwarded.pk]),
        {
            "status": "resolved",
            "response_text": "x",
            "response_date": "05/03/2026",
            "document": _file(name, content),
            "_version": forwarded.version,
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["document"]
    _nothing_answered(forwarded)


def test_the_answer_service_checks_the_document_itself(forwarded):
    with pytest.raises(DomainError) as error:
        services.petition_answer(
            petition=forwarded,
            status=Petition.Status.RESOLVED,
            text="x",
            response_date=date(2026, 3, 5),
            document=_file("tra-loi.html", HTML),
        )
    assert error.value.field == "document"
    _nothing_answered(forwarded)


def test_a_pdf_answer_through_the_api_is_stored_and_linked_through_the_checked_view(responder_user, forwarded):
    response = _api(responder_user).post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {
            "status": "resolved",
            "response_text": "x",
            "response_date": "2026-03-05",
            "document": _file("tra-loi.pdf", PDF),
            "version": forwarded.version,
        },
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["response_document_url"] == reverse("voters:petition_response_document", args=[forwarded.pk])
    assert "/media/" not in response.content.decode()


@pytest.mark.parametrize("name, content", [("bien-ban.html", HTML), ("bien-ban.pdf", EXE)])
def test_disguised_minutes_are_refused_through_the_api_and_the_page(api_client, staff_client, council, name, content):
    response = api_client.post(
        "/api/voters/meetings/",
        {"council": council.pk, "date": "2026-03-16", "kind": "before_session", "minutes": _file(name, content)},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["minutes"]
    page = staff_client.post(
        reverse("voters:meeting_create"),
        {"kind": "before_session", "date": "16/03/2026", "voter_count": 10, "minutes": _file(name, content)},
    )
    assert page.status_code == 200 and page.context["form"].errors["minutes"]
    assert VoterMeeting.objects.count() == 0


def test_no_stored_file_is_ever_served_as_html(staff_client, answered, forwarded, make_meeting, council):
    # A file that reached storage before the checks existed is still served inert.
    answered.response_document.save("cu.html", ContentFile(HTML), save=True)
    meeting = make_meeting(council)
    meeting.minutes.save("bien-ban.html", ContentFile(HTML), save=True)
    for url in (
        reverse("voters:petition_response_document", args=[answered.pk]),
        reverse("voters:meeting_minutes", args=[meeting.pk]),
        reverse("voters:letter_pdf", args=[answered.letter_id]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "html" not in response["Content-Type"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    html = staff_client.get(reverse("voters:petition_response_document", args=[answered.pk]))
    assert html["Content-Type"] == "application/octet-stream"
    assert html["Content-Disposition"].startswith("attachment")


# --- Downloads check permission ------------------------------------------------------------------


def test_a_responder_downloads_only_its_own_agencys_files(responder_client, other_responder, client_for, answered):
    mine = [
        reverse("voters:petition_response_document", args=[answered.pk]),
        reverse("voters:letter_pdf", args=[answered.letter_id]),
    ]
    for url in mine:
        assert responder_client.get(url).status_code == 200, url
    stranger = client_for(other_responder)
    for url in mine:
        assert stranger.get(url).status_code == 404, url


def test_another_council_gets_404_on_every_file(other_staff, client_for, answered, make_meeting, council):
    meeting = make_meeting(council)
    meeting.minutes.save("bien-ban.pdf", ContentFile(PDF), save=True)
    client = client_for(other_staff)
    for url in (
        reverse("voters:petition_response_document", args=[answered.pk]),
        reverse("voters:letter_pdf", args=[answered.letter_id]),
        reverse("voters:meeting_minutes", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_deputy_cannot_download_a_petition_they_may_not_read(deputy_client, answered):
    assert deputy_client.get(reverse("voters:petition_response_document", args=[answered.pk])).status_code == 404
    assert deputy_client.get(reverse("voters:letter_pdf", args=[answered.letter_id])).status_code == 404


def test_pages_and_api_link_files_through_the_checked_views_only(
    staff_client, responder_client, api_client, answered, make_meeting, council
):
    meeting = make_meeting(council)
    meeting.minutes.save("bien-ban.pdf", ContentFile(PDF), save=True)
    detail = staff_client.get(reverse("voters:petition_detail", args=[answered.pk])).content.decode()
    assert reverse("voters:petition_response_document", args=[answered.pk]) in detail
    assert reverse("voters:letter_pdf", args=[answered.letter_id]) in detail
    assert "/media/" not in detail
    theirs = responder_client.get(reverse("voters:petition_detail", args=[answered.pk])).content.decode()
    assert reverse("voters:letter_pdf", args=[answered.letter_id]) in theirs and "/media/" not in theirs
    minutes = staff_client.get(reverse("voters:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("voters:meeting_minutes", args=[meeting.pk]) in minutes and "/media/" not in minutes
    for url in ("/api/voters/letters/", "/api/voters/meetings/", f"/api/voters/petitions/{answered.pk}/"):
        response = api_client.get(url)
        assert response.status_code == 200 and "/media/" not in response.content.decode(), url


# --- Council change and cross-council relations ---------------------------------------------------


def test_a_petition_or_meeting_cannot_move_to_another_council(
    api_client, forwarded, other_council, make_meeting, council
):
    response = api_client.patch(
        f"/api/voters/petitions/{forwarded.pk}/",
        {"council": other_council.pk, "version": forwarded.version},
        format="json",
    )
    assert response.status_code == 400
    meeting = make_meeting(council)
    moved = api_client.patch(
        f"/api/voters/meetings/{meeting.pk}/", {"council": other_council.pk, "version": meeting.version}, format="json"
    )
    assert moved.status_code == 400
    after = Petition.objects.get(pk=forwarded.pk)
    assert after.council_id == council.pk and after.version == forwarded.version
    assert VoterMeeting.objects.get(pk=meeting.pk).council_id == council.pk


def test_relations_into_another_council_are_refused(
    api_client, staff_client, council, other_council, forwarded, make_deputy, make_meeting, make_petition
):
    foreign_deputy = make_deputy(other_council, "Lê Văn Lạ")
    foreign_group = Body.objects.create(
        council=other_council, term=foreign_deputy.term, kind=Body.Kind.GROUP, name="Tổ Nghệ An"
    )
    foreign_committee = Body.objects.create(
        council=other_council, term=foreign_deputy.term, kind=Body.Kind.COMMITTEE, name="Ban Nghệ An"
    )
    foreign_meeting = make_meeting(other_council)
    count = Petition.objects.count()
    for extra in (
        {"deputies": [foreign_deputy.pk]},
        {"meetings": [foreign_meeting.pk]},
        {"committee": foreign_committee.pk},
    ):
        response = api_client.post(
            "/api/voters/petitions/", {"council": council.pk, "content": "Kiến nghị", **extra}, format="json"
        )
        assert response.status_code == 400, extra
    meeting = api_client.post(
        "/api/voters/meetings/",
        {"council": council.pk, "date": "2026-03-16", "group": foreign_group.pk, "deputies": [foreign_deputy.pk]},
        format="json",
    )
    assert meeting.status_code == 400
    patch = api_client.patch(
        f"/api/voters/petitions/{forwarded.pk}/",
        {"committee": foreign_committee.pk, "version": forwarded.version},
        format="json",
    )
    assert patch.status_code == 400
    page = staff_client.post(
        reverse("voters:petition_create"),
        {"content": "Kiến nghị", "kind": "petition", "level": "province", "deputies": [foreign_deputy.pk]},
    )
    assert page.status_code == 200 and page.context["form"].errors["deputies"]
    foreign_petition = make_petition(other_council)
    assert (
        api_client.post(
            f"/api/voters/petitions/{forwarded.pk}/merge/",
            {"into": foreign_petition.pk, "version": forwarded.version},
            format="json",
        ).status_code
        == 404
    )
    assert Petition.objects.count() == count + 1  # only the other council's own petition
    assert VoterMeeting.objects.filter(council=council).count() == 1
    assert Petition.objects.get(pk=forwarded.pk).committee_id != foreign_committee.pk


def test_another_councils_staff_cannot_touch_a_petition(other_staff, forwarded):
    client = _api(other_staff)
    base = f"/api/voters/petitions/{forwarded.pk}/"
    assert client.patch(base, {"content": "x", "version": forwarded.version}, format="json").status_code == 404
    assert (
        client.post(
            base + "answer/", {"status": "resolved", "response_text": "x", "response_date": "2026-03-05"}, format="json"
        ).status_code
        == 404
    )
    assert Petition.objects.get(pk=forwarded.pk).version == forwarded.version


# --- Versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"locality": "Xã Mới"},
        {"locality": "Xã Mới", "version": "abc"},
        {"locality": "Xã Mới", "version": ""},
        {"locality": "Xã Mới", "version": [1]},
        {},
    ],
)
def test_an_api_update_without_a_valid_version_answers_400(api_client, forwarded, payload):
    response = api_client.patch(f"/api/voters/petitions/{forwarded.pk}/", payload, format="json")
    assert response.status_code == 400
    after = Petition.objects.get(pk=forwarded.pk)
    assert after.version == forwarded.version and after.locality == forwarded.locality


def test_a_stale_api_update_answers_409_and_a_current_one_bumps_the_version(
    api_client, forwarded, council, make_meeting
):
    url = f"/api/voters/petitions/{forwarded.pk}/"
    stale = api_client.patch(url, {"locality": "Xã Cũ", "version": forwarded.version - 1}, format="json")
    assert stale.status_code == 409
    ok = api_client.patch(url, {"locality": "Xã Mới", "version": forwarded.version}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == forwarded.version + 1
    again = api_client.patch(url, {"locality": "Xã Khác", "version": forwarded.version}, format="json")
    assert again.status_code == 409
    assert Petition.objects.get(pk=forwarded.pk).locality == "Xã Mới"
    meeting = make_meeting(council)
    assert (
        api_client.patch(f"/api/voters/meetings/{meeting.pk}/", {"place": "Nhà văn hoá"}, format="json").status_code
        == 400
    )
    assert (
        api_client.patch(
            f"/api/voters/meetings/{meeting.pk}/", {"place": "Nhà văn hoá", "version": "x"}, format="json"
        ).status_code
        == 400
    )
    done = api_client.patch(
        f"/api/voters/meetings/{meeting.pk}/", {"place": "Nhà văn hoá", "version": meeting.version}, format="json"
    )
    assert done.status_code == 200 and done.json()["version"] == meeting.version + 1


def test_a_page_edit_without_or_with_a_stale_version_saves_nothing(staff_client, forwarded):
    url = reverse("voters:petition_edit", args=[forwarded.pk])
    form = {"content": "Nội dung mới", "kind": "petition", "level": "province", "received_on": "10/01/2026"}
    missing = staff_client.post(url, form)
    assert missing.status_code == 200 and missing.context["form"].errors["_version"]
    stale = staff_client.post(url, {**form, "_version": forwarded.version - 1})
    assert stale.status_code == 200 and stale.context["form"].errors
    after = Petition.objects.get(pk=forwarded.pk)
    assert after.content == forwarded.content and after.version == forwarded.version


# --- Malformed ids and values ------------------------------------------------------------------------


def test_malformed_ids_and_values_answer_400(api_client, council, forwarded):
    petitions = "/api/voters/petitions/"
    cases = [
        (petitions, {"council": council.pk, "content": "x", "deputies": ["abc"]}),
        (petitions, {"council": council.pk, "content": "x", "meetings": [99999999]}),
        (petitions, {"council": council.pk, "content": ["a", "b"]}),
        (petitions, {"council": "abc", "content": "x"}),
        (petitions, {"council": council.pk, "content": "x", "received_on": "32/13/2026"}),
        (petitions + "forward/", {"council": "abc", "petitions": [forwarded.pk], "agency": forwarded.agency_id}),
        (petitions + "forward/", {"council": council.pk, "petitions": ["abc"], "agency": forwarded.agency_id}),
        (petitions + "forward/", {"council": council.pk, "petitions": [forwarded.pk], "agency": "abc"}),
        (petitions + "forward/", {"council": 99999999999, "petitions": [1], "agency": forwarded.agency_id}),
        (f"{petitions}{forwarded.pk}/merge/", {"into": "abc"}),
        (f"{petitions}{forwarded.pk}/merge/", {"into": 99999999999}),
        (f"{petitions}{forwarded.pk}/answer/", {"status": "resolved", "response_date": "abc"}),
        (f"{petitions}{forwarded.pk}/answer/", {"status": "bogus", "response_date": "2026-03-05"}),
        ("/api/voters/meetings/", {"council": council.pk, "date": "2026-03-16", "deputies": "abc"}),
    ]
    for url, payload in cases:
        response = api_client.post(url, payload, format="json")
        assert response.status_code == 400, (url, payload, response.content[:300])
    assert Petition.objects.count() == 1
    _nothing_answered(forwarded)


@pytest.mark.parametrize("version", [None, "abc", "", [1]])
def test_actions_without_a_valid_version_answer_400(
    api_client, responder_user, forwarded, make_petition, council, version
):
    extra = {} if version is None else {"version": version}
    base = f"/api/voters/petitions/{forwarded.pk}/"
    answer = _api(responder_user).post(
        base + "answer/",
        {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", **extra},
        format="json",
    )
    assert answer.status_code == 400
    other = make_petition(council)
    merge = api_client.post(f"/api/voters/petitions/{other.pk}/merge/", {"into": forwarded.pk, **extra}, format="json")
    assert merge.status_code == 400
    _nothing_answered(forwarded)
    assert Petition.objects.get(pk=other.pk).status == Petition.Status.NEW


def test_a_stale_answer_or_evaluation_answers_409_and_saves_nothing(api_client, responder_user, forwarded):
    stale = forwarded.version
    api_client.patch(f"/api/voters/petitions/{forwarded.pk}/", {"locality": "Xã Mới", "version": stale}, format="json")
    answer = _api(responder_user).post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", "version": stale},
        format="json",
    )
    assert answer.status_code == 409 and answer.json()["extra"]["current_version"] == stale + 1
    _nothing_answered(forwarded)
    current = Petition.objects.get(pk=forwarded.pk).version
    ok = _api(responder_user).post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", "version": current},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == current + 1
    evaluation = api_client.post(
        f"/api/voters/petitions/{forwarded.pk}/evaluate/",
        {"evaluation": "satisfactory", "on": "2026-03-20", "version": current},
        format="json",
    )
    assert evaluation.status_code == 409
    assert Petition.objects.get(pk=forwarded.pk).evaluation == ""


def test_a_stale_answer_page_is_refused(responder_client, api_client, forwarded):
    url = reverse("voters:petition_answer", args=[forwarded.pk])
    form = {"status": "resolved", "response_text": "x", "response_date": "05/03/2026"}
    missing = responder_client.post(url, form)
    assert missing.status_code == 400 and missing.context["form"].errors["_version"]
    api_client.patch(
        f"/api/voters/petitions/{forwarded.pk}/", {"locality": "Xã Mới", "version": forwarded.version}, format="json"
    )
    stale = responder_client.post(url, {**form, "_version": forwarded.version})
    assert stale.status_code == 400 and stale.context["form"].non_field_errors()
    _nothing_answered(forwarded)


@pytest.mark.parametrize("value", ["²", "99999999999", "-1", "1e3"])
def test_odd_numbers_in_parameters_never_answer_500(api_client, staff_client, council, forwarded, value):
    assert api_client.get("/api/voters/petitions/", {"council": value}).status_code == 400
    assert api_client.get("/api/voters/meetings/", {"council": value}).status_code == 400
    similar = staff_client.get(
        reverse("voters:petition_similar"), {"text": "đường liên xã xuống cấp", "exclude": value}
    )
    assert similar.status_code == 200
    forward = staff_client.post(reverse("voters:petition_forward"), {"ids": [value]})
    assert forward.status_code == 302  # "select the petitions to forward"
    row = list(ROW)
    row[7] = value
    result = petition_import(council=council, uploaded=_file("k.xlsx", _xlsx_bytes([row])))
    assert not result.ok and value in result.errors[0][1]
    assert Petition.objects.count() == 1


def test_database_constraints_read_as_vietnamese_sentences(council, agency, forwarded):
    from django.db import IntegrityError, transaction
    from django.utils.translation import override

    from hdnd_portal.core.constraints import constraint_message
    from voters.models import ForwardingLetter

    letter = Petition.objects.get(pk=forwarded.pk).letter
    with pytest.raises(IntegrityError) as duplicate, transaction.atomic():
        ForwardingLetter.objects.create(
            council=council, agency=agency, number=letter.number, sequence=99, date=letter.date
        )
    with pytest.raises(IntegrityError) as early, transaction.atomic():
        Petition.objects.filter(pk=forwarded.pk).update(response_date=date(2026, 3, 1))
    with pytest.raises(IntegrityError) as itself, transaction.atomic():
        Petition.objects.filter(pk=forwarded.pk).update(merged_into=forwarded.pk)
    with override("vi"):
        assert constraint_message(duplicate.value) == "Đã có công văn chuyển kiến nghị với số và ngày này."
        assert constraint_message(early.value) == "Ngày trả lời không thể trước ngày chuyển kiến nghị."
        assert constraint_message(itself.value) == "Không thể gộp kiến nghị vào chính nó."
        for error in (duplicate, early, itself):
            assert "Constraint" not in constraint_message(error.value)
