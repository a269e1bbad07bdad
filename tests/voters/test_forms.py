from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voters import services
from voters.models import Petition, VoterMeeting

pytestmark = pytest.mark.django_db


def test_meeting_created_from_the_page_with_its_minutes(staff_client, council, group, make_deputy):
    deputy = make_deputy(council, "Ngô Thị Mai")
    minutes = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = staff_client.post(
        reverse("voters:meeting_create"),
        {
            "kind": "before_session",
            "title": "TXCT trước kỳ họp",
            "date": "10/01/2026",
            "group": group.pk,
            "deputies": [deputy.pk],
            "voter_count": "140",
            "place": "Nhà văn hóa",
            "minutes": minutes,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = VoterMeeting.objects.get()
    assert meeting.minutes.name.endswith(".pdf") and list(meeting.deputies.all()) == [deputy]


def test_minutes_with_a_false_extension_are_refused(staff_client, council):
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = staff_client.post(
        reverse("voters:meeting_create"),
        {"kind": "before_session", "date": "10/01/2026", "voter_count": "10", "minutes": fake},
    )
    assert response.status_code == 200 and response.context["form"].errors["minutes"]
    assert not VoterMeeting.objects.exists()


def test_outside_meeting_without_request_date_shows_the_error_beside_the_field(staff_client):
    response = staff_client.post(
        reverse("voters:meeting_create"),
        {"kind": "thematic", "date": "16/03/2026", "voter_count": "10", "outside_constituency": "on"},
    )
    assert response.status_code == 200 and response.context["form"].errors["outside_requested_on"]


def test_petition_created_from_the_page_takes_the_committee_of_its_field(
    staff_client, council, urban_committee, field_roads
):
    response = staff_client.post(
        reverse("voters:petition_create"),
        {
            "content": "Đề nghị mở rộng đường",
            "kind": "petition",
            "field": field_roads.pk,
            "level": "province",
            "received_on": "05/01/2026",
        },
    )
    assert response.status_code == 302
    assert Petition.objects.get().committee == urban_committee


def test_evaluation_page(staff_client, council, agency, make_petition):
    petition = make_petition(council)
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    services.petition_answer(
        petition=Petition.objects.get(pk=petition.pk), status="resolved", text="Xong", response_date=date(2026, 3, 5)
    )
    url = reverse("voters:petition_evaluate", args=[petition.pk])
    assert staff_client.get(url).status_code == 200
    petition.refresh_from_db()
    version = petition.version
    early = staff_client.post(url, {"evaluation": "satisfactory", "on": "01/03/2026", "_version": version})
    assert early.status_code == 400 and early.context["form"].errors["on"]
    ok = staff_client.post(
        url, {"evaluation": "unsatisfactory", "needs_follow_up": "on", "on": "20/03/2026", "_version": version}
    )
    assert ok.status_code == 302
    petition.refresh_from_db()
    assert petition.evaluation == "unsatisfactory" and petition.needs_follow_up


def test_stale_edit_of_a_petition_is_refused(staff_client, council, make_petition):
    petition = make_petition(council)
    url = reverse("voters:petition_edit", args=[petition.pk])
    data = {
        "content": "Nội dung mới",
        "kind": "petition",
        "level": "province",
        "received_on": "10/01/2026",
        "_version": petition.version,
    }
    assert staff_client.post(url, data).status_code == 302
    stale = staff_client.post(url, {**data, "content": "Ghi đè"})
    assert stale.status_code == 200
    petition.refresh_from_db()
    assert petition.content == "Nội dung mới"


@pytest.mark.parametrize("rows", [10, 60])
def test_letter_and_my_petition_lists_are_bounded(
    staff_client, deputy_client, deputy_user, council, agency, rows, django_assert_max_num_queries
):
    deputy = deputy_user.council_roles.get().deputy
    petitions = [
        services.petition_create(
            council=council, content=f"Kiến nghị {i}", deputies=[deputy], received_on=date(2026, 1, 5)
        )
        for i in range(rows)
    ]
    for p in petitions[:5]:
        services.petition_forward(council=council, petitions=[p], agency=agency, on=date(2026, 2, 2))
    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse("voters:letter_list")).status_code == 200
    with django_assert_max_num_queries(15):
        response = deputy_client.get(reverse("voters:my_petitions"))
    assert len(response.context["object_list"]) == min(rows, 50)
