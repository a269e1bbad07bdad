"""The register of documents issued by the standing committee and the committees: numbers from
the register (per issuer, kind and year) or typed and unique, the body and the date within the
council, the version, the pages and the API, the file behind its permission check, and the
report's figures."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError, StaleEditError
from hdnd_portal.core.models import Body, CouncilRole, DocumentCounter, Term
from programmes import reports, services
from programmes.models import IssuedDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def issue(council, standing):
    def make(body=None, **kwargs):
        defaults = dict(council=council, body=body or standing, kind=IssuedDocument.Kind.PLAN,
                        issued_on=date(2026, 3, 2), summary="Kế hoạch tiếp xúc cử tri trước kỳ họp")
        defaults.update(kwargs)
        return services.issued_document_save(document=IssuedDocument(**defaults))

    return make


@pytest.fixture
def foreign(other_council):
    """Another council with its standing committee, one committee and one document."""
    term = Term.objects.create(council=other_council, numeral="XIX", start_year=2021, end_year=2026, is_current=True)
    standing = Body.objects.create(council=other_council, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")
    committee = Body.objects.create(council=other_council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Pháp chế",
                                    abbreviation="PC")
    document = services.issued_document_save(document=IssuedDocument(
        council=other_council, body=standing, kind=IssuedDocument.Kind.NOTICE, issued_on=date(2026, 2, 2),
        summary="Thông báo của tỉnh khác"))
    return {"standing": standing, "committee": committee, "document": document}


def _error(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


# --- The service ------------------------------------------------------------------------------


def test_numbers_follow_the_register_per_issuer_kind_and_year(issue, committee):
    assert issue().number == "01/KH-HĐND"
    assert issue().number == "02/KH-HĐND"
    assert issue(kind=IssuedDocument.Kind.NOTICE).number == "01/TB-HĐND"
    # A committee numbers under its own symbol, not the standing committee's.
    assert issue(body=committee, kind=IssuedDocument.Kind.REPORT).number == "01/BC-ĐT"
    assert issue(body=committee, kind=IssuedDocument.Kind.PLAN).number == "01/KH-ĐT"
    # An official letter carries the issuer alone; a new year starts again at 01.
    assert issue(kind=IssuedDocument.Kind.LETTER).number == "01/HĐND"
    assert issue(issued_on=date(2025, 12, 30)).number == "01/KH-HĐND"
    doc = issue(kind=IssuedDocument.Kind.DECISION)
    assert (doc.number, doc.number_seq, doc.issuer, doc.year) == ("01/QĐ-HĐND", 1, "HĐND", 2026)


def test_a_typed_number_is_unique_and_the_register_continues_after_it(issue, committee, council):
    typed = issue(number=" 03 / kh-hđnd ")
    assert (typed.number, typed.number_seq) == ("03/KH-HĐND", 3)
    error = _error(lambda: issue(number="03/KH-HĐND", summary="Trùng số"))
    assert error.field == "number" and "03/KH-HĐND" in error.message
    # The same number is free in another year and for another issuer (where it is not the
    # register's own form, so it takes no sequence).
    assert issue(number="03/KH-HĐND", issued_on=date(2025, 5, 5)).year == 2025
    assert issue(body=committee, number="03/KH-HĐND").number_seq is None
    # The register continues after the back-entered number; a lower one typed later does not
    # move it back; each year has its own.
    assert [issue().number for _ in range(2)] == ["04/KH-HĐND", "05/KH-HĐND"]
    issue(number="01/KH-HĐND")
    assert issue().number == "06/KH-HĐND"
    assert issue(issued_on=date(2025, 6, 1)).number == "04/KH-HĐND"
    # Were the register's counter ever behind, it passes over the numbers in use: never twice.
    DocumentCounter.objects.filter(council=council, issuer="HĐND", year=2026).update(last_number=3)
    assert issue().number == "07/KH-HĐND"
    assert IssuedDocument.objects.filter(summary="Trùng số").count() == 0


def test_a_document_of_another_kind_needs_its_number_typed(issue):
    error = _error(lambda: issue(kind=IssuedDocument.Kind.OTHER))
    assert error.field == "number"
    assert issue(kind=IssuedDocument.Kind.OTHER, number="05/HD-HĐND").number == "05/HD-HĐND"


def test_the_issuing_body_is_the_councils_standing_committee_or_one_of_its_committees(issue, foreign, council, term):
    assert _error(lambda: issue(body=foreign["committee"])).field == "body"
    group = Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ đại biểu số 1")
    assert _error(lambda: issue(body=group)).field == "body"
    nameless = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Dân tộc")
    assert _error(lambda: issue(body=nameless)).field == "number"  # no abbreviation to number with
    assert issue(body=nameless, number="07/BC-BDT").issuer == ""
    assert not IssuedDocument.objects.filter(council=council, body=foreign["committee"]).exists()


def test_a_date_outside_the_councils_existence_is_refused(issue, council):
    council.dissolved_on = date(2025, 6, 30)
    council.save()
    error = _error(lambda: issue(issued_on=date(2025, 7, 10)))
    assert error.field == "issued_on" and "30/06/2025" in error.message
    assert issue(issued_on=date(2025, 6, 30)).number == "01/KH-HĐND"
    assert IssuedDocument.objects.count() == 1


def test_an_edit_made_on_a_stale_copy_is_refused_and_history_is_kept(issue):
    doc = issue()
    first, second = IssuedDocument.objects.get(pk=doc.pk), IssuedDocument.objects.get(pk=doc.pk)
    first.summary = "Kế hoạch đã sửa"
    services.issued_document_save(document=first)
    second.summary = "Sửa trên bản cũ"
    with pytest.raises(StaleEditError):
        services.issued_document_save(document=second)
    doc.refresh_from_db()
    assert (doc.summary, doc.version, doc.number) == ("Kế hoạch đã sửa", 2, "01/KH-HĐND")
    assert doc.history.count() == 2


# --- The API ----------------------------------------------------------------------------------


def test_api_creates_updates_and_needs_the_version(api_client, council, standing, committee, foreign):
    url = "/api/programmes/issued-documents/"
    created = api_client.post(url, {"council": council.pk, "body": committee.pk, "kind": "report",
                                    "issued_on": "2026-04-01", "summary": "Báo cáo thẩm tra"}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["number"], data["issuer"], data["version"], data["file_url"]) == ("01/BC-ĐT", "ĐT", 1, None)
    detail = f"{url}{data['id']}/"
    assert api_client.patch(detail, {"summary": "Không có version"}, format="json").status_code == 400
    assert api_client.patch(detail, {"summary": "x", "version": 7}, format="json").status_code == 409
    updated = api_client.patch(detail, {"summary": "Báo cáo thẩm tra (sửa)", "version": 1}, format="json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    # A typed number already used answers 400 with the field.
    clash = api_client.post(url, {"council": council.pk, "body": committee.pk, "kind": "report", "number": "01/BC-ĐT",
                                  "issued_on": "2026-04-02", "summary": "Trùng"}, format="json")
    assert clash.status_code == 400 and "number" in str(clash.json())
    # Another council's document is not found; another council's body is refused.
    other = foreign["document"]
    assert api_client.get(f"{url}{other.pk}/").status_code == 404
    assert api_client.patch(f"{url}{other.pk}/", {"summary": "x", "version": 1}, format="json").status_code == 404
    response = api_client.post(url, {"council": council.pk, "body": foreign["committee"].pk, "kind": "plan",
                                     "issued_on": "2026-04-01", "summary": "Cơ quan của tỉnh khác"}, format="json")
    assert response.status_code == 400
    response = api_client.patch(detail, {"body": foreign["standing"].pk, "version": 2}, format="json")
    assert response.status_code == 400
    ids = {row["id"] for row in api_client.get(url).json()["results"]}
    assert other.pk not in ids and data["id"] in ids
    assert IssuedDocument.objects.filter(council=council).count() == 1
    assert IssuedDocument.objects.get(pk=data["id"]).body_id == committee.pk


def test_api_a_hostile_staff_of_another_council_can_neither_create_here_nor_move_records(
        make_user, council, standing, issue, other_council, foreign):
    hostile = APIClient()
    hostile.force_authenticate(make_user("thudich", other_council, CouncilRole.Role.STAFF))
    url = "/api/programmes/issued-documents/"
    response = hostile.post(url, {"council": council.pk, "body": standing.pk, "kind": "plan",
                                  "issued_on": "2026-04-01", "summary": "Cài cắm"}, format="json")
    assert response.status_code == 400
    own = foreign["document"]
    response = hostile.patch(f"{url}{own.pk}/", {"council": council.pk, "version": own.version}, format="json")
    assert response.status_code == 400
    assert not IssuedDocument.objects.filter(summary="Cài cắm").exists()
    assert IssuedDocument.objects.get(pk=own.pk).council_id == other_council.pk


def test_api_uploads_pass_the_one_validator(api_client, council, standing):
    url = "/api/programmes/issued-documents/"
    base = {"council": council.pk, "body": standing.pk, "kind": "notice", "issued_on": "2026-04-01",
            "summary": "Thông báo kết luận"}
    bad = api_client.post(url, {**base, "file": SimpleUploadedFile("tb.pdf", HTML, "application/pdf")},
                          format="multipart")
    assert bad.status_code == 400 and not IssuedDocument.objects.exists()
    good = api_client.post(url, {**base, "file": SimpleUploadedFile("tb.pdf", PDF, "application/pdf")},
                           format="multipart")
    assert good.status_code == 201, good.content
    assert good.json()["file_url"] == reverse("programmes:issued_file", args=[good.json()["id"]])


# --- Pages ------------------------------------------------------------------------------------


def test_page_create_takes_the_next_number_and_edit_shows_errors_beside_the_field(staff_client, standing, issue):
    response = staff_client.post(reverse("programmes:issued_create"), {
        "body": standing.pk, "kind": "plan", "number": "", "issued_on": "02/03/2026",
        "summary": "Kế hoạch giám sát chuyên đề", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn An",
        "file": SimpleUploadedFile("kh.pdf", PDF, "application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = IssuedDocument.objects.get(summary="Kế hoạch giám sát chuyên đề")
    assert doc.number == "01/KH-HĐND" and doc.file
    assert response["Location"] == reverse("programmes:issued_detail", args=[doc.pk])
    other = issue(number="09/KH-HĐND")
    response = staff_client.post(reverse("programmes:issued_edit", args=[other.pk]), {
        "body": standing.pk, "kind": "plan", "number": "01/KH-HĐND", "issued_on": "02/03/2026",
        "summary": "Đổi số trùng", "_version": other.version})
    assert response.status_code == 200
    assert "01/KH-HĐND" in str(response.context["form"].errors["number"])
    other.refresh_from_db()
    assert (other.number, other.summary, other.version) == ("09/KH-HĐND", "Kế hoạch tiếp xúc cử tri trước kỳ họp", 1)
    # A date still to come is refused beside the date.
    response = staff_client.post(reverse("programmes:issued_create"), {
        "body": standing.pk, "kind": "plan", "issued_on": "02/03/2036", "summary": "Ngày trong tương lai"})
    assert response.status_code == 200 and "issued_on" in response.context["form"].errors


def test_detail_shows_the_document_and_its_file_only_through_the_checked_view(
        staff_client, other_staff_client, viewer_client, standing, issue):
    doc = issue(file=SimpleUploadedFile("kh.pdf", PDF, "application/pdf"), signer_title="CHỦ TỊCH",
                signer_name="Nguyễn Văn An")
    page = staff_client.get(reverse("programmes:issued_detail", args=[doc.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "01/KH-HĐND" in html and "Nguyễn Văn An (Chủ tịch)" in html
    assert reverse("programmes:issued_file", args=[doc.pk]) in html and "/media/" not in html
    download = viewer_client.get(reverse("programmes:issued_file", args=[doc.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert other_staff_client.get(reverse("programmes:issued_file", args=[doc.pk])).status_code == 404
    assert other_staff_client.get(reverse("programmes:issued_detail", args=[doc.pk])).status_code == 404
    assert viewer_client.get(reverse("programmes:issued_edit", args=[doc.pk])).status_code == 403
    assert viewer_client.get(reverse("programmes:issued_create")).status_code == 403


def test_list_filters_searches_without_accents_and_keeps_its_queries_bounded(staff_client, issue, committee):
    issue(summary="Kế hoạch khảo sát trường học")
    issue(body=committee, kind=IssuedDocument.Kind.REPORT, summary="Báo cáo thẩm tra ngân sách")
    issue(kind=IssuedDocument.Kind.NOTICE, issued_on=date(2025, 11, 3), summary="Thông báo kết luận")
    url = reverse("programmes:issued_list")

    def numbers(params):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return sorted(obj.number for obj in response.context["object_list"])

    assert numbers({"q": "khao sat truong"}) == ["01/KH-HĐND"]
    assert numbers({"q": "bc-đt"}) == ["01/BC-ĐT"]
    assert numbers({"body": committee.pk}) == ["01/BC-ĐT"]
    assert numbers({"kind": "notice"}) == ["01/TB-HĐND"]
    assert numbers({"year": 2025}) == ["01/TB-HĐND"]
    assert numbers({"date_from": "01/01/2026", "date_to": "31/12/2026"}) == ["01/BC-ĐT", "01/KH-HĐND"]
    export = staff_client.get(url, {"export": "xlsx"})
    assert export.status_code == 200

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(30):
        issue(body=committee if i % 2 else None, kind=IssuedDocument.Kind.DECISION, summary=f"Quyết định {i}")
    assert count() == few


# --- Report figures ---------------------------------------------------------------------------


def test_report_figures_count_the_period_by_issuer_and_kind(council, issue, committee, foreign, other_council, term):
    second = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Kinh tế - Ngân sách",
                                 abbreviation="KTNS")
    issue(kind=IssuedDocument.Kind.PLAN, issued_on=date(2026, 1, 5))
    issue(kind=IssuedDocument.Kind.DECISION, issued_on=date(2026, 3, 9))
    issue(kind=IssuedDocument.Kind.PLAN, issued_on=date(2026, 6, 30))
    issue(body=committee, kind=IssuedDocument.Kind.REPORT, issued_on=date(2026, 2, 1))
    issue(body=second, kind=IssuedDocument.Kind.PLAN, issued_on=date(2026, 4, 1))
    issue(kind=IssuedDocument.Kind.PLAN, issued_on=date(2025, 12, 31))  # before the period
    issue(body=committee, kind=IssuedDocument.Kind.REPORT, issued_on=date(2026, 7, 1))  # after it
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    section = reports.documents_section([council.pk], start, end)
    assert section["documents_issued"] == 5
    assert section["documents_by_standing_committee"] == 3
    assert section["documents_by_committees"] == 2
    assert section["documents_issued_by_kind"] == [
        {"key": "plan", "label": "Kế hoạch", "count": 3},
        {"key": "decision", "label": "Quyết định", "count": 1},
        {"key": "report", "label": "Báo cáo", "count": 1},
    ]
    [(key, label, fn)] = reports.council_figures()
    assert key == "documents_issued" and label
    with CaptureQueriesContext(connection) as queries:
        assert fn([council.pk, other_council.pk], start, end) == {council.pk: 5, other_council.pk: 1}
    assert len(queries) == 1
    assert fn([council.pk], date(2027, 1, 1), date(2027, 12, 31)) == {}


def test_api_malformed_values_answer_400_and_save_nothing(api_client, council, standing):
    url = "/api/programmes/issued-documents/"
    base = {"council": council.pk, "body": standing.pk, "kind": "plan", "issued_on": "2026-04-01",
            "summary": "Kế hoạch"}
    for bad in ({"body": "abc"}, {"kind": "zzz"}, {"issued_on": "nope"}, {"number": "9" * 61},
                {"summary": ["x"]}, {"summary": "x" * 2001}, {"council": "x"}, {"issued_on": "2099-01-01"}):
        response = api_client.post(url, {**base, **bad}, format="json")
        assert response.status_code == 400, (bad, response.status_code)
    assert not IssuedDocument.objects.exists()


def test_the_programmes_menu_links_the_register(staff_client):
    html = staff_client.get(reverse("programmes:programme_list")).content.decode()
    assert f'href="{reverse("programmes:issued_list")}"' in html and "Văn bản ban hành" in html
