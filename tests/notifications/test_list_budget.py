"""The council's deadlines page, alone and with the councils below: at most 12 SQL queries
whatever the rows (issue #13), rows in the page's order (fetched as ids, then with their names)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

BUDGET = 12


def _queries(client, url) -> int:
    cache.clear()  # the kinds of deadline are cached ten minutes: count the page as it is cold
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_council_deadlines_stay_within_twelve_queries(staff_client, council, commune, make_deadline):
    base = reverse("notifications:council_deadlines")
    urls = [base, base + "?below=1", base + "?below=1&status=overdue"]
    today = timezone.localdate()

    def grow(n):
        for i in range(n):
            make_deadline(today + timedelta(days=i - n // 2))
            make_deadline(today - timedelta(days=i + 1), on_council=commune, responsible_agency=None)

    grow(2)
    few = [_queries(staff_client, url) for url in urls]
    grow(25)
    many = [_queries(staff_client, url) for url in urls]
    assert many == few, (few, many)
    assert max(many) <= BUDGET, many


def test_rows_keep_the_pages_order(staff_client, council, make_deadline):
    today = timezone.localdate()
    later = make_deadline(today + timedelta(days=40), title="Việc còn xa")
    soon = make_deadline(today + timedelta(days=1), title="Việc sắp đến")
    missed = make_deadline(today - timedelta(days=2), title="Việc vừa quá hạn")
    response = staff_client.get(reverse("notifications:council_deadlines"))
    assert [d.pk for d in response.context["object_list"]] == [soon.pk, missed.pk, later.pk]
    html = response.content.decode()
    assert html.index("Việc sắp đến") < html.index("Việc vừa quá hạn") < html.index("Việc còn xa")


def test_a_status_filter_keeps_the_what_to_do_first_order(staff_client, council, make_deadline):
    """Filtered to overdue or long overdue, the page orders by due date (the most recently missed
    first) instead of computing its "what to do first" key per row: the same order, row for row,
    as that key gives; due soon, the soonest first."""
    from hdnd_portal.notifications.views import MyDeadlines

    today = timezone.localdate()
    made = [make_deadline(today + timedelta(days=days)) for days in (-1, -400, -3, -3, -45, -20, 2, 0, 5, 30)]
    url = reverse("notifications:council_deadlines")
    pages = {}
    for status in ("overdue", "long_overdue", "due_soon", "open"):
        with CaptureQueriesContext(connection) as queries:
            pages[status] = [d.pk for d in staff_client.get(f"{url}?status={status}").context["object_list"]]
        ordered = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "core_deadline" in q["sql"]]
        # No key computed per row: open, the buckets of due dates are read each in its index order.
        assert "CASE WHEN" not in ordered[0] and ("UNION ALL" in ordered[0]) == (status == "open"), status
    saved = MyDeadlines.filtered_status, MyDeadlines.read_by_bucket
    MyDeadlines.filtered_status = lambda self: None  # the key per row
    MyDeadlines.read_by_bucket = lambda self, queryset: False
    try:
        for status, ids in pages.items():
            assert [d.pk for d in staff_client.get(f"{url}?status={status}").context["object_list"]] == ids, status
    finally:
        MyDeadlines.filtered_status, MyDeadlines.read_by_bucket = saved
    due = {d.pk: d.due_date for d in made}
    assert [due[pk] - today for pk in pages["overdue"]] == [timedelta(days=n) for n in (-1, -3, -3, -20, -45, -400)]
    assert pages["overdue"][1] < pages["overdue"][2]  # the same day: by number
    assert [due[pk] - today for pk in pages["due_soon"]] == [timedelta(days=n) for n in (0, 2)]


def test_the_kinds_offered_by_the_filter_are_read_once_then_kept(staff_client, council, make_deadline):
    make_deadline(timezone.localdate())
    url = reverse("notifications:council_deadlines")
    cache.clear()
    cold = _counted(staff_client, url)
    warm = _counted(staff_client, url)
    assert warm == cold - 1


def _counted(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_rows_print_their_council_and_area_from_what_the_request_holds(
    staff_client, client, django_user_model, council, commune, make_deadline
):
    """The council's name comes from the councils the request read for its permissions and the area
    from the content types held per process: the page's rows are joined to the agency and the
    staff member only."""
    today = timezone.localdate()
    make_deadline(today - timedelta(days=3), title="Việc của xã", on_council=commune)
    make_deadline(today + timedelta(days=1), title="Việc của thành phố")
    url = reverse("notifications:council_deadlines") + "?below=1"
    staff_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    rows = {row[2][0]: row for row in response.context["rows"]}
    assert rows["Việc của xã"][7][0] == commune.name
    assert rows["Việc của thành phố"][7][0] == council.name
    assert rows["Việc của xã"][4][0] == rows["Việc của thành phố"][4][0] != ""
    page = [q["sql"] for q in queries if '"core_deadline"."id" IN' in q["sql"]]
    assert len(page) == 1 and "core_council" not in page[0] and "django_content_type" not in page[0], page
    # A superuser holds no role below: the names it lacks are read from the database.
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    response = client.get(url)
    rows = {row[2][0]: row for row in response.context["rows"]}
    assert rows["Việc của xã"][7][0] == commune.name
