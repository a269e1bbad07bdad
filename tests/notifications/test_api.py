"""API under /api/notifications/: notifications, my deadlines, extensions, scan runs."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hdnd_portal.notifications.models import Notification, ScanRun

pytestmark = pytest.mark.django_db
BASE = "/api/notifications"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_notifications_list_read_and_read_all(api_client, staff_user, viewer_client, make_user, council):
    other = make_user("nguoikhac", council, "staff")
    for i in range(3):
        Notification.objects.create(user=staff_user, council=council, title=f"Nhắc hạn {i}", kind="reminder")
    foreign = Notification.objects.create(user=other, council=council, title="Của người khác")
    data = api_client.get(f"{BASE}/notifications/").json()
    assert data["count"] == 3 and {r["title"] for r in data["results"]} == {"Nhắc hạn 0", "Nhắc hạn 1", "Nhắc hạn 2"}
    first = data["results"][0]["id"]
    response = api_client.post(f"{BASE}/notifications/{first}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api_client.get(f"{BASE}/notifications/unread-count/").json() == {"unread": 2}
    assert api_client.get(f"{BASE}/notifications/", {"unread": "true"}).json()["count"] == 2
    assert api_client.post(f"{BASE}/notifications/{foreign.pk}/read/").status_code == 404
    assert api_client.post(f"{BASE}/notifications/read-all/").json() == {"marked": 2}
    assert APIClient().get(f"{BASE}/notifications/").status_code in (401, 403)


@pytest.mark.parametrize("rows", [10, 60])
def test_deadline_list_query_count_is_bounded(
    rows, api_client, staff_user, make_deadline, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(rows):
        make_deadline(today + timedelta(days=i % 7), responsible_user=staff_user)
    with django_assert_max_num_queries(12):
        data = api_client.get(f"{BASE}/deadlines/", {"scope": "council"}).json()
    assert data["count"] == rows


def test_my_deadlines_and_the_council_scope(api_client, make_deadline, staff_user, responder_user, other_council):
    today = timezone.localdate()
    mine = make_deadline(today - timedelta(days=1), responsible_user=staff_user, title="Của tôi")
    make_deadline(today + timedelta(days=3), responsible_agency=None, title="Của Văn phòng")
    make_deadline(today, on_council=other_council, responsible_agency=None, title="Nghệ An")
    mine_titles = [r["title"] for r in api_client.get(f"{BASE}/deadlines/").json()["results"]]
    assert mine_titles == ["Của tôi"]
    council = api_client.get(f"{BASE}/deadlines/", {"scope": "council"}).json()["results"]
    assert [r["title"] for r in council] == ["Của tôi", "Của Văn phòng"]
    assert council[0]["status"] == "overdue" and council[0]["app"] == "core"
    overdue = api_client.get(f"{BASE}/deadlines/", {"scope": "council", "status": "overdue"}).json()
    assert [r["title"] for r in overdue["results"]] == ["Của tôi"]
    # The responder sees the agency's deadline; the council scope gives them nothing more.
    responder = api(responder_user)
    assert [r["id"] for r in responder.get(f"{BASE}/deadlines/").json()["results"]] == [mine.pk]
    assert responder.get(f"{BASE}/deadlines/", {"scope": "council"}).json()["count"] == 0


def test_deadline_detail_404_and_403(api_client, make_deadline, other_council, deputy_user, staff_user):
    other = make_deadline(date(2026, 3, 18), on_council=other_council, responsible_agency=None)
    ours = make_deadline(date(2026, 3, 18), responsible_user=staff_user)
    assert api_client.get(f"{BASE}/deadlines/{other.pk}/").status_code == 404
    assert api_client.get(f"{BASE}/deadlines/{ours.pk}/").status_code == 200
    assert api(deputy_user).get(f"{BASE}/deadlines/{ours.pk}/").status_code == 403


def test_extend_through_the_api(api_client, make_deadline, people, viewer_client, make_user, council):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    url = f"{BASE}/deadlines/{deadline.pk}/extend/"
    bad = api_client.post(url, {"new_due_date": "2026-03-01", "legal_basis": "Điều 28"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "new_due_date"
    ok = api_client.post(
        url, {"new_due_date": "2026-04-17", "legal_basis": "Điều 28", "decision_number": "9/QĐ"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["due_date"] == "2026-04-17"
    assert Notification.objects.filter(kind="extension").count() == 2
    viewer = make_user("chixem", council, "viewer")
    assert api(viewer).post(url, {"new_due_date": "2026-05-01", "legal_basis": "x"}, format="json").status_code == 403


def test_scan_runs_are_the_system_operators_view_only(api_client, make_user, council, django_user_model):
    """A scan covers every council, so a council administrator does not read its runs."""
    ScanRun.objects.create(today=date(2026, 3, 18), duration_ms=12)
    admin = make_user("admin2", council, "admin")
    assert api(admin).get(f"{BASE}/scan-runs/").status_code == 403
    assert api_client.get(f"{BASE}/scan-runs/").status_code == 403
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    assert api(root).get(f"{BASE}/scan-runs/").json()["count"] == 1
