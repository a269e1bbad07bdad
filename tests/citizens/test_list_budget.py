"""The letter register page, for the council alone and with the councils below: at most 12 SQL
queries whatever the rows (issue #13), and a denouncer's name never in it."""

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


def test_the_letter_register_stays_within_twelve_queries(client_for, make_user, council, commune, make_letter,
                                                        monkeypatch):
    from hdnd_portal.core.models import CouncilRole
    from hdnd_portal.core.views.generic import PortalListView

    # Full first pages, as a list of any size has: a first page that is not full is every row
    # and runs no COUNT (core.pagination.RowsFirstPaginator), one query less.
    monkeypatch.setattr(PortalListView, "paginate_by", 2)

    client = client_for(make_user("vanthu", council, CouncilRole.Role.STAFF))
    urls = [reverse("citizens:letter_list"), reverse("citizens:letter_list") + "?below=1",
            reverse("citizens:letter_list") + "?below=1&q=dat+dai"]

    def grow(n):
        for where in (council, commune):
            for i in range(n):
                make_letter(council=where, received_on=date(2025, 3, 3 + i % 20),
                            senders=[{"full_name": f"Người gửi {i}", "address": "Hà Nội"},
                                     {"full_name": f"Người cùng ký {i}", "address": "Hà Nội"}])

    grow(2)
    few = [_queries(client, url) for url in urls]
    grow(25)
    many = [_queries(client, url) for url in urls]
    assert many == few, (few, many)
    assert max(many) <= BUDGET, many


def test_the_register_names_the_first_sender_but_never_a_denouncer(client_for, make_user, council, make_letter, agency):
    from hdnd_portal.core.models import CouncilRole

    client = client_for(make_user("vanthu", council, CouncilRole.Role.STAFF))
    make_letter(senders=[{"full_name": "Trần Thị Đại Diện", "address": "Hà Nội", "is_representative": True},
                         {"full_name": "Lê Văn Cùng Ký", "address": "Hà Nội"}], signer_count=2)
    make_letter(kind="denunciation", subject="Tố cáo cán bộ", respondent_agency=agency,
                senders=[{"full_name": "Phạm Văn Tố Cáo", "address": "Hà Nội"}])
    html = client.get(reverse("citizens:letter_list")).content.decode()
    assert "Trần Thị Đại Diện" in html and "Lê Văn Cùng Ký" not in html
    assert "Phạm Văn Tố Cáo" not in html
