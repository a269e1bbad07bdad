"""Public pages keep a bounded number of SQL queries whatever the number of published records
(counted with the page cache empty)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public.queries import council_slug


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_council_page_and_resolution_list(client, council, make_resolution, publish):
    slug = council_slug(council.name, council.code)

    def grow(n):
        for i in range(n):
            publish("resolution", make_resolution(title=f"Nghị quyết số {i}"))

    urls = [reverse("public:council", args=[slug]), reverse("public:resolutions", args=[slug])]
    grow(3)
    [_count(client, u) for u in urls]  # warm the per-process caches (content types, rules)
    few = [_count(client, u) for u in urls]
    grow(30)
    many = [_count(client, u) for u in urls]
    assert many == few, (few, many)
