"""A letter's page reads a fixed number of queries, with its senders, its deadlines and the earlier
letters it may duplicate (the same senders, similar content) however many there are."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens import services

pytestmark = pytest.mark.django_db

# The letter and its relations, its senders, its history, its deadlines and their extensions,
# scans, the duplicate search (the earlier letters of the same senders, then those letters with all
# their senders), its duplicates (read only when it has some: a letter whose duplicates were linked
# is past the duplicate search) and parts; the layout (session, user, roles, councils, bell). It
# was 16, then 14 (the duplicate search read the candidates' senders apart).
LETTER_PAGE_QUERIES = 13
# As a web process serves it, the councils' tree held between requests (core.refcache).
LETTER_PAGE_QUERIES_SERVED = 12


def _letter(council, i, received_on):
    return services.letter_register(
        council=council, received_on=received_on, channel="post", kind="complaint",
        subject="Đơn khiếu nại về bồi thường đất đai", content="Khiếu nại việc bồi thường khi thu hồi đất ở thôn Đông",
        senders=[{"full_name": "Nguyễn Văn Bình"}, {"full_name": f"Trần Thị Hoa {i}"}], letter_date=received_on,
    )


def _count(client, letter) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("citizens:letter_detail", args=[letter.pk]))
    assert page.status_code == 200
    return len(queries.captured_queries), page


def test_the_letter_page_is_bounded_and_still_finds_earlier_letters_from_the_same_sender(council, staff_client):
    newest = services.letter_register(
        council=council, received_on=date(2025, 3, 20), channel="post", kind="complaint",
        subject="Đơn khiếu nại về bồi thường đất đai", content="Khiếu nại việc bồi thường khi thu hồi đất ở thôn Đông",
        senders=[{"full_name": "Nguyễn Văn Bình"}], letter_date=date(2025, 3, 20),
    )
    # Registered after it (found by then as its duplicate), an earlier letter of the same sender.
    first = _letter(council, 0, date(2025, 3, 3))
    _count(staff_client, newest)  # the first page of a process also reads the holiday calendar
    few, page = _count(staff_client, newest)
    assert newest.status == "received"  # so the page runs the duplicate search
    assert first.pk in [d.pk for d in page.context["possible_duplicates"]]
    for i in range(1, 12):
        _letter(council, i, date(2025, 3, 3) + timedelta(days=i))
    many, _page = _count(staff_client, newest)
    assert many == few <= LETTER_PAGE_QUERIES, (few, many)


def test_linked_duplicates_are_listed_when_a_letter_has_some(council, staff_client):
    original = _letter(council, 0, date(2025, 3, 3))
    copy = _letter(council, 1, date(2025, 3, 10))
    _count(staff_client, original)
    alone, page = _count(staff_client, original)
    assert page.context["duplicates"] == []
    services.letter_link_duplicate(letter=copy, original=original)
    linked, page = _count(staff_client, original)
    assert [d.pk for d in page.context["duplicates"]] == [copy.pk]
    assert copy.register_number in page.content.decode()
    assert linked == alone + 1 <= LETTER_PAGE_QUERIES + 1  # the list is read only when there is one


@pytest.mark.django_db(transaction=True)
def test_the_letter_page_as_served_reads_at_most_twelve_queries(council, staff_client):
    newest = services.letter_register(
        council=council, received_on=date(2025, 3, 20), channel="post", kind="complaint",
        subject="Đơn khiếu nại về bồi thường đất đai", content="Khiếu nại việc bồi thường khi thu hồi đất ở thôn Đông",
        senders=[{"full_name": "Nguyễn Văn Bình"}], letter_date=date(2025, 3, 20),
    )
    for i in range(1, 4):  # earlier letters of the same sender, registered after it
        _letter(council, i, date(2025, 3, 3) + timedelta(days=i))
    _count(staff_client, newest)
    count, page = _count(staff_client, newest)
    assert newest.status == "received" and page.context["possible_duplicates"]
    assert count <= LETTER_PAGE_QUERIES_SERVED
