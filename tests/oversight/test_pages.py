"""Every oversight page and endpoint: it works for staff, answers 404 for another council's
record, 403 without the permission; responders see only their agency's items."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.models import CouncilRole
from oversight.models import (
    Post,
)

pytestmark = pytest.mark.django_db


LISTS = [
    "programme_list",
    "activity_list",
    "recommendation_list",
    "questioning_list",
    "explanation_list",
    "commitment_list",
    "requestioning",
    "confidence_list",
    "deputy_list",
]
CREATES = [
    "programme_create",
    "activity_create",
    "recommendation_create",
    "questioning_create",
    "explanation_create",
    "commitment_create",
    "confidence_create",
]


def details(w):
    return [
        ("programme_detail", w["programme"]),
        ("activity_detail", w["activity"]),
        ("recommendation_detail", w["rec"]),
        ("questioning_detail", w["qs"]),
        ("explanation_detail", w["explanation"]),
        ("commitment_detail", w["commitment"]),
        ("confidence_detail", w["vote"]),
        ("deputy_record", w["deputy"]),
    ]


def changes(w):
    return [
        ("programme_edit", w["programme"]),
        ("topic_add", w["programme"]),
        ("topic_edit", w["topic"]),
        ("activity_edit", w["activity"]),
        ("recommendation_add", w["activity"]),
        ("recommendation_edit", w["rec"]),
        ("questioning_edit", w["qs"]),
        ("group_add", w["qs"]),
        ("respondent_add", w["qs"]),
        ("question_add", w["qs"]),
        ("question_answer", w["question"]),
        ("explanation_edit", w["explanation"]),
        ("commitment_edit", w["commitment"]),
        ("milestone_add", w["commitment"]),
        ("milestone_edit", w["milestone"]),
        ("confidence_edit", w["vote"]),
        ("subject_add", w["vote"]),
        ("subject_edit", w["subject"]),
    ]


def test_staff_open_every_page(staff_client, world):
    for name in LISTS + CREATES:
        response = staff_client.get(reverse(f"oversight:{name}"))
        assert response.status_code == 200, name
        assert (
            staff_client.get(reverse(f"oversight:{name}") + "?export=xlsx").status_code == 200
            if name in LISTS
            else True
        )
    for name, obj in (
        details(world)
        + changes(world)
        + [("recommendation_report", world["rec"]), ("commitment_progress", world["commitment"])]
    ):
        assert staff_client.get(reverse(f"oversight:{name}", args=[obj.pk])).status_code == 200, name
    pdf = staff_client.get(reverse("oversight:confidence_pdf", args=[world["vote"].pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_councils_records_answer_404(other_staff_client, world):
    for name, obj in details(world) + changes(world):
        assert other_staff_client.get(reverse(f"oversight:{name}", args=[obj.pk])).status_code == 404, name


def test_a_viewer_reads_but_cannot_change(viewer_client, world):
    for name in LISTS:
        assert viewer_client.get(reverse(f"oversight:{name}")).status_code == 200, name
    for name, obj in details(world):
        assert viewer_client.get(reverse(f"oversight:{name}", args=[obj.pk])).status_code == 200, name
    for name in CREATES:
        assert viewer_client.get(reverse(f"oversight:{name}")).status_code == 403, name
    for name, obj in changes(world) + [
        ("recommendation_report", world["rec"]),
        ("recommendation_evaluate", world["rec"]),
    ]:
        assert viewer_client.get(reverse(f"oversight:{name}", args=[obj.pk])).status_code == 403, name


def test_a_responder_sees_only_its_own_agencys_items(responder_client, world):
    page = responder_client.get(reverse("oversight:recommendation_list"))
    assert page.status_code == 200
    assert list(page.context["object_list"]) == [world["rec"]]
    page = responder_client.get(reverse("oversight:commitment_list"))
    assert list(page.context["object_list"]) == [world["commitment"]]
    assert responder_client.get(reverse("oversight:recommendation_detail", args=[world["rec"].pk])).status_code == 200
    assert responder_client.get(reverse("oversight:recommendation_report", args=[world["rec"].pk])).status_code == 200
    for name, obj in [
        ("recommendation_detail", world["other_rec"]),
        ("recommendation_report", world["other_rec"]),
        ("commitment_detail", world["other_commitment"]),
        ("commitment_progress", world["other_commitment"]),
    ]:
        assert responder_client.get(reverse(f"oversight:{name}", args=[obj.pk])).status_code == 404, name
    # The rest of the council's oversight is not theirs to read.
    for name in ["programme_list", "activity_list", "questioning_list", "confidence_list", "deputy_list"]:
        assert responder_client.get(reverse(f"oversight:{name}")).status_code == 403, name
    assert responder_client.get(reverse("oversight:activity_detail", args=[world["activity"].pk])).status_code == 403
    assert responder_client.get(reverse("oversight:recommendation_evaluate", args=[world["rec"].pk])).status_code == 403


# --- API ------------------------------------------------------------------------------------

ENDPOINTS = [
    "programmes",
    "topics",
    "activities",
    "recommendations",
    "questioning-sessions",
    "issue-groups",
    "respondents",
    "questions",
    "explanation-sessions",
    "commitments",
    "confidence-votes",
    "confidence-subjects",
    "respondent-reports",
]


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_and_404_for_another_council(api_client, make_user, other_council, world):
    for endpoint in ENDPOINTS:
        assert api_client.get(f"/api/oversight/{endpoint}/").status_code == 200, endpoint
    other = _api(make_user("khac2", other_council, CouncilRole.Role.STAFF))
    for endpoint, obj in [
        ("activities", world["activity"]),
        ("recommendations", world["rec"]),
        ("commitments", world["commitment"]),
        ("questioning-sessions", world["qs"]),
        ("confidence-votes", world["vote"]),
        ("programmes", world["programme"]),
    ]:
        assert api_client.get(f"/api/oversight/{endpoint}/{obj.pk}/").status_code == 200, endpoint
        assert other.get(f"/api/oversight/{endpoint}/{obj.pk}/").status_code == 404, endpoint
        assert other.patch(f"/api/oversight/{endpoint}/{obj.pk}/", {}, format="json").status_code == 404, endpoint


def test_api_refuses_writes_without_the_permission(make_user, council, world):
    viewer = _api(make_user("xem2", council, CouncilRole.Role.VIEWER))
    assert viewer.get("/api/oversight/activities/").status_code == 200
    assert (
        viewer.post(
            "/api/oversight/programmes/", {"council": council.pk, "year": 2026, "title": "X"}, format="json"
        ).status_code
        == 403
    )
    assert (
        viewer.patch(f"/api/oversight/activities/{world['activity'].pk}/", {"topic": "Y"}, format="json").status_code
        == 403
    )
    assert (
        viewer.post(
            f"/api/oversight/recommendations/{world['rec'].pk}/report/", {"status": "done", "text": "x"}, format="json"
        ).status_code
        == 403
    )


def test_api_responder_sees_and_reports_only_for_its_agency(responder_user, world):
    client = _api(responder_user)
    listed = client.get("/api/oversight/recommendations/").json()
    assert [r["id"] for r in listed["results"]] == [world["rec"].pk]
    assert [c["id"] for c in client.get("/api/oversight/commitments/").json()["results"]] == [world["commitment"].pk]
    assert client.get(f"/api/oversight/recommendations/{world['other_rec'].pk}/").status_code == 404
    assert (
        client.post(
            f"/api/oversight/recommendations/{world['other_rec'].pk}/report/",
            {"status": "done", "text": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert client.get("/api/oversight/activities/").status_code == 403
    response = client.post(
        f"/api/oversight/recommendations/{world['rec'].pk}/report/",
        {"status": "in_progress", "text": "Đang triển khai"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (
        client.post(
            f"/api/oversight/recommendations/{world['rec'].pk}/evaluate/", {"accepted": True}, format="json"
        ).status_code
        == 403
    )


def test_api_writes_go_through_the_services(api_client, council, agency, world):
    response = api_client.post(
        "/api/oversight/commitments/",
        {
            "council": council.pk,
            "agency": agency.pk,
            "official_name": "A",
            "official_title": "B",
            "text": "C",
            "made_on": "2025-07-10",
            "deadline": "2025-07-01",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "deadline"
    response = api_client.post(
        "/api/oversight/respondents/",
        {"questioning_session": world["qs"].pk, "official_name": "X", "post": "other", "agency": agency.pk},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "post"
    response = api_client.post(
        "/api/oversight/confidence-subjects/",
        {
            "vote": world["vote"].pk,
            "full_name": "X",
            "post": "Y",
            "valid_ballots": 30,
            "high": 20,
            "confidence": 8,
            "low": 3,
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "low"
    response = api_client.post(
        "/api/oversight/recommendations/",
        {
            "activity": world["activity"].pk,
            "agency": agency.pk,
            "text": "Mới",
            "deadline": "2025-12-01",
            "issued_on": "2025-06-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    rec_id = response.json()["id"]
    assert (
        api_client.post(
            f"/api/oversight/recommendations/{rec_id}/report/", {"status": "done", "text": "Xong"}, format="json"
        ).status_code
        == 201
    )
    version = api_client.get(f"/api/oversight/recommendations/{rec_id}/").json()["version"]
    evaluated = api_client.post(
        f"/api/oversight/recommendations/{rec_id}/evaluate/", {"accepted": True, "version": version}, format="json"
    )
    assert evaluated.status_code == 200 and evaluated.json()["evaluation"] == "accepted"
    refused = api_client.post(
        f"/api/oversight/recommendations/{rec_id}/report/", {"status": "done", "text": "x"}, format="json"
    )
    assert refused.status_code == 400
    stale = api_client.patch(
        f"/api/oversight/activities/{world['activity'].pk}/", {"topic": "Z", "version": 0}, format="json"
    )
    assert stale.status_code == 409


def test_the_home_page_shows_oversight_cards(staff_client, responder_client, world):
    content = staff_client.get("/").content.decode()
    assert "Kiến nghị quá hạn" in content and "Cam kết chậm thực hiện" in content
    assert "Hoạt động giám sát trong năm" in content
    responder_home = responder_client.get("/").content.decode()
    assert "Kiến nghị quá hạn" in responder_home
    assert "Hoạt động giám sát trong năm" not in responder_home  # only their agency's figures


def test_bad_input_shows_beside_the_field_and_saves_nothing(staff_client, agency, world):
    from oversight.models import Commitment

    before = Commitment.objects.count()
    response = staff_client.post(
        reverse("oversight:commitment_create"),
        {
            "agency": agency.pk,
            "official_name": "Lê Văn Cường",
            "official_title": "Giám đốc",
            "text": "Hứa",
            "made_on": "10/07/2025",
            "deadline": "01/07/2025",
        },
    )
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert Commitment.objects.count() == before
    response = staff_client.post(
        reverse("oversight:respondent_add", args=[world["qs"].pk]),
        {"official_name": "Ngô Văn Hải", "post": Post.DEPUTY_DEPARTMENT_HEAD, "agency": agency.pk},
    )
    assert "post" in response.context["form"].errors
    assert "Điều 96" in response.context["form"].errors["post"][0]


def test_staff_records_a_commitment_from_a_question(staff_client, world):
    question = world["question"]
    url = reverse("oversight:commitment_create") + f"?source=question:{question.pk}"
    page = staff_client.get(url)
    assert page.context["form"].initial["agency"] == question.respondent.agency_id
    response = staff_client.post(
        url,
        {
            "agency": question.respondent.agency_id,
            "official_name": "Lê Văn Cường",
            "official_title": "Giám đốc",
            "text": "Hoàn thành cải tạo chung cư trong năm 2026",
            "made_on": "10/07/2025",
            "deadline": "31/12/2026",
            "deputies": [question.deputy_id],
        },
    )
    assert response.status_code == 302
    from oversight.models import Commitment

    created = Commitment.objects.latest("pk")
    assert created.source == question and list(created.deputies.all()) == [question.deputy]


def test_the_requestioning_page_tracks_the_reports_owed_before_the_session(staff_client, world, make_council_session):
    import time_machine

    from hdnd_portal.core.models import Deadline

    with time_machine.travel(date(2025, 10, 1)):
        make_council_session(start=date(2026, 1, 20))
        page = staff_client.get(reverse("oversight:requestioning"))
        assert world["commitment"] in list(page.context["object_list"])
        response = staff_client.post(reverse("oversight:requestioning"))
        assert response.status_code == 302
    # 10 days before 20/01/2026 is Saturday 10/01: the report is owed on Friday 09/01.
    assert Deadline.objects.filter(kind="question.report_before_session", due_date=date(2026, 1, 9)).count() == 1
