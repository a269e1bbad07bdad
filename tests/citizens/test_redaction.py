"""Denouncer protection: the identity never reaches a reader without the explicit permission —
not in the detail page, list, search, Excel export, PDF or API — and every disclosure to a
reader with it is logged and visible to the council administrator."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from citizens import services
from citizens.models import IdentityViewLog, Letter
from citizens.pdf import forwarding_html
from hdnd_portal.core import permissions
from hdnd_portal.core.models import CouncilRole

pytestmark = pytest.mark.django_db

NAME, ADDRESS, PHONE = "Lê Thị Tốcáo", "Số 5 ngõ 12 Đông Anh", "0912345678"


def secrets_in(text: str) -> list[str]:
    from hdnd_portal.core.search import fold

    folded = fold(text)
    return [s for s in (NAME, ADDRESS, PHONE) if s in text or fold(s) in folded]


@pytest.fixture
def forwarded(denunciation, make_agency):
    services.letter_decide(
        letter=denunciation, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency()
    )
    denunciation.refresh_from_db()
    return denunciation


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_permission_is_explicit_only(make_user, council):
    assert "can_view_denouncer_identity" in permissions.EXPLICIT_ONLY
    admin = make_user("admin2", council, CouncilRole.Role.ADMIN)
    from hdnd_portal.core.scoping import Access

    assert not Access(admin).has(council.id, "can_view_denouncer_identity")


def test_search_text_of_a_denunciation_does_not_hold_the_name(denunciation, make_letter):
    assert secrets_in(denunciation.search_text) == []
    complaint = make_letter(senders=[{"full_name": "Nguyễn Văn Khiếu", "address": "Phường Đông Anh"}])
    assert "nguyen van khieu" in complaint.search_text


def test_redacted_everywhere_for_staff_without_the_permission(staff_client, forwarded):
    detail = staff_client.get(reverse("citizens:letter_detail", args=[forwarded.pk]))
    assert detail.status_code == 200 and secrets_in(detail.content.decode()) == []
    revealed = staff_client.get(reverse("citizens:letter_detail", args=[forwarded.pk]) + "?reveal=1")
    assert secrets_in(revealed.content.decode()) == []
    listing = staff_client.get(reverse("citizens:letter_list"))
    assert forwarded in listing.context["object_list"] and secrets_in(listing.content.decode()) == []
    for query in ("Tốcáo", "to cao le thi", "0912345678", "ngo 12"):
        found = staff_client.get(reverse("citizens:letter_list"), {"q": query})
        assert list(found.context["object_list"]) == [], query
    assert list(staff_client.get(reverse("citizens:letter_list"), {"q": "dia chinh"}).context["object_list"]) == [
        forwarded
    ]
    export = staff_client.get(reverse("citizens:letter_list") + "?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert forwarded.register_number in cells and secrets_in(cells) == []
    edit = staff_client.get(reverse("citizens:letter_edit", args=[forwarded.pk]))
    assert secrets_in(edit.content.decode()) == []
    assert secrets_in(forwarding_html(forwarded)) == []
    pdf = staff_client.get(reverse("citizens:letter_forwarding_pdf", args=[forwarded.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert not IdentityViewLog.objects.exists()


def test_redacted_in_the_api_for_staff_without_the_permission(staff_user, forwarded):
    client = api_for(staff_user)
    listing = client.get("/api/citizens/letters/")
    assert listing.status_code == 200 and secrets_in(listing.content.decode()) == []
    detail = client.get(f"/api/citizens/letters/{forwarded.pk}/")
    assert detail.status_code == 200 and secrets_in(detail.content.decode()) == []
    assert detail.json()["senders"][0]["full_name"] != NAME
    assert client.get("/api/citizens/letters/", {"q": "Tốcáo"}).json()["results"] == []
    assert not IdentityViewLog.objects.exists()


def test_a_protected_visit_is_redacted_too(staff_client, staff_user, reception_day):
    visit = services.visit_create(
        day=reception_day,
        kind="denunciation",
        content="Tố cáo cán bộ",
        citizens=[{"full_name": NAME, "address": ADDRESS}],
        outcome="letter",
    )
    assert secrets_in(visit.search_text) == []
    for url in (
        reverse("citizens:visit_detail", args=[visit.pk]),
        reverse("citizens:visit_list"),
        reverse("citizens:day_detail", args=[reception_day.pk]),
        reverse("citizens:visit_edit", args=[visit.pk]),
    ):
        assert secrets_in(staff_client.get(url).content.decode()) == [], url
    export = staff_client.get(reverse("citizens:visit_list") + "?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    assert secrets_in(" ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value)) == []
    assert secrets_in(api_for(staff_user).get(f"/api/citizens/visits/{visit.pk}/").content.decode()) == []


def test_reader_with_the_permission_sees_it_and_each_view_is_logged(
    identity_user, client_for, forwarded, admin_client, staff_client
):
    client = client_for(identity_user)
    url = reverse("citizens:letter_detail", args=[forwarded.pk])
    plain = client.get(url)
    assert secrets_in(plain.content.decode()) == [] and plain.context["may_reveal"]
    assert not IdentityViewLog.objects.exists()  # opening the page is not a disclosure
    shown = client.get(url + "?reveal=1").content.decode()
    assert NAME in shown and ADDRESS in shown
    detail = api_for(identity_user).get(f"/api/citizens/letters/{forwarded.pk}/").json()
    assert detail["senders"][0]["full_name"] == NAME
    # lists stay redacted even for the permitted reader (a list view is not a logged disclosure)
    assert secrets_in(client.get(reverse("citizens:letter_list")).content.decode()) == []
    logs = list(IdentityViewLog.objects.order_by("viewed_at"))
    assert [(log.user, log.letter, log.via) for log in logs] == [
        (identity_user, forwarded, "page"),
        (identity_user, forwarded, "api"),
    ]
    log_page = admin_client.get(reverse("citizens:identity_log"))
    assert log_page.status_code == 200
    assert str(identity_user) in log_page.content.decode() and forwarded.register_number in log_page.content.decode()
    assert staff_client.get(reverse("citizens:identity_log")).status_code == 403


def test_complaint_senders_are_not_protected(staff_client, make_letter):
    letter = make_letter()
    assert "Nguyễn Văn Khiếu" in staff_client.get(reverse("citizens:letter_detail", args=[letter.pk])).content.decode()
    assert list(
        staff_client.get(reverse("citizens:letter_list"), {"q": "nguyen van khieu"}).context["object_list"]
    ) == [letter]
    assert not IdentityViewLog.objects.exists()


def test_staff_without_the_permission_cannot_overwrite_the_identity(staff_client, forwarded):
    response = staff_client.post(
        reverse("citizens:letter_edit", args=[forwarded.pk]),
        {
            "received_on": "03/03/2025",
            "channel": "post",
            "kind": "denunciation",
            "subject": "Tố cáo sửa",
            "is_signed": "on",
            "has_address": "on",
            "_version": forwarded.version,
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-full_name": "Kẻ Mạo Danh",
        },
    )
    assert response.status_code == 302
    assert list(Letter.objects.get(pk=forwarded.pk).senders.values_list("full_name", flat=True)) == [NAME]
