"""The session page reads a fixed number of queries whatever its days, agenda items, documents,
resolutions and polls; its agenda lists only the documents the reader may see."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import AgendaItem, CouncilSession, SessionDocument
from sessions.services import attendance_record, poll_open, resolution_adopt, session_open, vote_record

# The session, its history and the documents' receipt rule; agenda (with each item's open poll
# and latest vote); documents, verifications, resolutions; attendance, the deputies sitting each
# day and the quorum rule of those days; and the layout (session, user, roles, councils, bell). It
# was 20 and grew by two queries per day of the session; then 18 with the votes, polls and issue
# groups (which the page never showed) read apart.
SESSION_PAGE_QUERIES = 15


def _fill(session, items: int, deputies):
    council = session.council
    for i in range(items):
        item = AgendaItem.objects.create(
            council=council, session=session, position=i + 1, title=f"Tờ trình về nội dung {i}",
            proposes_resolution=True,
        )
        for kind in ("submission", "draft_resolution"):
            SessionDocument.objects.create(
                council=council, session=session, agenda_item=item, kind=kind, title=f"Dự thảo Nghị quyết về {i}",
                doc_date=date(2026, 12, 1),
            )
        resolution_adopt(council=council, title=f"Nghị quyết {i}", kind="regular", adopted_on=date(2026, 12, 8),
                         session=session, agenda_item=item)
    for day in session.days:  # today (9 December, as this app's tests are) and the days before it
        if day > date(2026, 12, 9):
            continue
        attendance_record(session=session, day=day, entries=[(d.pk, "present", "") for d in deputies])


def _count(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("sessions:session_detail", args=[session.pk])).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_session_page_costs_the_same_for_one_day_or_three_and_one_item_or_six(
    council, term, staff_client, seat_deputies
):
    deputies = seat_deputies(4)
    short = CouncilSession.objects.create(
        council=council, term=term, number=1, planned_start=date(2026, 12, 8), planned_end=date(2026, 12, 8)
    )
    long = CouncilSession.objects.create(
        council=council, term=term, number=2, planned_start=date(2026, 12, 8), planned_end=date(2026, 12, 10)
    )
    short, long = (session_open(session=s, on=date(2026, 12, 8)) for s in (short, long))
    _fill(short, 1, deputies)
    _fill(long, 6, deputies)
    items = list(long.agenda_items.order_by("position"))
    vote_record(agenda_item=items[0], voted_on=date(2026, 12, 8), yes=3, no=1, not_voting=0)
    vote_record(agenda_item=items[1], voted_on=date(2026, 12, 8), yes=1, no=3, not_voting=0)
    poll = poll_open(agenda_item=items[2])
    assert len(list(long.days)) == 3
    _count(staff_client, short)  # the first page of a process also reads the holiday calendar (then cached)
    small, large = _count(staff_client, short), _count(staff_client, long)
    assert small == large <= SESSION_PAGE_QUERIES
    # The agenda still shows each item's latest vote and its open poll, read with the items.
    page = staff_client.get(reverse("sessions:session_detail", args=[long.pk]))
    agenda = page.context["agenda"]
    assert (agenda[0].last_vote.passed, agenda[0].last_vote.yes, agenda[0].last_vote.total_deputies) == (True, 3, 4)
    assert agenda[1].last_vote.passed is False and agenda[2].last_vote is None
    assert agenda[2].open_poll.pk == poll.pk and agenda[0].open_poll is None
    assert [p.pk for p in page.context["open_polls"]] == [poll.pk]
    html = page.content.decode()
    assert reverse("sessions:poll_detail", args=[poll.pk]) in html and "3/4" in html


@pytest.mark.django_db
def test_a_deputy_reads_the_session_page_in_as_many_queries(council, term, deputy_client, staff_client, seat_deputies):
    session = CouncilSession.objects.create(
        council=council, term=term, number=3, planned_start=date(2026, 12, 8), planned_end=date(2026, 12, 10)
    )
    session = session_open(session=session, on=date(2026, 12, 8))
    _fill(session, 4, seat_deputies(3))
    _count(deputy_client, session)
    assert _count(deputy_client, session) <= SESSION_PAGE_QUERIES


@pytest.mark.django_db
def test_the_agenda_lists_only_documents_the_reader_may_see(council, term, council_session, deputy_client,
                                                             staff_client):
    item = AgendaItem.objects.create(council=council, session=council_session, position=1, title="Ngân sách 2027")
    SessionDocument.objects.create(council=council, session=council_session, agenda_item=item, kind="other",
                                   title="Tài liệu công khai", doc_date=date(2026, 12, 1),
                                   visibility=SessionDocument.Visibility.PUBLIC)
    draft = SessionDocument.objects.create(council=council, session=council_session, agenda_item=item, kind="other",
                                           title="Tài liệu chưa gửi", doc_date=date(2026, 12, 1),
                                           visibility=SessionDocument.Visibility.DEPUTIES)
    url = reverse("sessions:session_detail", args=[council_session.pk])
    draft_link = reverse("sessions:document_detail", args=[draft.pk])
    staff_agenda = staff_client.get(url).context["agenda"]
    assert [d.title for d in staff_agenda[0].shown_documents] == ["Tài liệu công khai", "Tài liệu chưa gửi"]
    page = deputy_client.get(url)
    # Not sent to the deputies yet: neither in the documents card nor beside its agenda item.
    assert [d.title for d in page.context["agenda"][0].shown_documents] == ["Tài liệu công khai"]
    assert draft_link not in page.content.decode()


# As a web process serves it: the rules and the councils' tree are held per process between
# requests (core.refcache), so the layout's councils query and the two rules are not read.
SESSION_PAGE_QUERIES_SERVED = 12


@pytest.mark.django_db(transaction=True)
def test_the_session_page_as_served_reads_at_most_twelve_queries(council, term, staff_client, seat_deputies):
    deputies = seat_deputies(4)
    session = CouncilSession.objects.create(
        council=council, term=term, number=1, planned_start=date(2026, 12, 8), planned_end=date(2026, 12, 10)
    )
    session = session_open(session=session, on=date(2026, 12, 8))
    _fill(session, 3, deputies)
    _count(staff_client, session)  # the process's first page reads the rules, the tree and the calendar
    assert _count(staff_client, session) <= SESSION_PAGE_QUERIES_SERVED
