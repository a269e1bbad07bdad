from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from voters.importer import COLUMNS, petition_import
from voters.models import Petition, PetitionSource

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(c[1]) for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "kien-nghi.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOOD = [
    "Đề nghị nâng cấp đường tỉnh 35",
    "Kiến nghị",
    "Giao thông",
    "Xã Đông Anh",
    "Tỉnh",
    "",
    "05/01/2026",
    "",
    "Trần Thị Bình",
    "không",
]

PLAIN = GOOD[:8] + ["", "không"]


def test_a_valid_file_imports_every_row(council, urban_committee, field_roads, make_deputy, make_meeting):
    deputy = make_deputy(council, "Trần Thị Bình")
    meeting = make_meeting(council)
    second = list(GOOD)
    second[0], second[1], second[7], second[9] = "Ý kiến về chợ tạm", "ý kiến", str(meeting.pk), "có"
    result = petition_import(council=council, uploaded=_xlsx([GOOD, second]))
    assert result.ok and result.created == 2
    first, other = Petition.objects.order_by("pk")
    assert first.committee == urban_committee and list(first.deputies.all()) == [deputy]
    assert other.kind == "opinion" and other.is_urgent and other.meetings.get() == meeting
    assert first.history.count() == 1  # history kept for bulk inserts
    assert first.search_text


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(council, field_roads, make_deputy):
    make_deputy(council, "Trần Thị Bình")
    bad_date = list(GOOD)
    bad_date[6] = "32/13/2026"
    bad_many = ["", "thư", "Vũ trụ", "", "Sao Hỏa", "Ban Không Có", "", "999999", "Người Lạ", "có lẽ"]
    result = petition_import(council=council, uploaded=_xlsx([GOOD, bad_date, GOOD, bad_many]))
    assert not result.ok and result.created == 0
    assert [line for line, _m in result.errors] == [3, 5]
    message = result.errors[1][1]
    for word in ("Vũ trụ", "Sao Hỏa", "Ban Không Có", "999999", "Người Lạ", "có lẽ"):
        assert word in message
    assert Petition.objects.count() == 0 and PetitionSource.objects.count() == 0


def test_a_wrong_header_is_refused(council):
    workbook = Workbook()
    workbook.active.append(["Nội dung", "Khác"])
    workbook.active.append(["x", "y"])
    buffer = BytesIO()
    workbook.save(buffer)
    result = petition_import(council=council, uploaded=SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert not result.ok and result.errors[0][0] == 1


def test_import_page_reports_rows_and_writes_nothing(staff_client, council, field_roads):
    bad = list(PLAIN)
    bad[0] = ""
    response = staff_client.post(reverse("voters:petition_import"), {"file": _xlsx([PLAIN, bad])})
    assert response.status_code == 400
    assert response.context["result"].errors[0][0] == 3
    assert Petition.objects.count() == 0
    good = staff_client.post(reverse("voters:petition_import"), {"file": _xlsx([PLAIN, PLAIN])})
    assert good.status_code == 302 and Petition.objects.count() == 2


def test_import_refuses_a_file_that_is_not_excel(staff_client):
    fake = SimpleUploadedFile("x.xlsx", b"not a zip at all")
    response = staff_client.post(reverse("voters:petition_import"), {"file": fake})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_import_through_the_api(api_client, council, field_roads):
    response = api_client.post(
        "/api/voters/petitions/import/", {"council": council.pk, "file": _xlsx([PLAIN])}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["created"] == 1
