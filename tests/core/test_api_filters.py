"""The API's ?council= filter: checked against the councils' tree held per process, with the
answers Django's model choice gave (and no query of its own)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.refcache import ReferenceCache
from voters import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_copies():
    ReferenceCache.clear_all()
    yield
    ReferenceCache.clear_all()


def test_a_council_filter_answers_as_before_without_a_query(api_client, council, other_council):
    services.petition_create(council=council, content="Kiến nghị đường làng")
    assert api_client.get(f"/api/voters/petitions/?council={council.pk}").json()["count"] == 1
    # another council that exists: a valid choice, nothing of it is visible
    assert api_client.get(f"/api/voters/petitions/?council={other_council.pk}").json()["count"] == 0
    for bad in ("999999", "abc", "-1", "1e3", "²", "99999999999999999999"):
        response = api_client.get(f"/api/voters/petitions/?council={bad}")
        assert response.status_code == 400, bad
        assert list(response.json()) == ["council"], bad
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/voters/petitions/?council={council.pk}").status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "core_council"' in q["sql"]]


def test_a_council_created_elsewhere_is_a_valid_choice_at_once(api_client, council, make_council):
    assert api_client.get(f"/api/voters/petitions/?council={council.pk}").status_code == 200
    new = make_council("Xã Mới")
    assert api_client.get(f"/api/voters/petitions/?council={new.pk}").status_code == 200
