"""Pages added this round keep a bounded number of SQL queries whatever the number of rows:
each is counted with a few rows and with many, and the count must not grow."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hdnd_portal.core.deadlines import deadline_set
from hdnd_portal.core.models import Agency, Council, CouncilRole, PermissionGrant

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    cache.clear()  # pages keep some lookups in the cache (the deadlines' kinds): count them cold
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_deadlines_page_grant_log_and_council_list(staff_client, staff_user, admin_client, council, make_user):
    def grow(n):
        for i in range(n):
            agency = Agency.objects.create(council=council, name=f"Cơ quan {Agency.objects.count() + 1}")
            deadline_set(subject=agency, council=council, kind="petition.response", title=f"Việc {i}",
                         start_date=date(2026, 1, 5), due_date=timezone.localdate() + timedelta(days=i - n // 2),
                         responsible_user=staff_user, responsible_agency=agency)
            user = make_user(f"u{Agency.objects.count()}", council, CouncilRole.Role.VIEWER)
            PermissionGrant.objects.create(council=council, user=user, permission="role:viewer", granted=True)
            Council.objects.create(name=f"Phường {agency.pk}", level="commune", unit_kind="phuong",
                                   code=f"P{agency.pk:05d}", parent=council)

    urls = [(staff_client, reverse("notifications:my_deadlines")),
            (admin_client, reverse("core:grant_log")),
            (staff_client, reverse("core:council_list"))]
    grow(3)
    few = [_count(c, u) for c, u in urls]
    grow(30)
    many = [_count(c, u) for c, u in urls]
    assert many == few, (few, many)


def test_dashboard_reads_at_most_twelve_queries_with_or_without_the_councils_below(staff_client, council, commune):
    url = reverse("reports:dashboard")
    _count(staff_client, url)  # the first page of a process also reads the holiday calendar
    assert _count(staff_client, url) <= 12
    assert _count(staff_client, url + "?below=1") <= 12
