"""Programme pages keep a bounded number of SQL queries whatever the number of tasks."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_programme_pages(staff_client, make_programme, make_task, make_briefing, communes):
    programme = make_programme()
    briefing = make_briefing(communes)

    def grow(n):
        for i in range(n):
            make_task(programme, title=f"Nhiệm vụ {i}", due_date=date(2026, 1, 1) + timedelta(days=7 * (i % 50)))

    urls = [reverse("programmes:programme_list"), reverse("programmes:programme_detail", args=[programme.pk]),
            reverse("programmes:task_list"), reverse("programmes:briefing_detail", args=[briefing.pk])]
    grow(3)
    few = [_count(staff_client, u) for u in urls]
    grow(30)
    many = [_count(staff_client, u) for u in urls]
    assert many == few, (few, many)
