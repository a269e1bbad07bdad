"""Permission matrix over the core pages and API: another council's object answers 404,
a missing permission 403, a province role reads (not edits) the councils below."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.models import Agency, Body, CouncilRole, Term

LIST_PAGES = ["core:council_list", "core:term_list", "core:body_list", "core:deputy_list", "core:membership_list",
              "core:agency_list", "core:field_list", "core:rule_list", "core:calendar_list"]
OBJECT_PAGES = ["core:deputy_detail", "core:deputy_edit", "core:deputy_delete"]


@pytest.fixture
def records(council, other_council, make_deputy):
    return {"own": make_deputy(council, "Nguyễn Văn Minh"), "other": make_deputy(other_council, "Hồ Văn Khác")}


@pytest.mark.parametrize("name", LIST_PAGES)
def test_staff_sees_every_directory_list(staff_client, name):
    assert staff_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_user_without_a_role_is_refused(client_for, make_user, name):
    response = client_for(make_user("norole")).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["core:deputy_list", "core:agency_list", "core:body_list"])
def test_agency_responder_lacks_the_directory_permission(responder_client, name):
    assert responder_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_another_councils_object_is_not_found(staff_client, records, name):
    assert staff_client.get(reverse(name, args=[records["other"].pk])).status_code == 404


@pytest.mark.parametrize("name", ["core:deputy_edit", "core:deputy_delete"])
def test_viewer_may_read_but_not_edit(viewer_client, records, name):
    assert viewer_client.get(reverse("core:deputy_detail", args=[records["own"].pk])).status_code == 200
    assert viewer_client.get(reverse(name, args=[records["own"].pk])).status_code == 403


def test_users_page_is_for_council_admins(staff_client, admin_client):
    assert staff_client.get(reverse("core:role_list")).status_code == 403
    assert admin_client.get(reverse("core:role_list")).status_code == 200


def test_province_role_reads_but_does_not_edit_commune_records(staff_client, commune, make_deputy):
    deputy = make_deputy(commune, "Đào Thị Xã")
    assert staff_client.get(reverse("core:deputy_detail", args=[deputy.pk])).status_code == 200
    assert staff_client.get(reverse("core:deputy_edit", args=[deputy.pk])).status_code == 403


def test_commune_role_does_not_read_the_province(client_for, make_user, commune, records):
    user = make_user("xa", commune, CouncilRole.Role.STAFF)
    assert client_for(user).get(reverse("core:deputy_detail", args=[records["own"].pk])).status_code == 404


def test_django_admin_is_for_superusers_only(staff_client, client_for, make_user):
    assert staff_client.get("/admin/").status_code == 302
    superuser = make_user("root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    assert client_for(superuser).get("/admin/").status_code == 200


# --- API ---------------------------------------------------------------------------------------

ENDPOINTS = ["councils", "terms", "bodies", "deputies", "memberships", "agencies", "fields", "rules"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_lists_answer(api_client, endpoint):
    assert api_client.get(f"/api/core/{endpoint}/").status_code == 200


def test_api_lists_only_the_users_councils(api_client, records):
    names = [d["full_name"] for d in api_client.get("/api/core/deputies/").json()["results"]]
    assert names == ["Nguyễn Văn Minh"]


def test_api_other_council_404_and_missing_permission_403(api_client, records, responder_user, viewer_client,
                                                          make_user, council):
    assert api_client.get(f"/api/core/deputies/{records['other'].pk}/").status_code == 404
    viewer = APIClient()
    viewer.force_authenticate(make_user("viewer2", council, CouncilRole.Role.VIEWER))
    assert viewer.get(f"/api/core/deputies/{records['own'].pk}/").status_code == 200
    response = viewer.patch(f"/api/core/deputies/{records['own'].pk}/", {"phone": "0900"}, format="json")
    assert response.status_code == 403
    responder = APIClient()
    responder.force_authenticate(responder_user)
    assert responder.get(f"/api/core/deputies/{records['own'].pk}/").status_code == 403
    assert responder.get("/api/core/deputies/").status_code == 403


def test_api_refuses_creating_in_another_council(api_client, other_council, council):
    term = Term.objects.create(council=other_council, numeral="I", start_year=2021, end_year=2026)
    response = api_client.post("/api/core/deputies/", {
        "council": other_council.pk, "term": term.pk, "full_name": "X", "start_date": "2021-06-25"}, format="json")
    assert response.status_code in (400, 403)
    assert not other_council.deputies.exists()


def test_api_token_authentication(staff_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=staff_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/core/deputies/").status_code == 200
    assert APIClient().get("/api/core/deputies/").status_code in (401, 403)


def test_api_schema_and_docs_are_served_locally(staff_client):
    assert staff_client.get("/api/schema/").status_code == 200
    docs = staff_client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_agency_and_body_pages_are_scoped(staff_client, other_council):
    agency = Agency.objects.create(council=other_council, name="Sở khác")
    body = Body.objects.create(council=other_council, kind=Body.Kind.COMMITTEE, name="Ban khác")
    assert staff_client.get(reverse("core:agency_detail", args=[agency.pk])).status_code == 404
    assert staff_client.get(reverse("core:body_edit", args=[body.pk])).status_code == 404


def test_narrowed_keeps_the_order_and_only_the_allowed_ids():
    from hdnd_portal.core.scoping import narrowed

    ids = [7, 3, 9, 1]
    assert narrowed(ids, None) is ids
    assert narrowed(ids, [1, 9, 42]) == [9, 1]
    assert narrowed(ids, ()) == []
