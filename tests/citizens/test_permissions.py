"""Permission matrix: another council's records answer 404, a missing permission 403 — pages and API."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from citizens import services
from citizens.models import ReceptionSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(council, reception_day, make_letter, make_agency):
    schedule = services.schedule_save(
        schedule=ReceptionSchedule(
            council=council, title="Lịch", receiver_kind="chair", location="Lê Lai", valid_from=date(2025, 1, 1)
        )
    )
    visit = services.visit_create(
        day=reception_day,
        kind="complaint",
        citizens=[{"full_name": "A"}],
        content="x",
        outcome="guided",
        new_case_title="Vụ việc",
    )
    letter = make_letter()
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency())
    return {
        "schedule": schedule.pk,
        "day": reception_day.pk,
        "visit": visit.pk,
        "case": visit.case_id,
        "letter": letter.pk,
    }


def object_urls(r):
    return [
        reverse("citizens:schedule_detail", args=[r["schedule"]]),
        reverse("citizens:schedule_edit", args=[r["schedule"]]),
        reverse("citizens:day_detail", args=[r["day"]]),
        reverse("citizens:day_cancel", args=[r["day"]]),
        reverse("citizens:visit_create", args=[r["day"]]),
        reverse("citizens:visit_detail", args=[r["visit"]]),
        reverse("citizens:visit_answer", args=[r["visit"]]),
        reverse("citizens:case_detail", args=[r["case"]]),
        reverse("citizens:letter_detail", args=[r["letter"]]),
        reverse("citizens:letter_decide", args=[r["letter"]]),
        reverse("citizens:letter_extend", args=[r["letter"]]),
        reverse("citizens:letter_forwarding_pdf", args=[r["letter"]]),
    ]


LISTS = ["schedule_list", "day_list", "visit_list", "case_list", "letter_list"]


def test_another_councils_records_answer_404(other_staff_client, records):
    for url in object_urls(records):
        assert other_staff_client.get(url).status_code == 404, url


def test_another_councils_records_are_not_listed(other_staff_client, records):
    for name in LISTS:
        response = other_staff_client.get(reverse(f"citizens:{name}"))
        assert response.status_code == 200 and len(response.context["object_list"]) == 0, name


def test_a_responder_has_no_access(responder_client, records):
    for name in [*LISTS, "statistics", "identity_log"]:
        assert responder_client.get(reverse(f"citizens:{name}")).status_code == 403, name
    assert responder_client.get(reverse("citizens:letter_detail", args=[records["letter"]])).status_code == 403


def test_a_viewer_reads_but_cannot_change(viewer_client, records):
    for name in LISTS:
        assert viewer_client.get(reverse(f"citizens:{name}")).status_code == 200, name
    assert viewer_client.get(reverse("citizens:letter_detail", args=[records["letter"]])).status_code == 200
    for url in (
        reverse("citizens:letter_create"),
        reverse("citizens:schedule_create"),
        reverse("citizens:letter_decide", args=[records["letter"]]),
        reverse("citizens:letter_edit", args=[records["letter"]]),
        reverse("citizens:visit_create", args=[records["day"]]),
        reverse("citizens:day_cancel", args=[records["day"]]),
    ):
        assert viewer_client.get(url).status_code == 403, url
    response = viewer_client.post(reverse("citizens:schedule_publish", args=[records["schedule"]]))
    assert response.status_code == 403


def test_a_deputy_sees_reception_not_letters(deputy_client, records):
    assert deputy_client.get(reverse("citizens:day_list")).status_code == 200
    assert deputy_client.get(reverse("citizens:letter_list")).status_code == 403
    assert deputy_client.get(reverse("citizens:letter_create")).status_code == 403


def test_identity_log_is_for_the_council_admin(admin_client, staff_client, viewer_client):
    assert admin_client.get(reverse("citizens:identity_log")).status_code == 200
    assert staff_client.get(reverse("citizens:identity_log")).status_code == 403
    assert viewer_client.get(reverse("citizens:identity_log")).status_code == 403


def test_anonymous_users_are_sent_to_login(client, records):
    response = client.get(reverse("citizens:letter_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_api_matrix(make_user, council, other_council, records, agency):
    from hdnd_portal.core.models import CouncilRole

    def api(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    staff = api(make_user("s1", council, CouncilRole.Role.STAFF))
    other = api(make_user("o1", other_council, CouncilRole.Role.STAFF))
    viewer = api(make_user("v1", council, CouncilRole.Role.VIEWER))
    responder = api(make_user("r1", council, CouncilRole.Role.RESPONDER, agency=agency))
    for path, pk in (
        ("schedules", "schedule"),
        ("days", "day"),
        ("visits", "visit"),
        ("cases", "case"),
        ("letters", "letter"),
    ):
        assert staff.get(f"/api/citizens/{path}/{records[pk]}/").status_code == 200, path
        assert other.get(f"/api/citizens/{path}/{records[pk]}/").status_code == 404, path
        assert other.get(f"/api/citizens/{path}/").json()["results"] == [], path
        assert viewer.get(f"/api/citizens/{path}/").status_code == 200, path
        assert responder.get(f"/api/citizens/{path}/").status_code == 403, path
    assert (
        viewer.post(
            f"/api/citizens/letters/{records['letter']}/extend/", {"legal_basis": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        viewer.post("/api/citizens/letters/", {"council": council.pk, "kind": "complaint"}, format="json").status_code
        == 403
    )
    assert other.post(f"/api/citizens/letters/{records['letter']}/decide/", {}, format="json").status_code == 404
    assert staff.get("/api/citizens/identity-log/").status_code == 403
    assert staff.get("/api/citizens/statistics/", {"council": council.pk}).status_code == 200
    assert other.get("/api/citizens/statistics/", {"council": council.pk}).status_code == 403
