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
