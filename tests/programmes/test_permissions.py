"""Permission matrix over the pages and the API: another council's records answer 404, a missing
permission 403, malformed input 400 — never 500."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from hdnd_portal.core.models import CouncilRole
from programmes import services
from programmes.models import Briefing, BriefingTask, Programme

pytestmark = pytest.mark.django_db

ROLES = ["admin", "staff", "leader", "deputy", "viewer", "responder"]
CAN_VIEW = {"admin", "staff", "leader", "deputy", "viewer"}
CAN_CHANGE = {"admin", "staff", "leader"}


@pytest.fixture
def records(council, other_council, communes, make_programme, make_task, make_briefing):
    own = make_programme()
    task = make_task(own)
    draft = make_programme(title="Dự thảo kế hoạch", status="draft", document_number="", adopted_on=None,
                           is_published=False)
    foreign = make_programme(other_council, title="Chương trình của tỉnh khác")
    briefing = make_briefing(communes[:1])
    foreign_briefing = services.briefing_save(briefing=Briefing(
        council=other_council, title="Giao ban tỉnh khác", period_kind="quarter", year=2026, part=1,
        held_on=date(2026, 4, 10)), participants=[])
    return dict(own=own, task=task, draft=draft, foreign=foreign, briefing=briefing, foreign_briefing=foreign_briefing)


def _user(make_user, council, agency, make_deputy, role):
    extra = {}
    if role == "deputy":
        extra["deputy"] = make_deputy(council, "Đại biểu Thử")
    if role == "responder":
        extra["agency"] = agency
    return make_user(f"u_{role}", council, role, **extra)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role_and_council(role, records, council, agency, make_user, make_deputy, client_for):
    client = client_for(_user(make_user, council, agency, make_deputy, role))
    own, foreign = records["own"], records["foreign"]
    view = 200 if role in CAN_VIEW else 403
    change = 200 if role in CAN_CHANGE else 403
    for url in ("/programmes/", "/programmes/dashboard/", "/programmes/briefings/", "/programmes/coordination/",
                "/programmes/tasks/?late=1", f"/programmes/{own.pk}/", f"/programmes/briefings/{records['briefing'].pk}/",
                "/programmes/assigned/"):
        assert client.get(url).status_code == view, url
    assert client.get(f"/programmes/{own.pk}/pdf/").status_code == view
    for url in ("/programmes/new/", f"/programmes/{own.pk}/edit/", f"/programmes/{own.pk}/tasks/new/",
                f"/programmes/tasks/{records['task'].pk}/edit/", "/programmes/briefings/new/",
                f"/programmes/briefings/{records['briefing'].pk}/tasks/new/"):
        assert client.get(url).status_code == change, url
    # Drafts are for those who may change programmes; other councils' records are not found.
    assert client.get(f"/programmes/{records['draft'].pk}/").status_code == (200 if role in CAN_CHANGE else 404)
    for url in (f"/programmes/{foreign.pk}/", f"/programmes/{foreign.pk}/edit/", f"/programmes/{foreign.pk}/pdf/",
                f"/programmes/briefings/{records['foreign_briefing'].pk}/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ROLES)
def test_api_by_role_and_council(role, records, council, agency, make_user, make_deputy):
    api = APIClient()
    api.force_authenticate(_user(make_user, council, agency, make_deputy, role))
    own, foreign = records["own"], records["foreign"]
    listing = api.get("/api/programmes/programmes/")
    assert listing.status_code == (200 if role in CAN_VIEW else 403)
    if role in CAN_VIEW:
        ids = {p["id"] for p in listing.json()["results"]} if isinstance(listing.json(), dict) else \
            {p["id"] for p in listing.json()}
        assert foreign.pk not in ids and own.pk in ids
    assert api.get(f"/api/programmes/programmes/{foreign.pk}/").status_code == 404
    assert api.patch(f"/api/programmes/programmes/{foreign.pk}/", {"title": "x", "version": 1},
                     format="json").status_code == 404
    patch = api.patch(f"/api/programmes/programmes/{own.pk}/", {"title": "Tên mới", "version": own.version},
                      format="json")
    assert patch.status_code == (200 if role in CAN_CHANGE else 403)
    created = api.post("/api/programmes/programmes/", {"council": council.pk, "kind": "quarter", "year": 2026,
                                                       "part": 2, "title": "Kế hoạch quý II"}, format="json")
    assert created.status_code == (201 if role in CAN_CHANGE else 403)


def test_api_writes_are_guarded(records, council, other_council, api_client):
    own = records["own"]
    url = f"/api/programmes/programmes/{own.pk}/"
    assert api_client.patch(url, {"title": "Không có version"}, format="json").status_code == 400
    assert api_client.patch(url, {"title": "x", "version": "abc"}, format="json").status_code == 400
    assert api_client.patch(url, {"title": "x", "version": own.version + 5}, format="json").status_code == 409
    assert api_client.patch(url, {"council": other_council.pk, "version": own.version},
                            format="json").status_code in (400, 403)
    assert api_client.patch(url, {"title": "x" * 600, "version": own.version}, format="json").status_code == 400
    assert api_client.post("/api/programmes/programmes/", {"council": council.pk, "kind": "quarter", "year": 2026,
                                                           "part": 7, "title": "Sai quý"},
                           format="json").status_code == 400
    assert api_client.post("/api/programmes/tasks/", {"programme": records["foreign"].pk, "title": "x",
                                                      "due_date": "2026-05-01"}, format="json").status_code in (400, 403)
    assert api_client.post("/api/programmes/tasks/", {"programme": "abc", "title": "x", "due_date": "2026-05-01"},
                           format="json").status_code == 400
    assert api_client.post("/api/programmes/tasks/", {"programme": own.pk, "title": ["x"], "due_date": "nope"},
                           format="json").status_code == 400
    own.refresh_from_db()
    assert own.title == "Chương trình công tác năm 2026" and Programme.objects.count() == 3


def test_api_briefing_task_complete_by_the_assigned_commune(records, council, communes, make_user):
    briefing = records["briefing"]
    task = services.briefing_task_save(task=BriefingTask(briefing=briefing, council=council,
                                                         assignee_council=communes[0], title="Báo cáo",
                                                         due_date=date(2026, 5, 30)))
    other_commune = APIClient()
    other_commune.force_authenticate(make_user("xa_khac", communes[1], CouncilRole.Role.STAFF))
    assert other_commune.post(f"/api/programmes/briefing-tasks/{task.pk}/complete/",
                              {"version": task.version}, format="json").status_code == 404
    commune = APIClient()
    commune.force_authenticate(make_user("xa_dung", communes[0], CouncilRole.Role.STAFF))
    url = f"/api/programmes/briefing-tasks/{task.pk}/complete/"
    assert commune.post(url, {}, format="json").status_code == 400
    response = commune.post(url, {"version": task.version, "completed_on": "2026-05-01"}, format="json")
    assert response.status_code == 200, response.content
    assert BriefingTask.objects.get(pk=task.pk).status == "done"
