"""Excel import of councils: a dissolved district and its pre-merger communes from one sheet,
through the service every other door uses; every row or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from hdnd_portal.core.models import Council, CouncilRole

pytestmark = pytest.mark.django_db


def _sheet(header, rows, name="hoi-dong.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def header(admin_client):
    response = admin_client.get(reverse("core:council_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # the header and two example rows: a district, then one of its communes
    return list(rows[0])


def _rows(commune):
    return [
        ["Huyện Đông Anh", "Huyện", "Huyện", "017", "", "01/04/1961", "30/06/2025", "", "", "Đông Anh"],
        ["Xã Kim Chung", "xa", "xã", "00520", "017", "", "30/06/2025", "", commune.code, ""],
        ["Thị trấn Đông Anh", "Xã", "Thị trấn", "00490", "017", "", "30/06/2025", "", commune.code, "Đông Anh"],
    ]


def test_a_province_administrator_imports_a_dissolved_district_and_its_communes(admin_client, header, council,
                                                                               commune):
    page = admin_client.get(reverse("core:council_list"))
    assert reverse("core:council_import") in page.content.decode()
    assert admin_client.get(reverse("core:council_import")).status_code == 200
    response = admin_client.post(reverse("core:council_import"), {"file": _sheet(header, _rows(commune))})
    assert response.status_code == 302, response.content.decode()[-3000:]
    district = Council.objects.get(code="017")
    assert (district.parent, district.level, district.unit_kind) == (council, "district", "huyen")
    assert district.is_historical and str(district.dissolved_on) == "2025-06-30"
    kim_chung, town = Council.objects.get(code="00520"), Council.objects.get(code="00490")
    assert kim_chung.parent == district and kim_chung.unit_kind == "xa" and kim_chung.is_historical
    assert town.unit_kind == "thi_tran"
    commune.refresh_from_db()
    assert set(commune.predecessors.all()) == {kim_chung, town}
    assert commune.history.count() >= 3  # created, then a version for each predecessor recorded


def test_one_wrong_row_and_nothing_is_imported_every_wrong_row_listed(admin_client, header, council, commune):
    rows = _rows(commune) + [
        ["Phường Lạ", "Xã", "Huyện", "X999", "", "", "30/06/2025", "", "", ""],  # unit kind of another level
        ["Xã Không Cha", "Xã", "Xã", "X998", "404", "", "30/06/2025", "", "", ""],  # unknown parent
        ["Xã Ngày Sai", "Xã", "Xã", "X997", "017", "", "31/31/2025", "", "", ""],  # not a date
        ["Huyện Mê Linh", "Huyện", "Huyện", "250", "", "", "", "", "", ""],  # a district without its last day
        ["", "Xã", "Xã", "X996", "017", "", "30/06/2025", "", "", ""],  # no name
    ]
    before = Council.objects.count()
    response = admin_client.post(reverse("core:council_import"), {"file": _sheet(header, rows)})
    assert response.status_code == 400
    errors = dict(response.context["result"].errors)
    assert set(errors) == {5, 6, 7, 8, 9}
    assert "404" in errors[6] and "31/31/2025" in errors[7]
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert Council.objects.count() == before
    assert not commune.predecessors.exists()


def test_only_an_administrator_above_may_import_and_a_file_that_is_not_excel_is_refused(make_user, header, council,
                                                                                       commune, other_council):
    from django.test import Client

    staff = Client()
    staff.force_login(make_user("cb", council, CouncilRole.Role.STAFF))
    assert staff.get(reverse("core:council_import")).status_code == 403
    page = staff.get(reverse("core:council_list"))
    assert page.status_code == 200 and reverse("core:council_import") not in page.content.decode()

    admin = make_user("qt", council, CouncilRole.Role.ADMIN)
    api = APIClient()
    api.force_authenticate(admin)
    disguised = SimpleUploadedFile("hoi-dong.xlsx", b"<html><script>alert(1)</script></html>")
    response = api.post("/api/core/councils/import/", {"file": disguised, "council": council.pk}, format="multipart")
    assert response.status_code == 400 and "file" in str(response.json())

    # Another province's council as parent: the service refuses the row, nothing is saved.
    rows = [["Huyện Khác", "Huyện", "Huyện", "D900", other_council.code, "", "30/06/2025", "", "", ""]]
    response = api.post("/api/core/councils/import/", {"file": _sheet(header, rows), "council": council.pk},
                        format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 2
    assert not Council.objects.filter(code="D900").exists()
    # …and named as a successor it reads as unknown: nothing of it is told (not even its name).
    rows = [["Huyện Khác", "Huyện", "Huyện", "D901", "", "", "30/06/2025", "", other_council.code, ""]]
    response = api.post("/api/core/councils/import/", {"file": _sheet(header, rows), "council": council.pk},
                        format="multipart")
    assert response.status_code == 400 and other_council.code in response.json()["errors"][0]["message"]
    assert other_council.name not in response.content.decode()
    assert not other_council.predecessors.exists() and not Council.objects.filter(code="D901").exists()
    response = api.post("/api/core/councils/import/", {"file": _sheet(header, rows), "council": "9" * 40},
                        format="multipart")
    assert response.status_code == 400 and "council" in response.json()

    # A commune's administrator cannot put councils under the province.
    commune_admin = APIClient()
    commune_admin.force_authenticate(make_user("qtx", commune, CouncilRole.Role.ADMIN))
    response = commune_admin.post("/api/core/councils/import/", {"file": _sheet(header, _rows(commune)),
                                                                 "council": council.pk}, format="multipart")
    assert response.status_code == 400 and not Council.objects.filter(code="017").exists()

    response = api.post("/api/core/councils/import/", {"file": _sheet(header, _rows(commune)), "council": council.pk},
                        format="multipart")
    assert response.status_code == 201, response.content
    assert [c["code"] for c in response.json()["created"]] == ["017", "00520", "00490"]


def test_a_province_administrator_creates_a_commune_under_a_dissolved_district_from_the_form(admin_client, council):
    district = Council.objects.create(name="Huyện Sóc Sơn", level="district", unit_kind="huyen", code="016",
                                      parent=council, dissolved_on="2025-06-30")
    form = admin_client.get(reverse("core:council_create")).context["form"]
    assert district in form.fields["parent"].queryset
    response = admin_client.post(reverse("core:council_create"), {
        "name": "Xã Phù Linh", "level": "commune", "unit_kind": "xa", "code": "00400", "parent": district.pk,
        "dissolved_on": "30/06/2025", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Council.objects.get(code="00400").parent == district
