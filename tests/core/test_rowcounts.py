"""A council's rows of a counted table, held by PostgreSQL's triggers (core.rowcounts): the held
number is COUNT(*) whatever writes the rows, and a list reads it only for a bare council scope."""

import threading
from datetime import date

import psycopg2
import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hdnd_portal.core import rowcounts
from hdnd_portal.core.models import Council, CouncilRole, Term
from hdnd_portal.core.pagination import RowsFirstPaginator
from hdnd_portal.core.views.generic import CappedPaginator
from voters.models import VoterMeeting

pytestmark = pytest.mark.django_db


# A meeting written by another connection (another request's transaction), in SQL.
_INSERT = ("INSERT INTO voters_votermeeting (created_at, updated_at, version, search_text, council_id, kind, title, "
           "place, date, voter_count, minutes, notes, outside_constituency)")


def _connect():
    """A second connection to the test database, as Django's own is made (host, socket, options)."""
    return psycopg2.connect(**connection.get_connection_params())


def _held(ids=None) -> int | None:
    qs = VoterMeeting.objects.all() if ids is None else VoterMeeting.objects.filter(council_id__any=ids)
    return rowcounts.scope_count(qs)


def _meeting(council, **kwargs):
    return VoterMeeting.objects.create(council=council, date=date(2026, 1, 10), voter_count=10, **kwargs)


def _assert_exact(*councils):
    for council in councils:
        assert _held([council.pk]) == VoterMeeting.objects.filter(council=council).count()
    assert _held([c.pk for c in councils]) == VoterMeeting.objects.filter(council__in=councils).count()
    assert _held() == VoterMeeting.objects.count()


def test_every_counted_table_has_its_triggers():
    from django.apps import apps

    tables = {apps.get_model(label)._meta.db_table for label in rowcounts.COUNTED}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE %s", ["%_rows_%"])
        found = cursor.fetchall()
    assert {table for table, _name in found} == tables
    for table in tables:
        assert {name for t, name in found if t == table} == {
            f"{table}_rows_{event}" for event in ("inserted", "deleted", "moved", "truncated")
        }


def test_the_held_number_follows_every_kind_of_write(council, other_council):
    _assert_exact(council, other_council)
    first = _meeting(council)
    _meeting(council)
    _assert_exact(council, other_council)
    VoterMeeting.objects.bulk_create(
        [VoterMeeting(council=other_council, date=date(2026, 2, i), voter_count=i) for i in range(1, 8)]
        + [VoterMeeting(council=council, date=date(2026, 3, 1), voter_count=3)]
    )
    _assert_exact(council, other_council)
    assert _held([other_council.pk]) == 7

    # A record's council is fixed once created (PortalModel.save refuses a change); update() and
    # SQL can still move rows.
    VoterMeeting.objects.filter(pk=first.pk).update(council=other_council)
    _assert_exact(council, other_council)
    VoterMeeting.objects.filter(council=other_council, voter_count__lt=3).update(council=council)
    _assert_exact(council, other_council)
    VoterMeeting.objects.filter(council=council).update(title="Cập nhật")  # no move: nothing appended
    _assert_exact(council, other_council)

    first.delete()
    VoterMeeting.objects.filter(voter_count__gt=5).delete()
    _assert_exact(council, other_council)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM voters_votermeeting WHERE council_id = %s", [council.pk])  # raw SQL too
    _assert_exact(council, other_council)
    assert _held([council.pk]) == 0


def test_a_rolled_back_write_leaves_no_delta(council):
    _meeting(council)
    with pytest.raises(RuntimeError), transaction.atomic():
        _meeting(council)
        VoterMeeting.objects.bulk_create([VoterMeeting(council=council, date=date(2026, 2, 1), voter_count=1)] * 1)
        assert _held([council.pk]) == 3  # the transaction sees its own rows and their deltas
        raise RuntimeError
    assert _held([council.pk]) == 1
    _assert_exact(council)


def test_compact_keeps_the_sums_in_one_row_per_council(council, other_council):
    for _ in range(3):
        _meeting(council)
        _meeting(other_council)
    VoterMeeting.objects.filter(council=other_council).delete()
    before = {c.pk: _held([c.pk]) for c in (council, other_council)}
    rowcounts.compact()
    assert {c.pk: _held([c.pk]) for c in (council, other_council)} == before == {council.pk: 3, other_council.pk: 0}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT council_id, count(*) FROM core_rowcountdelta WHERE table_name = 'voters_votermeeting' "
            "AND council_id = ANY(%s) GROUP BY council_id",
            [[council.pk, other_council.pk]],
        )
        assert dict(cursor.fetchall()) == {council.pk: 1}  # a council's rows that sum to 0 are dropped
    _assert_exact(council, other_council)


def test_beat_compacts_every_hour(council, settings):
    from hdnd_portal.core.tasks import compact_row_counts

    schedule = settings.CELERY_BEAT_SCHEDULE["row-counts-compact"]
    assert schedule["task"] == compact_row_counts.name
    _meeting(council)
    _meeting(council)
    assert compact_row_counts.delay().get() >= 1
    assert compact_row_counts.delay().get() == 0  # nothing left to fold
    _assert_exact(council)


@pytest.mark.django_db(transaction=True)
def test_compact_beside_an_uncommitted_insert_loses_nothing(make_council):
    council = make_council("Tỉnh Thử Đồng Thời")
    _meeting(council)
    other = _connect()
    try:
        with other.cursor() as cursor:  # a transaction of another request, still open
            cursor.execute(
                f"{_INSERT} VALUES (now(), now(), 1, '', %s, 'before_session', '', '', '2026-01-11', 5, '', '', false)",
                [council.pk],
            )
        rowcounts.compact()
        assert _held([council.pk]) == 1  # the other transaction's row is not seen, nor its delta
        other.commit()
        assert _held([council.pk]) == 2 == VoterMeeting.objects.filter(council=council).count()
        rowcounts.compact()
        assert _held([council.pk]) == 2
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_writers_in_one_council_do_not_wait_for_each_other(make_council):
    """Appending deltas locks no shared row: a long import does not hold up the next meeting."""
    council = make_council("Tỉnh Thử Nhập")
    importer = _connect()
    try:
        with importer.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(
                f"{_INSERT} SELECT now(), now(), 1, '', %s, 'before_session', '', '', '2026-01-11', n, '', '', false "
                "FROM generate_series(1, 50) n",
                [council.pk],
            )
        done = threading.Event()

        def write():
            from django.db import connection as thread_connection

            try:
                with thread_connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
                _meeting(council)
                done.set()
            finally:
                thread_connection.close()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=10)
        assert done.is_set()
        importer.commit()
        assert _held([council.pk]) == 51 == VoterMeeting.objects.filter(council=council).count()
    finally:
        importer.close()


def test_only_a_bare_council_scope_is_read_from_the_held_numbers(council, other_council):
    _meeting(council, title="Họp")
    ids = [council.pk, other_council.pk]
    bare = [
        VoterMeeting.objects.all(),
        VoterMeeting.objects.filter(council_id__any=ids),
        VoterMeeting.objects.filter(council=council),
        VoterMeeting.objects.filter(council__in=ids),
        VoterMeeting.objects.filter(council_id__any=ids).select_related("field").order_by("-date"),
        VoterMeeting.objects.filter(Q(pk__in=[]) | Q(council_id__any=ids)),  # a deputy's empty extras
    ]
    bare += [VoterMeeting.objects.filter(council=2**70), VoterMeeting.objects.filter(council_id__in=[council.pk, 2**70])]
    for qs in bare:
        assert rowcounts.scope_count(qs) == qs.count(), qs.query
    counted = [
        VoterMeeting.objects.filter(council=council, title="Họp"),
        VoterMeeting.objects.filter(council_id__any=ids).exclude(title=""),
        VoterMeeting.objects.exclude(council=council),
        VoterMeeting.objects.filter(Q(council=council) | Q(title="Họp")),
        VoterMeeting.objects.filter(council__name="Thành phố Hà Nội"),  # a join
        VoterMeeting.objects.filter(council_id__any=ids).filter(deputies__isnull=True),
        VoterMeeting.objects.filter(council_id__any=ids).distinct(),
        VoterMeeting.objects.filter(council_id__any=ids)[:1],
        VoterMeeting.objects.filter(council__in=Council.objects.filter(pk=council.pk)),  # a subquery
        VoterMeeting.objects.filter(council_id__any=ids).extra(where=["voter_count > 0"]),
        Council.objects.all(),  # not a counted table
    ]
    for qs in counted:
        assert rowcounts.scope_councils(qs) is None, qs.query


def _counts(queries) -> list[str]:
    """The statements that count rows: a COUNT(*), or a read of the held numbers."""
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith("SELECT COUNT(") or "core_rowcountdelta" in q["sql"]]


@pytest.mark.parametrize("paginator_class", [RowsFirstPaginator, CappedPaginator])
def test_a_full_first_page_of_a_council_scope_reads_the_held_number(council, paginator_class):
    VoterMeeting.objects.bulk_create([VoterMeeting(council=council, date=date(2026, 2, 1), voter_count=i) for i in range(7)])
    qs = VoterMeeting.objects.filter(council_id__any=[council.pk]).order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        page = paginator_class(qs, 5).page(1)
    assert page.paginator.count == 7 and page.paginator.num_pages == 2
    assert len(_counts(queries)) == 1 and "core_rowcountdelta" in _counts(queries)[0]
    with CaptureQueriesContext(connection) as queries:
        filtered = paginator_class(qs.filter(voter_count__gte=1), 5).page(1)
    assert filtered.paginator.count == 6
    assert all("core_rowcountdelta" not in q for q in _counts(queries))


def test_capped_page_keeps_its_cap_with_the_held_number(council, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "CAP", 4)
    VoterMeeting.objects.bulk_create([VoterMeeting(council=council, date=date(2026, 2, 1), voter_count=i) for i in range(7)])
    paginator = CappedPaginator(VoterMeeting.objects.filter(council=council).order_by("pk"), 2)
    assert paginator.count == 4 and paginator.capped


def test_the_meetings_page_and_api_tell_the_exact_number(make_user, council, commune):
    from tests.conftest import _client

    user = make_user("canbo_dem", council, CouncilRole.Role.STAFF)
    client = _client(user)
    VoterMeeting.objects.bulk_create(
        [VoterMeeting(council=council, date=date(2026, 2, 1), voter_count=i) for i in range(53)]
        + [VoterMeeting(council=commune, date=date(2026, 2, 2), voter_count=i) for i in range(4)]
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("voters:meeting_list") + "?below=1")
    assert page.status_code == 200
    assert "1–50 trong tổng số 57" in page.content.decode()
    assert len(_counts(queries)) == 1 and "core_rowcountdelta" in _counts(queries)[0]
    api = client.get("/api/voters/meetings/")
    assert api.status_code == 200 and api.json()["count"] == 57


def test_the_sessions_page_and_api_tell_the_exact_number(make_user, council, commune, term):
    """The councils' sessions are counted too (migration core 0018): the list with the councils
    below reads the held number, though its rows carry the term's numeral (a join the count leaves
    out, as Django's own count does)."""
    from sessions.models import CouncilSession
    from tests.conftest import _client

    user = make_user("canbo_ky_hop", council, CouncilRole.Role.STAFF)
    client = _client(user)
    commune_term = Term.objects.create(council=commune, numeral="XVI", start_year=2021, end_year=2026,
                                       start_date=date(2021, 6, 25), is_current=True)
    CouncilSession.objects.bulk_create(
        [CouncilSession(council=council, term=term, number=i, planned_start=date(2026, 1, 1),
                        planned_end=date(2026, 1, 2)) for i in range(1, 49)]
        + [CouncilSession(council=commune, term=commune_term, number=i, planned_start=date(2026, 1, 2),
                        planned_end=date(2026, 1, 3))
           for i in range(1, 6)]
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("sessions:session_list") + "?below=1")
    assert page.status_code == 200
    assert "1–50 trong tổng số 53" in page.content.decode()
    assert len(_counts(queries)) == 1 and "core_rowcountdelta" in _counts(queries)[0]
    assert client.get("/api/sessions/sessions/").json()["count"] == 53
    assert CouncilSession.objects.filter(council__in=[council, commune]).count() == 53
