"""Core as a hostile user would try it: a commune administrator reaching for the province, self-grants
of the denouncer-identity permission, records moved between councils, updates without a valid
version, the council switcher, formula injection in exports, and reads across councils."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hdnd_portal.core.models import Agency, Body, Council, CouncilRole, Deputy, PermissionGrant, Rule, Term
from hdnd_portal.core.scoping import get_access

IDENTITY = "can_view_denouncer_identity"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def commune_admin(make_user, commune):
    return make_user("quantrixa", commune, CouncilRole.Role.ADMIN)


@pytest.fixture
def province_admin(make_user, council, commune):
    """An administrator of the province who also administers the commune (a province role alone
    reads, never edits, the councils below it — roles included)."""
    user = make_user("quantritinh", council, CouncilRole.Role.ADMIN)
    CouncilRole.objects.create(user=user, council=commune, role=CouncilRole.Role.ADMIN)
    return user


@pytest.fixture
def commune_staff(make_user, commune):
    return make_user("canboxa", commune, CouncilRole.Role.STAFF)


def role_of(user, council) -> CouncilRole:
    return CouncilRole.objects.get(user=user, council=council)


# --- Roles ----------------------------------------------------------------------------------------


def test_a_commune_admin_cannot_move_their_own_role_to_the_province(commune_admin, commune, council):
    role = role_of(commune_admin, commune)
    response = api(commune_admin).patch(f"/api/core/roles/{role.pk}/", {"council": council.pk, "version": role.version},
                                        format="json")
    assert response.status_code in (400, 403)
    role.refresh_from_db()
    assert role.council_id == commune.pk
    assert not CouncilRole.objects.filter(user=commune_admin, council=council).exists()


def test_an_admin_cannot_grant_themselves_the_identity_permission(commune_admin, commune):
    role = role_of(commune_admin, commune)
    response = api(commune_admin).patch(f"/api/core/roles/{role.pk}/",
                                        {"extra_permissions": [IDENTITY], "version": role.version}, format="json")
    assert response.status_code == 403
    role.refresh_from_db()
    assert IDENTITY not in (role.extra_permissions or [])
    assert not PermissionGrant.objects.filter(permission=IDENTITY).exists()


def test_only_a_higher_level_admin_grants_the_identity_permission(commune_admin, province_admin, commune_staff,
                                                                  commune):
    role = role_of(commune_staff, commune)
    body = {"extra_permissions": [IDENTITY], "version": role.version}
    response = api(commune_admin).patch(f"/api/core/roles/{role.pk}/", body, format="json")
    assert response.status_code == 403
    role.refresh_from_db()
    assert IDENTITY not in (role.extra_permissions or [])

    response = api(province_admin).patch(f"/api/core/roles/{role.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    role.refresh_from_db()
    assert IDENTITY in role.extra_permissions
    assert PermissionGrant.objects.filter(user=commune_staff, council=commune, permission=IDENTITY, granted=True,
                                          by=province_admin).count() == 1


def test_the_identity_permission_on_a_province_does_not_reach_its_communes(make_user, council, commune):
    user = make_user("baomattinh", council, CouncilRole.Role.STAFF, extra_permissions=[IDENTITY])
    access = get_access(user)
    assert access.has(council.id, IDENTITY)
    assert not access.has(commune.id, IDENTITY)


def test_an_admin_cannot_link_their_own_account_to_a_deputy(commune_admin, commune, make_deputy):
    deputy = make_deputy(commune, "Đại Biểu Xã")
    response = api(commune_admin).post("/api/core/roles/", {"user": commune_admin.pk, "council": commune.pk,
                                                             "role": "deputy", "deputy": deputy.pk}, format="json")
    assert response.status_code in (400, 403)
    assert not CouncilRole.objects.filter(user=commune_admin, deputy=deputy).exists()


def test_a_role_cannot_link_a_deputy_of_another_council(commune_admin, commune, make_user, make_deputy, other_council):
    stranger = make_deputy(other_council, "Đại Biểu Khác")
    user = make_user("nguoimoi")
    response = api(commune_admin).post("/api/core/roles/", {"user": user.pk, "council": commune.pk, "role": "deputy",
                                                             "deputy": stranger.pk}, format="json")
    assert response.status_code in (400, 403)
    assert not CouncilRole.objects.filter(user=user).exists()


def test_an_admin_cannot_edit_their_own_role_on_the_page(client_for, commune_admin, commune):
    role = role_of(commune_admin, commune)
    client = client_for(commune_admin)
    url = reverse("core:role_edit", args=[role.pk])
    response = client.post(url, {"user": commune_admin.pk, "role": "admin", "extra_permissions": IDENTITY,
                                 "_version": role.version})
    assert response.status_code in (200, 403)  # the form again with an error, or refused outright
    if response.status_code == 200:
        assert response.context["form"].errors
    fresh = CouncilRole.objects.get(pk=role.pk)
    assert fresh.extra_permissions in (None, [])
    assert fresh.version == role.version


# --- Councils ---------------------------------------------------------------------------------------


def test_a_council_cannot_be_detached_from_its_province(commune_admin, commune, council):
    response = api(commune_admin).patch(f"/api/core/councils/{commune.pk}/",
                                        {"parent": None, "version": commune.version}, format="json")
    assert response.status_code in (400, 403)
    commune.refresh_from_db()
    assert commune.parent_id == council.pk


def test_a_council_cannot_be_moved_under_another_province(commune_admin, commune, council, other_council):
    response = api(commune_admin).patch(f"/api/core/councils/{commune.pk}/",
                                        {"parent": other_council.pk, "version": commune.version}, format="json")
    assert response.status_code in (400, 403)
    commune.refresh_from_db()
    assert commune.parent_id == council.pk


# --- Records cannot change council -------------------------------------------------------------


@pytest.fixture
def directory(council, term, make_deputy, agency, committee):
    return {"deputies": make_deputy(council, "Nguyễn Văn Dời"), "agencies": agency, "bodies": committee,
            "terms": term}


@pytest.mark.parametrize("endpoint", ["deputies", "agencies", "bodies", "terms"])
@pytest.mark.parametrize("target", ["other_council", "commune"])
def test_a_record_cannot_be_moved_to_another_council_through_the_api(endpoint, target, directory, staff_user,
                                                                      request):
    record = directory[endpoint]
    destination = request.getfixturevalue(target)
    response = api(staff_user).patch(f"/api/core/{endpoint}/{record.pk}/",
                                     {"council": destination.pk, "version": record.version}, format="json")
    assert response.status_code in (400, 403)
    fresh = type(record).objects.get(pk=record.pk)
    assert fresh.council_id == record.council_id
    assert fresh.version == record.version


def _form_data(response) -> dict:
    """The edit form's current values, as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = field.widget.format_value(value) if hasattr(field.widget, "format_value") and isinstance(
                value, date) else value
    return data


@pytest.mark.parametrize(("url_name", "key"), [("core:deputy_edit", "deputies"), ("core:agency_edit", "agencies"),
                                               ("core:body_edit", "bodies"), ("core:term_edit", "terms")])
def test_a_record_cannot_be_moved_to_another_council_through_the_edit_page(url_name, key, directory, staff_client,
                                                                           other_council):
    record = directory[key]
    url = reverse(url_name, args=[record.pk])
    data = _form_data(staff_client.get(url))
    data["council"] = other_council.pk
    data["council_id"] = other_council.pk
    response = staff_client.post(url, data)
    assert response.status_code in (200, 302)
    assert type(record).objects.get(pk=record.pk).council_id == record.council_id


# --- Versions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["missing", "abc", {}, True, None, [1]], ids=repr)
def test_an_update_without_a_valid_version_is_refused(version, staff_user, make_deputy, council):
    deputy = make_deputy(council, "Nguyễn Văn Phiên")
    body = {"phone": "0911111111"}
    if version != "missing":
        body["version"] = version
    response = api(staff_user).patch(f"/api/core/deputies/{deputy.pk}/", body, format="json")
    assert response.status_code == 400
    fresh = Deputy.objects.get(pk=deputy.pk)
    assert (fresh.version, fresh.phone) == (deputy.version, deputy.phone)


def test_a_stale_update_is_refused_with_409(staff_user, make_deputy, council):
    deputy = make_deputy(council, "Nguyễn Văn Cũ")
    client = api(staff_user)
    assert client.patch(f"/api/core/deputies/{deputy.pk}/", {"phone": "0900000001", "version": deputy.version},
                        format="json").status_code == 200
    response = client.patch(f"/api/core/deputies/{deputy.pk}/", {"phone": "0900000002", "version": deputy.version},
                            format="json")
    assert response.status_code == 409
    fresh = Deputy.objects.get(pk=deputy.pk)
    assert fresh.phone == "0900000001" and fresh.version == deputy.version + 1


# --- Council switcher -------------------------------------------------------------------------------


def test_the_council_switcher_survives_a_non_numeric_council(staff_client):
    response = staff_client.post(reverse("core:switch_council"), {"council": "abc", "next": "/"})
    assert response.status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "https:evil.example"])
def test_the_council_switcher_only_redirects_inside_the_portal(staff_client, council, target):
    response = staff_client.post(reverse("core:switch_council"), {"council": council.pk, "next": target})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.example" not in location


def test_switching_to_a_council_one_cannot_see_is_refused(staff_client, other_council):
    staff_client.post(reverse("core:switch_council"), {"council": other_council.pk, "next": "/"})
    assert staff_client.session.get("current_council_id") != other_council.pk


# --- Exports --------------------------------------------------------------------------------------


def test_an_exported_formula_is_stored_as_text(staff_client, council, make_deputy):
    from openpyxl import load_workbook

    payload = '=HYPERLINK("http://x","y")'
    make_deputy(council, payload)
    response = staff_client.get(reverse("core:deputy_list"), {"export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the deputy is in the export"
    assert all(c.data_type == "s" for c in cells)


# --- Reads across councils and agencies -------------------------------------------------------------


def test_an_agency_responder_sees_only_their_own_deadlines_on_the_home_page(client_for, responder_user, council,
                                                                            agency):
    from hdnd_portal.core.deadlines import deadline_set

    other_agency = Agency.objects.create(council=council, name="Sở Tài chính")
    due = timezone.localdate() + timedelta(days=5)
    for subject_agency, title in ((agency, "Hạn trả lời của Sở Xây dựng"), (other_agency, "Hạn bí mật của Sở Tài chính")):
        deadline_set(subject=subject_agency, council=council, kind="petition.response", title=title,
                     start_date=timezone.localdate(), due_date=due, responsible_agency=subject_agency)
    past = timezone.localdate() - timedelta(days=3)
    deadline_set(subject=other_agency, council=council, kind="letter.response", title="Quá hạn của Sở Tài chính",
                 start_date=past - timedelta(days=10), due_date=past, responsible_agency=other_agency)
    content = client_for(responder_user).get("/").content.decode()
    assert "Hạn trả lời của Sở Xây dựng" in content
    assert "Hạn bí mật của Sở Tài chính" not in content
    assert "Quá hạn của Sở Tài chính" not in content


def test_the_rules_api_does_not_list_another_councils_overrides(staff_user, other_council, council):
    national = Rule.objects.filter(council=None).order_by("code").first()
    override = Rule.objects.create(code=national.code, name=national.name, value=national.value + 1,
                                   unit=national.unit, citation=national.citation, status=national.status,
                                   effective_from=national.effective_from, council=other_council)
    client = api(staff_user)
    listed = client.get("/api/core/rules/", {"page_size": 1000}).json()
    rows = listed.get("results", listed) if isinstance(listed, dict) else listed
    assert override.pk not in [r["id"] for r in rows]
    assert all(r["council"] in (None, council.pk) for r in rows)
    assert client.get("/api/core/rules/", {"council": other_council.pk}).json().get("count", 0) == 0
    assert client.get(f"/api/core/rules/{override.pk}/").status_code == 404


def test_a_commune_role_reads_nothing_of_the_province(make_user, commune, council, make_deputy):
    deputy = make_deputy(council, "Đại Biểu Tỉnh")
    user = make_user("xa2", commune, CouncilRole.Role.STAFF)
    client = api(user)
    assert client.get(f"/api/core/deputies/{deputy.pk}/").status_code == 404
    assert client.get(f"/api/core/councils/{council.pk}/").status_code == 404
    assert client.patch(f"/api/core/deputies/{deputy.pk}/", {"phone": "1", "version": deputy.version},
                        format="json").status_code == 404


def test_creating_a_term_or_body_in_another_council_is_refused(staff_user, other_council):
    client = api(staff_user)
    response = client.post("/api/core/terms/", {"council": other_council.pk, "numeral": "I", "start_year": 2021,
                                                "end_year": 2026}, format="json")
    assert response.status_code in (400, 403)
    response = client.post("/api/core/bodies/", {"council": other_council.pk, "kind": Body.Kind.COMMITTEE,
                                                 "name": "Ban lạ"}, format="json")
    assert response.status_code in (400, 403)
    assert not Term.objects.filter(council=other_council).exists()
    assert not Body.objects.filter(council=other_council).exists()
    assert Council.objects.filter(pk=other_council.pk).exists()


def test_the_national_working_day_calendar_is_edited_by_the_system_operator_only(admin_client, council,
                                                                                  django_user_model):
    from django.test import Client

    from hdnd_portal.core.models import CalendarException

    data = {"date": "02/01/2027", "kind": "day_off", "name": "Nghỉ bù"}
    assert admin_client.get(reverse("core:calendar_create")).status_code == 403
    assert admin_client.post(reverse("core:calendar_create"), data).status_code == 403
    assert not CalendarException.objects.exists()
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(root)
    session = client.session
    session["current_council_id"] = council.id
    session.save()
    page = client.get(reverse("core:calendar_create")).content.decode()
    import re

    token = re.search(r'name="_once" value="([^"]+)"', page).group(1)
    assert client.post(reverse("core:calendar_create"), {**data, "_once": token}).status_code == 302
    assert CalendarException.objects.count() == 1
