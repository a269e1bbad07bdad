"""The public pages a citizen uses: finding a council, readable URLs, lists with filters, open
data formats, the page cache, and the staff side (publish page and API) with its permissions."""

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from hdnd_portal.core.models import Council, CouncilRole, Membership
from public.models import Publication

from .conftest import get_all, slug

pytestmark = pytest.mark.django_db


def test_a_commune_is_found_without_accents_and_reached_by_a_readable_url(client, council, commune, make_council):
    make_council("Huyện Đông Anh", level=Council.Level.DISTRICT, parent=council)
    body = client.get("/cong-khai/?q=dong anh").content.decode()
    assert "Phường Đông Anh" in body and f'/cong-khai/{slug(commune)}/' in body
    assert "Huyện Đông Anh" in body and "đơn vị cũ" in body  # historical district marked
    assert slug(commune).startswith("phuong-dong-anh-")
    # A mistyped or old name part still reaches the council (by its code), redirected to the right URL.
    response = client.get(f"/cong-khai/ten-cu-{commune.code}/nghi-quyet/")
    assert response.status_code == 301 and response["Location"] == f"/cong-khai/{slug(commune)}/nghi-quyet/"
    assert client.get("/cong-khai/khong-co-99999/").status_code == 404


def test_resolutions_search_is_accent_insensitive_and_filters_by_year_and_kind(client, council, make_resolution,
                                                                               publish):
    publish("resolution", make_resolution(title="Nghị quyết về học phí", adopted_on=date(2025, 7, 1)))
    publish("resolution", make_resolution(title="Nghị quyết về đầu tư công", kind="thematic"))
    url = f"/cong-khai/{slug(council)}/nghi-quyet/"
    assert "học phí" in client.get(url, {"q": "hoc phi"}).content.decode()
    assert "học phí" not in client.get(url, {"q": "dau tu"}).content.decode()
    assert "đầu tư công" in client.get(url, {"loai": "thematic"}).content.decode()
    assert "học phí" not in client.get(url, {"loai": "thematic"}).content.decode()
    assert "học phí" in client.get(url, {"nam": "2025"}).content.decode()
    data = json.loads(client.get(f"/cong-khai/{slug(council)}/nghi-quyet.json", {"q": "hoc phi"}).content)
    assert data["count"] == 1 and data["licence"]["name"].startswith("Creative Commons")
    assert data["items"][0]["adopted_on"] == "2025-07-01"


def test_petitions_can_be_narrowed_to_the_commune_they_concern(client, council, make_petition, publish):
    publish("petition", make_petition(content="Đề nghị nạo vét kênh", locality="Xã Sóc Sơn"))
    publish("petition", make_petition(content="Đề nghị mở rộng chợ", locality="Phường Đông Anh"))
    url = f"/cong-khai/{slug(council)}/kien-nghi/"
    page = client.get(url, {"dia_ban": "Xã Sóc Sơn"}).content.decode()
    assert "nạo vét kênh" in page and "mở rộng chợ" not in page
    assert '<option value="Phường Đông Anh"' in page
    csv_body = client.get(f"/cong-khai/{slug(council)}/kien-nghi.csv", {"dia_ban": "Phường Đông Anh"}).content.decode()
    assert "mở rộng chợ" in csv_body and "nạo vét" not in csv_body


def test_feeds_calendars_and_popolo_are_well_formed(client, council, make_resolution, make_session, make_schedule,
                                                   answered, make_deputy, committee, publish):
    publish("resolution", make_resolution(title="Nghị quyết về học phí"))
    publish("petition", answered)
    publish("session", make_session(title="Kỳ họp cuối năm", venue="Hội trường, 8 Lê Lai"))
    publish("reception", make_schedule())
    deputy = make_deputy(council, "Nguyễn Thị Mai", constituency="Đơn vị số 2", gender="female")
    Membership.objects.create(council=council, deputy=deputy, body=committee, role=Membership.Role.HEAD,
                              start_date=date(2021, 7, 1))
    s = slug(council)
    atom = "{http://www.w3.org/2005/Atom}"
    for url, text in [(f"/cong-khai/{s}/nghi-quyet.atom", "học phí"), (f"/cong-khai/{s}/kien-nghi.atom", "bố trí vốn")]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert len(root.findall(f"{atom}entry")) == 1 and text in response.content.decode()
    ics = client.get(f"/cong-khai/{s}/ky-hop.ics").content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART;VALUE=DATE:20251208" in ics and "8 Lê Lai" in ics
    reception_ics = client.get(f"/cong-khai/{s}/tiep-cong-dan.ics").content.decode()
    assert "BEGIN:VEVENT" in reception_ics and "T010000Z" in reception_ics  # 08:00 in Hà Nội is 01:00 UTC
    popolo = json.loads(client.get(f"/cong-khai/{s}/dai-bieu.json").content)
    assert {"persons", "organizations", "memberships", "areas"} <= set(popolo)
    person = popolo["persons"][0]
    assert person["name"] == "Nguyễn Thị Mai" and set(person) == {"id", "name", "gender"}
    assert {m["organization_id"] for m in popolo["memberships"]} == {f"council/{council.code}", f"body/{committee.pk}"}
    assert popolo["areas"][0]["name"] == "Đơn vị số 2"


def test_every_public_page_and_dataset_answers_for_a_council(client, council, commune):
    s = slug(council)
    pages = ["", "ky-hop/", "nghi-quyet/", "giam-sat/", "kien-nghi/", "tiep-cong-dan/", "dai-bieu/", "du-lieu/",
             "ky-hop.json", "ky-hop.csv", "ky-hop.ics", "nghi-quyet.json", "nghi-quyet.csv", "nghi-quyet.atom",
             "giam-sat.json", "giam-sat.csv", "kien-nghi.json", "kien-nghi.csv", "kien-nghi.atom",
             "tiep-cong-dan.json", "tiep-cong-dan.csv", "tiep-cong-dan.ics", "dai-bieu.json", "dai-bieu.csv"]
    get_all(client, [f"/cong-khai/{s}/{p}" for p in pages] + ["/cong-khai/", "/cong-khai/du-lieu/",
                                                               "/cong-khai/tra-cuu/", "/cong-khai/theo-doi/"])
    assert "CC BY 4.0" in client.get("/cong-khai/du-lieu/").content.decode()


def test_public_pages_are_cached_and_the_cache_follows_changes_of_published_records(client, council, answered,
                                                                                   publish):
    from voters.models import Petition

    publish("petition", answered)
    url = f"/cong-khai/{slug(council)}/kien-nghi/{answered.pk}/"
    assert "X-Public-Cache" not in client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    answered.response_text = "UBND đã hoàn thành sửa chữa đường."
    answered.save()  # a change made in the voters app, through a normal save
    assert answered.status == Petition.Status.RESOLVED
    assert "hoàn thành sửa chữa" in client.get(url).content.decode()


def test_staff_publish_page_toggles_publication_and_checks_permission(client_for, make_user, council, commune,
                                                                      make_resolution):
    resolution = make_resolution(title="Nghị quyết cần công khai")
    staff = client_for(make_user("vanphong", council, CouncilRole.Role.STAFF))
    viewer = client_for(make_user("chixem", council, CouncilRole.Role.VIEWER))
    commune_staff = client_for(make_user("canboxa", commune, CouncilRole.Role.STAFF))
    assert viewer.get("/cong-khai/quan-tri/").status_code == 403
    page = staff.get("/cong-khai/quan-tri/?loai=resolution")
    assert page.status_code == 200 and "Nghị quyết cần công khai" in page.content.decode()
    staff.post("/cong-khai/quan-tri/", {"loai": "resolution", "object_id": resolution.pk, "action": "publish"})
    assert Publication.objects.filter(object_id=resolution.pk).exists()
    # Staff of another council cannot withdraw it, whatever id they post.
    assert commune_staff.post("/cong-khai/quan-tri/", {"loai": "resolution", "object_id": resolution.pk,
                                                       "action": "withdraw"}).status_code == 403
    assert Publication.objects.filter(object_id=resolution.pk).exists()
    staff.post("/cong-khai/quan-tri/", {"loai": "resolution", "object_id": resolution.pk, "action": "withdraw"})
    assert not Publication.objects.exists()


def test_publication_api_publishes_withdraws_and_scopes_by_council(client_for, make_user, council, other_council,
                                                                   make_resolution, make_petition):
    from rest_framework.test import APIClient

    def api(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    staff = api(make_user("apistaff", council, CouncilRole.Role.STAFF))
    viewer = api(make_user("apiviewer", council, CouncilRole.Role.VIEWER))
    stranger = api(make_user("apikhac", other_council, CouncilRole.Role.STAFF))
    resolution = make_resolution(title="Nghị quyết qua API")
    assert viewer.post("/api/public-admin/publications/", {"kind": "resolution", "object_id": resolution.pk}).status_code == 403
    assert stranger.post("/api/public-admin/publications/", {"kind": "resolution", "object_id": resolution.pk}).status_code == 404
    created = staff.post("/api/public-admin/publications/", {"kind": "resolution", "object_id": resolution.pk,
                                                              "summary": "Tóm tắt"})
    assert created.status_code == 201 and created.data["model"] == "resolution"
    assert staff.get("/api/public-admin/publications/").data["count"] == 1
    assert stranger.get("/api/public-admin/publications/").data["count"] == 0
    assert stranger.delete(f"/api/public-admin/publications/{created.data['id']}/").status_code == 404
    private = make_petition(is_public=False)
    refused = staff.post("/api/public-admin/publications/", {"kind": "petition", "object_id": private.pk})
    assert refused.status_code == 400 and "message" in refused.data
    code = staff.post("/api/public-admin/tracking-codes/", {"kind": "petition", "object_id": private.pk})
    assert code.status_code == 201 and len(code.data["code"]) == 10
    assert staff.delete(f"/api/public-admin/publications/{created.data['id']}/").status_code == 204
    assert not Publication.objects.exists()
