"""The held directory choices are keyed without compiling their query (core.filters.plain_query_key):
two queries share a key only when they select the same rows, and anything the key cannot tell
apart is keyed by its SQL."""

from datetime import date

import pytest
from django.db.models import Exists, OuterRef

from hdnd_portal.core.filters import plain_query_key
from hdnd_portal.core.models import Agency, Body, Deputy

COLUMNS = ("pk", "name")


def key(qs):
    return plain_query_key(qs.query, COLUMNS)


def test_the_same_conditions_give_the_same_key_and_any_difference_another():
    assert key(Body.objects.filter(council_id=1, kind=Body.Kind.COMMITTEE)) == key(
        Body.objects.filter(council=1).filter(kind="committee"))
    keys = [
        key(Body.objects.filter(council_id=1, kind=Body.Kind.COMMITTEE)),
        key(Body.objects.filter(council_id=2, kind=Body.Kind.COMMITTEE)),
        key(Body.objects.filter(council_id=1, kind=Body.Kind.GROUP)),
        key(Body.objects.filter(council_id=1)),
        key(Body.objects.filter(council_id__in=[1, 2])),
        key(Body.objects.filter(council_id__in=[1, 3])),
        key(Body.objects.exclude(council_id=1)),
        key(Body.objects.filter(council_id=1).order_by("-name")),
        key(Agency.objects.filter(council_id=1)),
        key(Body.objects.filter(council_id=1, is_active=True)),
        key(Body.objects.filter(council_id=1, is_active=False)),
        key(Body.objects.filter(council_id=1) | Body.objects.filter(kind="group")),
    ]
    assert None not in keys
    assert len(set(keys)) == len(keys)
    assert plain_query_key(Body.objects.filter(council_id=1).query, ("pk", "abbreviation")) != keys[3]


@pytest.mark.parametrize(
    "qs",
    [
        lambda: Body.objects.filter(council__parent_id=1),  # through a join
        lambda: Body.objects.filter(council__name="Hà Nội"),
        lambda: Body.objects.filter(Exists(Deputy.objects.filter(council=OuterRef("council")))),
        lambda: Body.objects.filter(council_id=1)[:5],
        lambda: Body.objects.filter(council_id=1).distinct(),
        lambda: Body.objects.filter(name__icontains=1.5),
        lambda: Deputy.objects.filter(start_date__year=2026),  # a transform of the column
    ],
)
def test_what_the_key_cannot_tell_apart_is_keyed_by_its_sql(qs):
    assert key(qs()) is None


def test_dates_are_plain_values():
    assert key(Deputy.objects.filter(start_date__gte=date(2026, 1, 1))) != key(
        Deputy.objects.filter(start_date__gte=date(2026, 1, 2)))
