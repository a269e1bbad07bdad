"""The deadlines search: every word typed (without accents) begins a word of the deadline's title
or of its agency's name or short name — on the page and in the API, whatever road wrote the row,
read from the title's stored words and their index, in a bounded number of queries."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hdnd_portal.core.models import Agency, Deadline
from hdnd_portal.notifications.queries import search_deadlines

pytestmark = pytest.mark.django_db


def council_titles(client, q):
    response = client.get(reverse("notifications:council_deadlines"), {"q": q})
    assert response.status_code == 200
    return {d.title for d in response.context["object_list"]}


@pytest.fixture
def rows(make_deadline, council):
    today = timezone.localdate()
    water = Agency.objects.create(council=council, name="Công ty Cấp nước", short_name="CTCN", head_name="Nguyễn Xây")
    return {
        "road": make_deadline(today, title="Trả lời kiến nghị: XÂY DỰNG đường Đông Anh"),  # Sở Xây dựng's
        "number": make_deadline(today, title="Đơn 459/2026: Thụ lý khiếu nại (TP.HCM)", responsible_agency=water),
        "water": make_deadline(today, title="Trả lời kiến nghị về nước sạch", responsible_agency=water),
    }


def test_every_word_begins_a_word_of_the_title_or_the_agency(staff_client, rows):
    assert council_titles(staff_client, "xay dung") == {rows["road"].title}
    assert council_titles(staff_client, "XÂY DỰNG") == {rows["road"].title}  # accents and case do not matter
    assert council_titles(staff_client, "dong anh xay") == {rows["road"].title}
    assert council_titles(staff_client, "so xay dung") == {rows["road"].title}  # "Sở" only in the agency's name
    assert council_titles(staff_client, "sxd") == {rows["road"].title}  # the agency's short name
    assert council_titles(staff_client, "cap nuoc sach") == {rows["water"].title}  # agency and title together
    assert council_titles(staff_client, "kien ngh") == {rows["road"].title, rows["water"].title}  # a word's start
    assert council_titles(staff_client, "ien nghi") == set()  # not the middle of a word
    assert council_titles(staff_client, "nguyen") == set()  # the agency head's name is not the agency's


def test_numbers_and_abbreviations_are_words(staff_client, rows):
    """The text search parser would read "459/2026" as one path and "tp.hcm" as one host name;
    the stored words are fold()'s, as everywhere else in the portal."""
    assert council_titles(staff_client, "459/2026") == {rows["number"].title}
    assert council_titles(staff_client, "2026") == {rows["number"].title}
    assert council_titles(staff_client, "tp hcm") == {rows["number"].title}
    assert council_titles(staff_client, "hcm") == {rows["number"].title}


def test_rows_written_in_bulk_or_renamed_are_found(council, agency):
    """The title's words are a column PostgreSQL generates: bulk writes and update() keep it."""
    subject = Agency.objects.create(council=council, name="Chủ thể")
    kind = ContentType.objects.get_for_model(Agency)
    Deadline.objects.bulk_create(
        [
            Deadline(
                council=council, content_type=kind, object_id=subject.pk, kind="x.bulk", title="Giám sát Trường Đại học",
                start_date=date(2026, 1, 5), due_date=date(2026, 2, 5), original_due_date=date(2026, 2, 5),
            )
        ]
    )
    found = search_deadlines(Deadline.objects.all(), "truong dai hoc")
    assert list(found.values_list("title", flat=True)) == ["Giám sát Trường Đại học"]
    Deadline.objects.filter(kind="x.bulk").update(title="Giám sát Bệnh viện")
    assert not search_deadlines(Deadline.objects.all(), "truong").exists()
    assert search_deadlines(Deadline.objects.all(), "benh vien").count() == 1


def test_the_api_searches_as_the_page_does(api_client, rows):
    base = "/api/notifications/deadlines/"
    results = api_client.get(base, {"scope": "council", "q": "so xay dung"}).json()["results"]
    assert [r["title"] for r in results] == [rows["road"].title]
    assert api_client.get(base, {"scope": "council", "q": "khong co dau"}).json()["count"] == 0


def test_another_councils_deadlines_stay_out_of_the_search(staff_client, make_deadline, other_council, rows):
    make_deadline(timezone.localdate(), title="Xây dựng trường Nghệ An", on_council=other_council, responsible_agency=None)
    assert council_titles(staff_client, "xay dung") == {rows["road"].title}


@pytest.mark.parametrize("n", [3, 30])
def test_the_search_costs_the_same_queries_whatever_the_rows(
    n, make_deadline, staff_client, staff_user, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(n):
        make_deadline(today + timedelta(days=i % 5), title=f"Xây dựng công trình {i}", responsible_user=staff_user)
    with django_assert_max_num_queries(23):
        assert len(council_titles(staff_client, "xay dung cong trinh")) == n


def test_the_search_reads_the_stored_words_through_their_index(make_deadline, council):
    for i in range(20):
        make_deadline(timezone.localdate(), title=f"Việc số {i}")
    found = search_deadlines(Deadline.objects.all(), "viec")
    assert "translate" not in str(found.query)  # no title is folded at query time
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the plan at scale, on a few test rows
        assert "deadline_title_search" in found.explain()
