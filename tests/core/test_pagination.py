"""The first page read before it is counted (core.pagination.RowsFirstPaginator): the same pages
as Django's paginator, and no COUNT query when the first page is not full (issue #13)."""

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hdnd_portal.core.models import Agency, Council
from hdnd_portal.core.pagination import RowsFirstPaginator
from hdnd_portal.core.views.generic import CappedPaginator

pytestmark = pytest.mark.django_db


def _counts(queries) -> int:
    return sum(q["sql"].lstrip().upper().startswith("SELECT COUNT(") for q in queries.captured_queries)


@pytest.fixture
def five_councils(make_council):
    for i in range(5):
        make_council(f"Tỉnh Thử {i}")
    return Council.objects.filter(name__startswith="Tỉnh Thử").order_by("pk")


@pytest.mark.parametrize("paginator_class", [RowsFirstPaginator, CappedPaginator])
@pytest.mark.parametrize("rows", [0, 1, 2, 3, 5])
def test_every_page_is_djangos_page(five_councils, paginator_class, rows):
    qs = five_councils[:rows] if rows else five_councils.none()
    ids = list(qs.values_list("pk", flat=True))
    qs = Council.objects.filter(pk__in=ids).order_by("pk")
    for number in (1, "1", 2, 3):
        ours, django = paginator_class(qs, 2), Paginator(qs, 2)
        try:
            expected = django.page(number)
        except EmptyPage:
            with pytest.raises(EmptyPage):
                ours.page(number)
            continue
        page = ours.page(number)
        assert [c.pk for c in page] == [c.pk for c in expected]
        assert (ours.count, ours.num_pages, page.has_next()) == (django.count, django.num_pages, expected.has_next())


def test_a_first_page_that_is_not_full_is_not_counted(five_councils):
    paginator = RowsFirstPaginator(five_councils, 10)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
        assert (paginator.count, len(page), page.has_next()) == (5, 5, False)
    assert len(queries) == 1 and _counts(queries) == 0


def test_a_full_first_page_is_counted_once_after_its_rows(five_councils):
    paginator = RowsFirstPaginator(five_councils, 5)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
        assert (paginator.count, len(page), page.end_index()) == (5, 5, 5)
    assert len(queries) == 2 and _counts(queries) == 1


def test_an_empty_first_page_is_refused_when_the_paginator_refuses_it(five_councils):
    assert RowsFirstPaginator(five_councils.none(), 5).page(1).object_list.count() == 0
    with pytest.raises(EmptyPage):
        RowsFirstPaginator(five_councils.none(), 5, allow_empty_first_page=False).page(1)


def test_a_short_list_page_and_api_list_run_no_count(staff_client, council):
    from sessions.models import CouncilSession

    assert CouncilSession.objects.filter(council=council).count() < 50
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("sessions:session_list")).status_code == 200
    assert _counts(queries) == 0
    api = staff_client.get("/api/sessions/sessions/")
    assert api.status_code == 200
    assert api.json()["count"] == CouncilSession.objects.filter(council=council).count()
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/api/sessions/sessions/")
    assert _counts(queries) == 0


def test_the_api_counts_a_full_first_page_exactly(staff_client, council):
    Agency.objects.bulk_create([Agency(council=council, name=f"Sở thử {i}") for i in range(60)])
    expected = Agency.objects.filter(council=council).count()
    body = staff_client.get("/api/core/agencies/").json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (expected, 50, True)
