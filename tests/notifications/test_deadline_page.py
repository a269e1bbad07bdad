"""The deadlines page guides the day: what is due now first, then overdue by age; old items are
closed in bulk with a reason; every deadline can be given a responsible person; dates typed the
way offices type them; kinds and numbers read as people say them."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hdnd_portal.core.models import Deadline

pytestmark = pytest.mark.django_db
TODAY = timezone.datetime(2026, 12, 2, 9, 0).date()


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
def test_the_page_opens_on_what_is_due_now_then_overdue_by_age(staff_client, staff_user, make_deadline):
    later = make_deadline(TODAY + timedelta(days=40), title="Việc sau này", responsible_user=staff_user)
    ancient = make_deadline(TODAY - timedelta(days=1900), title="Quá hạn từ 2021", responsible_user=staff_user)
    recent = make_deadline(TODAY - timedelta(days=2), title="Vừa quá hạn", responsible_user=staff_user)
    today = make_deadline(TODAY, title="Hạn hôm nay", responsible_user=staff_user)
    week = make_deadline(TODAY + timedelta(days=5), title="Trong tuần", responsible_user=staff_user)
    page = staff_client.get(reverse("notifications:my_deadlines")).content.decode()
    order = [page.index(d.title) for d in (today, week, recent, ancient, later)]
    assert order == sorted(order)


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
def test_old_overdue_deadlines_are_closed_in_bulk_with_a_reason(admin_client, make_deadline):
    old = [make_deadline(TODAY - timedelta(days=400 + i)) for i in range(3)]
    fresh = make_deadline(TODAY - timedelta(days=3))
    url = reverse("notifications:deadline_close_old")
    page = admin_client.get(url)
    assert page.status_code == 200 and page.context["count"] == 3
    refused = admin_client.post(url, {"older_than": 30, "reason": "", "confirm": "on"})
    assert refused.status_code == 200 and Deadline.objects.filter(state="open").count() == 4
    done = admin_client.post(url, {"older_than": 30, "reason": "Đã giải quyết ngoài hệ thống", "confirm": "on"})
    assert done.status_code == 302
    for d in old:
        d.refresh_from_db()
        assert d.state == "cancelled" and d.closed_reason == "Đã giải quyết ngoài hệ thống"
    fresh.refresh_from_db()
    assert fresh.state == "open"


def test_closing_in_bulk_needs_the_permission(viewer_client):
    assert viewer_client.get(reverse("notifications:deadline_close_old")).status_code == 403


def test_a_deadline_gets_a_responsible_person_and_appears_under_mine(admin_client, make_deadline, people, client):
    deadline = make_deadline(TODAY + timedelta(days=3), responsible_agency=None)
    url = reverse("notifications:deadline_assign", args=[deadline.pk])
    assert admin_client.post(url, {"user": people["responsible"].pk}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.responsible_user == people["responsible"]
    client.force_login(people["responsible"])
    assert deadline.title in client.get(reverse("notifications:my_deadlines")).content.decode()


def test_a_person_of_another_council_cannot_be_made_responsible(admin_client, make_deadline, make_user, other_council):
    outsider = make_user("ngoai", other_council, "staff")
    deadline = make_deadline(TODAY + timedelta(days=3))
    response = admin_client.post(reverse("notifications:deadline_assign", args=[deadline.pk]), {"user": outsider.pk})
    assert response.status_code == 200
    deadline.refresh_from_db()
    assert deadline.responsible_user is None


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
def test_the_date_filter_takes_digits_only(staff_client, make_deadline, staff_user):
    make_deadline(TODAY, title="Đúng ngày", responsible_user=staff_user)
    make_deadline(TODAY + timedelta(days=9), title="Ngày khác", responsible_user=staff_user)
    page = staff_client.get(reverse("notifications:my_deadlines"), {"due_from": "02122026", "due_to": "02122026"})
    text = page.content.decode()
    assert "Đúng ngày" in text and "Ngày khác" not in text


def test_a_document_number_finds_its_deadline(staff_client, make_deadline, staff_user):
    make_deadline(TODAY + timedelta(days=2), title="Đơn 459/2026: Thụ lý khiếu nại", responsible_user=staff_user)
    page = staff_client.get(reverse("notifications:my_deadlines"), {"q": "459/2026"}).content.decode()
    assert "Đơn 459/2026" in page


def test_every_kind_reads_as_words(staff_client, make_deadline, staff_user):
    for kind in ("citizens.complaint_resolve", "commitment.deadline", "voter_meeting.outside_decision", "x.unknown"):
        make_deadline(TODAY + timedelta(days=2), kind=kind, responsible_user=staff_user)
    page = staff_client.get(reverse("notifications:my_deadlines")).content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)  # what a person reads (option values are not shown)
    for code in ("citizens.complaint_resolve", "commitment.deadline", "voter_meeting.outside_decision", "x.unknown"):
        assert code not in visible
    assert "Giải quyết khiếu nại" in visible


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_assigns_a_deadline_and_refuses_a_person_or_manager_of_another_council(
        make_user, make_deadline, council, other_council, people):
    admin = make_user("qt", council, "admin")
    deadline = make_deadline(TODAY + timedelta(days=3))
    url = f"/api/notifications/deadlines/{deadline.pk}/assign/"
    assert _api(admin).post(url, {"user": people["responsible"].pk}, format="json").status_code == 200
    deadline.refresh_from_db()
    assert deadline.responsible_user == people["responsible"]
    outsider = make_user("ngoai", other_council, "staff")
    assert _api(admin).post(url, {"user": outsider.pk}, format="json").status_code == 400
    other_admin = make_user("qtkhac", other_council, "admin")
    assert _api(other_admin).post(url, {"user": other_admin.pk}, format="json").status_code == 404
    assert _api(people["leader"]).post(url, {"user": None}, format="json").status_code == 403
    assert _api(admin).post(url, {"user": "abc"}, format="json").status_code == 400
    deadline.refresh_from_db()
    assert deadline.responsible_user == people["responsible"]


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
def test_the_api_closes_old_overdue_deadlines_of_a_council_it_manages_only(make_user, make_deadline, council,
                                                                         other_council):
    admin = make_user("qt", council, "admin")
    old = make_deadline(TODAY - timedelta(days=400))
    url = "/api/notifications/deadlines/close-overdue/"
    other_admin = make_user("qtkhac", other_council, "admin")
    body = {"council": council.pk, "older_than": 30, "reason": "Đã giải quyết ngoài hệ thống"}
    assert _api(other_admin).post(url, body, format="json").status_code == 404
    assert _api(admin).post(url, {**body, "older_than": "abc"}, format="json").status_code == 400
    assert _api(admin).post(url, {**body, "reason": ""}, format="json").status_code == 400
    old.refresh_from_db()
    assert old.state == "open"
    response = _api(admin).post(url, body, format="json")
    assert response.status_code == 200 and response.json() == {"closed": 1}
    old.refresh_from_db()
    assert old.state == "cancelled" and old.closed_by == admin


def test_the_page_names_agency_staff_kind_and_area_as_the_records_do(staff_client, make_deadline, staff_user, agency):
    """Names read as columns of the page's query (agency, staff member) and labels translated
    once per language (kinds) write what str() and the translations write, in vi and in en."""
    deadline = make_deadline(TODAY + timedelta(days=2), title="Hạn có đủ tên", responsible_user=staff_user)
    url = reverse("notifications:council_deadlines")

    def text(language):
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))

    vi = text("vi")
    assert str(agency) in vi and str(staff_user) in vi and "Trả lời kiến nghị cử tri" in vi
    en = text("en")
    assert "Petition response" in en and "Trả lời kiến nghị cử tri" not in en
    assert str(agency) == "SXD" and str(staff_user) == staff_user.full_name
    export = staff_client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = [[str(c.value or "") for c in r] for r in sheet.iter_rows()]
    mine = next(r for r in cells if deadline.title in r)
    assert str(agency) in mine and str(staff_user) in mine


def test_the_page_is_counted_before_its_ids_are_read(staff_client, make_deadline):
    """MyDeadlines reads its page as ids (IdsPagePaginator): counted first, as Django counts, never
    whole rows read first and then read again as ids (core.pagination.RowsFirstPaginator)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_deadline(timezone.localdate() + timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        # A kind chosen: not one of the summary's tabs, so the list counts its own rows.
        assert staff_client.get(reverse("notifications:council_deadlines") + "?kind=petition.response").status_code == 200
    listed = [q["sql"] for q in queries.captured_queries
              if '"core_deadline"' in q["sql"] and "DISTINCT" not in q["sql"] and "FILTER (WHERE" not in q["sql"]]
    assert listed[0].lstrip().startswith("SELECT COUNT("), listed
    # The ids: the default order reads each bucket of due dates (MyDeadlines.urgent_ids, a union).
    assert listed[1].lstrip().lstrip("(").startswith('SELECT "core_deadline"."id" AS "pk"'), listed


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
def test_a_tab_of_the_summary_takes_its_count_from_the_summary(staff_client, make_deadline, staff_user):
    """The summary counts every open deadline on each page: a list that is one of its tabs and
    nothing else (no other filter, no search) does not count the same rows again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for days in (-400, -40, -2, -1, 0, 2, 3, 30):
        make_deadline(TODAY + timedelta(days=days), responsible_user=staff_user)
    Deadline.objects.filter(due_date=TODAY + timedelta(days=30)).update(state="done")
    url = reverse("notifications:council_deadlines")
    for query, expected in (("", 7), ("?status=open", 7), ("?status=overdue", 4), ("?status=due_soon", 3),
                            ("?status=long_overdue", 2), ("?below=1&status=overdue", 4)):
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(url + query)
        assert page.status_code == 200
        assert page.context["paginator"].count == expected == len(page.context["object_list"]), query
        assert not [q for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT COUNT(*)")], query
    for query, expected in (("?status=done", 1), ("?status=overdue&q=zzz", 0), ("?status=overdue&kind=petition.response", 4),
                            ("?status=open&due_to=02/12/2026", 5)):
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(url + query)
        assert page.context["paginator"].count == expected == len(page.context["object_list"]), query
        assert [q for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT COUNT(*)")], query


@time_machine.travel("2026-12-02 09:00 +0700", tick=False)
@pytest.mark.parametrize("query", ["", "?status=open", "?below=1", "?q=viec"])
def test_the_default_order_read_bucket_by_bucket_is_the_computed_order(staff_client, make_deadline, staff_user,
                                                                        monkeypatch, query):
    """MyDeadlines.urgent_ids (each bucket's rows by the due-date index, merged) lists every page
    as the order computed for each row (annotate_order) does, ties on a date broken by id."""
    from hdnd_portal.notifications import views

    for days in (-900, -400, -40, -31, -30, -29, -2, -2, -1, 0, 0, 1, 3, 7, 7, 8, 9, 30, 30, 400):
        make_deadline(TODAY + timedelta(days=days), title=f"Việc {days}", responsible_user=staff_user)
    Deadline.objects.filter(due_date=TODAY + timedelta(days=9)).update(state="done")
    monkeypatch.setattr(views.MyDeadlines, "paginate_by", 4)
    url = reverse("notifications:council_deadlines") + (query or "?")

    def pages():
        listed, number = [], 1
        while True:
            page = staff_client.get(f"{url}&page={number}")
            assert page.status_code == 200
            listed.append([d.pk for d in page.context["object_list"]])
            if not page.context["page_obj"].has_next():
                return listed
            number += 1

    by_bucket = pages()
    calls = []
    original = views.MyDeadlines.urgent_ids
    monkeypatch.setattr(views.MyDeadlines, "urgent_ids", lambda *a: calls.append(1) or original(*a))
    assert pages() == by_bucket and calls  # the bucket road was taken
    monkeypatch.setattr(views.MyDeadlines, "read_by_bucket", lambda *a: False)  # the order computed per row
    computed = pages()
    assert by_bucket == computed
    assert sum(map(len, computed)) == 19
