"""The petition list page, for the council alone and with the councils below: at most 12 SQL
queries whatever the rows (issue #13), its rows written in Python with every text escaped, and
the shared page parts (menus, council switcher) the same as the data they come from."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUDGET = 12


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(make_petition, councils, n):
    for council in councils:
        for i in range(n):
            make_petition(council, content=f"Kiến nghị số {i} về đường giao thông", received_on=date(2026, 1, 1 + i % 28))


def test_the_petition_list_stays_within_twelve_queries(staff_client, council, commune, make_petition, monkeypatch):
    from hdnd_portal.core.views.generic import PortalListView

    # Full first pages, as a list of any size has: a first page that is not full is every row
    # and runs no COUNT (core.pagination.RowsFirstPaginator), one query less.
    monkeypatch.setattr(PortalListView, "paginate_by", 2)
    urls = [reverse("voters:petition_list"), reverse("voters:petition_list") + "?below=1",
            reverse("voters:petition_list") + "?below=1&status=forwarded", reverse("voters:petition_list") + "?q=duong"]
    _grow(make_petition, [council, commune], 2)
    few = [_queries(staff_client, url) for url in urls]
    _grow(make_petition, [council, commune], 30)
    many = [_queries(staff_client, url) for url in urls]
    assert many == few, (few, many)
    assert max(many) <= BUDGET, many


def test_rows_escape_what_people_typed_and_link_each_petition(staff_client, council, make_petition):
    petition = make_petition(council, content='<script>alert("x")</script> & đường', locality="Tổ <1>")
    html = staff_client.get(reverse("voters:petition_list")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; đường" in html
    assert "<td>Tổ &lt;1&gt;</td>" in html
    url = reverse("voters:petition_detail", args=[petition.pk])
    assert f'<tr class="" data-id="{petition.pk}"><td><input type="checkbox"' in html
    assert f'<td><a href="{url}">#{petition.pk}</a></td>' in html


def test_the_switcher_lists_the_councils_the_user_can_reach(staff_client, council, commune, make_council):
    make_council("Tỉnh Nghệ An")  # not theirs
    html = staff_client.get(reverse("voters:petition_list")).content.decode()
    assert f'<option value="{council.pk}" selected>Thành phố Hà Nội</option>' in html
    assert f'<option value="{commune.pk}">Phường Đông Anh</option>' in html
    assert "Nghệ An" not in html
    # The commune (level "commune") comes before the province, as the database orders them.
    assert html.index("Phường Đông Anh</option>") < html.index("Thành phố Hà Nội</option>")


def test_the_meetings_page_reads_the_deputies_present_from_the_link_table(staff_client, council, make_deputy,
                                                                        make_meeting):
    """The voter meetings page prints each meeting's deputies present, read for its rows from the
    link table as plain records (PortalListView.page_links): in name order, no deputy row built;
    the export still lists them."""
    ba, an = make_deputy(council, "Trần Văn Ba"), make_deputy(council, "Lê Thị An")
    meeting = make_meeting(council, title="Tiếp xúc cử tri phường Đông Anh")
    meeting.deputies.set([ba, an])
    make_meeting(council, title="Tiếp xúc cử tri không có đại biểu")
    url = reverse("voters:meeting_list")
    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get(url).content.decode()
    sqls = [q["sql"] for q in queries.captured_queries]
    assert "Lê Thị An, Trần Văn Ba" in page
    assert not [sql for sql in sqls if 'FROM "core_deputy" INNER JOIN' in sql]
    assert len(sqls) <= BUDGET
    export = staff_client.get(url + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
