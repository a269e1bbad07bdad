"""Every page renders for staff; forms save through the services; bad input is shown beside the field."""

from datetime import date

import pytest
from django.urls import reverse

from citizens import services
from citizens.models import Case, Letter, ReceptionSchedule, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(council, make_deputy, reception_day, make_letter, agency, land):
    deputy = make_deputy(council, "Đỗ Văn Tiếp")
    schedule = services.schedule_save(
        schedule=ReceptionSchedule(
            council=council, title="Lịch 2025", receiver_kind="deputies", location="Lê Lai", valid_from=date(2025, 1, 1)
        ),
        receivers=[deputy],
    )
    reception_day.receivers.add(deputy)
    visit = services.visit_create(
        day=reception_day,
        kind="complaint",
        citizens=[{"full_name": "Vũ Thị Dân"}],
        content="Đền bù đất",
        outcome="letter",
        new_case_title="Đền bù thôn Đông",
    )
    letter = make_letter(case=visit.case, visit=visit, field=land)
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=agency)
    return {
        "schedule": schedule,
        "day": reception_day,
        "visit": visit,
        "case": visit.case,
        "letter": letter,
        "deputy": deputy,
    }


def test_every_page_renders_for_staff(staff_client, world):
    pk = {
        "schedule": world["schedule"].pk,
        "day": world["day"].pk,
        "visit": world["visit"].pk,
        "case": world["case"].pk,
        "letter": world["letter"].pk,
    }
    urls = [
        reverse(f"citizens:{name}")
        for name in (
            "schedule_list",
            "schedule_create",
            "day_list",
            "day_create",
            "visit_list",
            "case_list",
            "case_create",
            "letter_list",
            "letter_create",
            "statistics",
        )
    ]
    urls += [reverse(f"citizens:schedule_{n}", args=[pk["schedule"]]) for n in ("detail", "edit", "generate")]
    urls += [reverse(f"citizens:day_{n}", args=[pk["day"]]) for n in ("detail", "edit", "cancel", "substitute")]
    urls += [reverse("citizens:visit_create", args=[pk["day"]])]
    urls += [reverse(f"citizens:visit_{n}", args=[pk["visit"]]) for n in ("detail", "edit", "answer")]
    urls += [reverse(f"citizens:case_{n}", args=[pk["case"]]) for n in ("detail", "edit")]
    urls += [
        reverse(f"citizens:letter_{n}", args=[pk["letter"]])
        for n in (
            "detail",
            "edit",
            "decide",
            "accept",
            "extend",
            "result",
            "report",
            "notify",
            "split",
            "duplicate",
            "scan_upload",
        )
    ]
    urls += [reverse("citizens:letter_create") + f"?visit={pk['visit']}", reverse("home")]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    for export in ("schedule_list", "day_list", "visit_list", "case_list", "letter_list"):
        response = staff_client.get(reverse(f"citizens:{export}") + "?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), export


def test_navigation_links_every_list(staff_client, world):
    html = staff_client.get(reverse("home")).content.decode()
    for name in ("schedule_list", "day_list", "visit_list", "case_list", "letter_list", "letter_create", "statistics"):
        assert reverse(f"citizens:{name}") in html, name


def test_public_schedule_shows_only_published(client, world):
    url = reverse("citizens:public_schedule", args=[world["schedule"].council_id])
    assert "Lịch 2025" not in client.get(url).content.decode()
    services.schedule_publish(schedule=world["schedule"])
    assert "Lịch 2025" in client.get(url).content.decode()


def test_register_a_letter_through_the_page(staff_client, council, land):
    response = staff_client.post(
        reverse("citizens:letter_create"),
        {
            "received_on": "03/03/2025",
            "letter_date": "01/03/2025",
            "channel": "post",
            "kind": "complaint",
            "field": land.pk,
            "subject": "Khiếu nại thu hồi đất",
            "content": "",
            "is_signed": "on",
            "has_address": "on",
            "people-TOTAL_FORMS": "2",
            "people-INITIAL_FORMS": "0",
            "people-0-full_name": "Trần Văn Gửi",
            "people-0-address": "Hà Nội",
            "people-1-full_name": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    letter = Letter.objects.get()
    assert letter.register_number == "01/2025" and letter.senders.get().full_name == "Trần Văn Gửi"


def test_a_letter_without_a_kind_gets_a_message_beside_the_field(staff_client):
    response = staff_client.post(
        reverse("citizens:letter_create"),
        {
            "received_on": "03/03/2025",
            "channel": "post",
            "kind": "",
            "subject": "x",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-full_name": "A",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Letter.objects.exists()


def test_record_a_group_visit_through_the_page(staff_client, reception_day):
    data = {
        "kind": "complaint",
        "citizen_count": "7",
        "content": "Đền bù",
        "outcome": "guided",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-0-full_name": "Đại diện Một",
        "people-0-is_representative": "on",
        "people-1-full_name": "Đại diện Hai",
        "people-1-is_representative": "on",
        "people-2-full_name": "Đại diện Ba",
        "people-2-is_representative": "on",
    }
    url = reverse("citizens:visit_create", args=[reception_day.pk])
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "Luật Tiếp công dân" in response.content.decode()
    assert not Visit.objects.exists()
    data["people-2-is_representative"] = ""
    response = staff_client.post(url, data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.is_group and visit.citizen_count == 7 and visit.citizens.count() == 3


def test_decide_through_the_page_and_download_the_pdf(staff_client, make_letter, agency):
    letter = make_letter()
    response = staff_client.post(
        reverse("citizens:letter_decide", args=[letter.pk]),
        {"decision": "forward", "decided_on": "05/03/2025", "forwarded_to": agency.pk, "_version": letter.version},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.forward_doc_number == "01/PC-HĐND"
    pdf = staff_client.get(reverse("citizens:letter_forwarding_pdf", args=[letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_case_counts(staff_client, world):
    case = Case.objects.get()
    response = staff_client.get(reverse("citizens:case_list"))
    row = response.context["object_list"][0]
    assert (row.visit_count, row.letter_count, row.citizen_total) == (1, 1, 1)
    assert row == case


def test_admin_lists_records_but_not_identities(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.vn", "pw-12345-test")
    client.force_login(admin)
    for name in ("letter", "case", "receptionday", "receptionschedule", "identityviewlog"):
        assert client.get(f"/admin/citizens/{name}/").status_code == 200, name
    assert client.get("/admin/citizens/lettersender/").status_code == 404
    assert client.get(f"/admin/citizens/letter/{world['letter'].pk}/change/").status_code == 200
