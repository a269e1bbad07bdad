"""`field__any=ids` (core.lookups): the rows `field__in=ids` gives, sent as one array parameter
whatever the number of ids."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.models import Agency, Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(council, commune, other_council):
    return [
        Agency.objects.create(council=council, name="Sở Tài chính"),
        Agency.objects.create(council=commune, name="UBND phường Đông Anh"),
        Agency.objects.create(council=other_council, name="Sở Tài chính Nghệ An"),
    ]


def ids(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_the_same_rows_as_in(agencies, council, commune, other_council):
    for wanted in ([council.pk], [council.pk, commune.pk], [council.pk, council.pk, None, str(commune.pk)]):
        assert ids(Agency.objects.filter(council__any=wanted)) == ids(Agency.objects.filter(council__in=wanted))
        assert ids(Agency.objects.exclude(council_id__any=wanted)) == ids(Agency.objects.exclude(council_id__in=wanted))
    assert ids(Agency.objects.filter(council__any=[council.pk])) == [agencies[0].pk]
    assert ids(Council.objects.filter(id__any={commune.pk, other_council.pk})) == sorted([commune.pk, other_council.pk])
    assert ids(Council.objects.filter(parent__any=[council.pk])) == ids(Council.objects.filter(parent=council))


def test_no_ids_is_no_row_and_no_query(agencies, council):
    with CaptureQueriesContext(connection) as queries:
        assert list(Agency.objects.filter(council__any=[])) == []
        assert Agency.objects.filter(council__any=[None]).count() == 0
    assert len(queries) == 0
    either = Agency.objects.filter(Q(council__any=[]) | Q(council=council))
    assert ids(either) == [agencies[0].pk]


def test_one_parameter_whatever_the_number_of_ids(agencies, council):
    for wanted in (range(1, 3), range(1, 200)):
        sql, params = Agency.objects.filter(council__any=list(wanted)).query.sql_with_params()
        assert "= ANY(%s::bigint[])" in sql
        assert params == (list(wanted),)
    assert Agency.objects.filter(council__any=[*range(10_000, 10_200), council.pk]).count() == 1


def test_one_id_is_an_equality_the_planner_can_read_an_index_in_order_by(agencies, council):
    """`= ANY(array)` with one element hides from PostgreSQL that the council is one value, so an
    index (council, date) cannot give a council's rows in date order; `IN (7)` and `= 7` can."""
    for wanted in ([council.pk], [council.pk, council.pk, None], [str(council.pk)]):
        sql, params = Agency.objects.filter(council__any=wanted).query.sql_with_params()
        assert '"council_id" = %s' in sql and "ANY" not in sql
        assert params == (council.pk,)
        assert ids(Agency.objects.filter(council__any=wanted)) == [agencies[0].pk]
    assert ids(Agency.objects.exclude(council__any=[council.pk])) == sorted(a.pk for a in agencies[1:])


def test_an_id_that_is_no_number_fails_as_in_fails():
    with pytest.raises((TypeError, ValueError)):
        Agency.objects.filter(council__in=["x"])
    with pytest.raises((TypeError, ValueError)):
        Agency.objects.filter(council__any=["x"])
