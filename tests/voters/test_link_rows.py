"""core.prefetch.link_rows: a page's many-to-many read in one statement, in the related rows' order,
as the relation's own queryset gives them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.prefetch import LISTED, link_rows
from voters import services
from voters.models import Petition, PetitionSource, VoterMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(council, make_deputy, make_meeting):
    an, ba, cuong, dung = (
        make_deputy(council, name) for name in ("Lê Thị An", "Trần Văn Ba", "Đỗ Văn Cường", "Lê Thị An")
    )
    rows = [make_meeting(council) for _ in range(4)]
    rows[0].deputies.set([cuong, an, ba])
    rows[1].deputies.set([dung, an])  # two deputies of the same name: the pk decides
    rows[2].deputies.set([ba])
    return rows  # rows[3]: no deputy


@pytest.mark.parametrize(
    "columns, order",
    [
        (("full_name",), ("sort_key", "pk")),
        (("full_name",), ("-sort_key", "-pk")),
        (("full_name",), ("pk",)),
        (("full_name",), ("-full_name", "pk")),
        ((), ("sort_key", "pk")),
        ((), ("pk",)),  # ids only: the link table alone
        ((), ("-pk",)),
    ],
)
def test_each_row_gets_its_related_rows_in_the_relations_order_in_one_statement(meetings, columns, order):
    rows = list(VoterMeeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        link_rows(rows, "deputies", columns, order)
    assert len(queries) == 1
    for row in rows:
        expected = list(row.deputies.order_by(*order).values_list("pk", *columns))
        listed = row.__dict__["deputies" + LISTED]
        assert [(d.pk, *(getattr(d, c) for c in columns)) for d in listed] == expected


def test_a_link_without_its_related_row_is_left_out(council, meetings):
    petition = services.petition_create(council=council, content="Đường làng", meetings=meetings[:2])
    PetitionSource.objects.create(petition=petition, meeting=None, note="nhập từ Excel")
    rows = [Petition.objects.get(pk=petition.pk)]
    link_rows(rows, "meetings", (), ("pk",))
    assert [m.pk for m in rows[0].meetings_listed] == sorted(m.pk for m in meetings[:2])


def test_no_rows_no_statement(db):
    with CaptureQueriesContext(connection) as queries:
        link_rows([], "deputies", ("full_name",), ("pk",))
    assert len(queries) == 0
