"""Querysets whose shape is built once per process (core.shapes.held): each call a copy to filter,
the held queryset never evaluated, and the lists built on it the same rows as the shape built
afresh."""

from datetime import date, timedelta

import pytest

from hdnd_portal.core.shapes import held
from sessions.models import CouncilSession
from sessions.queries import _session_rows, sessions_list
from voters.models import Petition, PetitionSource, VoterMeeting
from voters.queries import meeting_list_qs, meeting_rows, petition_list_qs, petition_rows


def test_the_shape_is_built_once_and_each_call_is_a_copy(db):
    built = []

    @held
    def rows(kind):
        built.append(kind)
        return CouncilSession.objects.select_related("term")

    first, second = rows("a"), rows("a")
    assert first is not second and first.query is not second.query
    assert built == ["a"]
    rows("b")
    assert built == ["a", "b"]
    narrowed = first.filter(number=3)
    assert "WHERE" in str(narrowed.query) and "WHERE" not in str(rows("a").query)


@pytest.mark.django_db
def test_a_list_on_the_held_shape_reads_what_the_shape_built_afresh_reads(council, other_council, term):
    day = date(2026, 7, 1)
    mine = CouncilSession.objects.create(
        council=council, term=term, number=1, kind="regular", planned_start=day, planned_end=day + timedelta(days=2)
    )
    meeting = VoterMeeting.objects.create(council=council, date=day, title="Tiếp xúc cử tri")
    petition = Petition.objects.create(council=council, content="Đường hỏng", received_on=day)
    PetitionSource.objects.create(petition=petition, meeting=meeting)
    for _ in range(2):  # the second time on the shape the first call built
        assert [(s.pk, s.item_count, s.resolution_count) for s in sessions_list([council.id])] == [(mine.pk, 0, 0)]
        assert list(sessions_list([other_council.id])) == []
        assert (
            [(p.pk, p.n_sources) for p in petition_rows().filter(council=council)]
            == [(p.pk, p.n_sources) for p in petition_list_qs(Petition.objects.filter(council=council))]
            == [(petition.pk, 1)]
        )
        assert (
            [(m.pk, m.n_petitions) for m in meeting_rows().filter(council=council)]
            == [(m.pk, m.n_petitions) for m in meeting_list_qs(VoterMeeting.objects.filter(council=council))]
            == [(meeting.pk, 1)]
        )
    for rows in (_session_rows, petition_rows, meeting_rows):
        assert rows.shape()._result_cache is None  # never evaluated: it holds no rows
        assert not rows.shape().query.where  # and no filter of any request


@pytest.mark.django_db
def test_the_held_letter_register_still_hides_a_protected_sender(council, other_council):
    from citizens.models import Letter, LetterSender
    from citizens.queries import listed_letters, visits

    def letter(n, protected):
        row = Letter.objects.create(
            council=council,
            register_year=2026,
            register_seq=n,
            register_number=f"{n}/ĐT",
            received_on=date(2026, 7, n),
            channel="post",
            kind="denunciation" if protected else "complaint",
            subject="Đơn",
            identity_protected=protected,
        )
        LetterSender.objects.create(letter=row, full_name=f"Người gửi {n}")
        return row

    open_letter, protected = letter(1, False), letter(2, True)
    for _ in range(2):  # the second time on the held shape, its prefetch used once already
        rows = {row.pk: [s.full_name for s in row.senders_listed] for row in listed_letters([council.id])}
        assert rows == {open_letter.pk: ["Người gửi 1"], protected.pk: []}
        assert list(listed_letters([other_council.id])) == []
        assert list(visits([other_council.id], listed_only=True)) == []


@pytest.mark.django_db
def test_a_count_leaves_out_the_joins_only_the_names_read(council, agency):
    from django.db import connection
    from django.db.models import F
    from django.db.models.functions import Lower
    from django.test.utils import CaptureQueriesContext

    from hdnd_portal.core.views.generic import CappedPaginator

    Petition.objects.create(council=council, content="Đường hỏng", received_on=date(2026, 7, 1), agency=agency)
    Petition.objects.create(council=council, content="Cầu yếu", received_on=date(2026, 7, 2))

    def count(qs):
        with CaptureQueriesContext(connection) as queries:
            n = CappedPaginator(qs.order_by("pk"), 50).count
        (sql,) = [q["sql"] for q in queries.captured_queries]
        return n, sql

    n, sql = count(petition_rows().filter(council=council))
    assert n == 2 and "JOIN" not in sql
    # A join the filter reads stays, whether it names the column or the annotation reading it.
    n, sql = count(petition_rows().filter(council=council, agency__name=agency.name))
    assert n == 1 and "core_agency" in sql
    named = petition_rows().alias(agency_folded=Lower(F("agency__name"))).filter(agency_folded=agency.name.lower())
    n, sql = count(named.filter(council=council))
    assert n == 1 and "core_agency" in sql


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_resolutions_list_names_the_session_as_str_does(council, term, lang):
    from django.utils import translation

    from sessions.models import Resolution
    from sessions.queries import resolutions_list
    from sessions.views.resolutions import _session

    day = date(2025, 6, 20)
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=7,
        kind="regular",
        title="Kỳ họp thường lệ giữa năm",
        planned_start=day,
        planned_end=day,
    )
    untitled = CouncilSession.objects.create(
        council=council, term=term, number=8, kind="special", planned_start=day, planned_end=day
    )
    for n, s in enumerate([session, untitled, None], start=1):
        Resolution.objects.create(
            council=council,
            number=f"{n}/NQ-HĐND",
            number_seq=n,
            year=2025,
            title="Nghị quyết",
            adopted_on=day,
            session=s,
        )
    with translation.override(lang):
        rows = list(resolutions_list([council.id]).order_by("number_seq"))
        assert [_session(r) for r in rows] == [str(session), str(untitled), ""]


def test_an_agency_read_as_columns_is_named_as_str_names_it():
    from hdnd_portal.core.models import Agency

    for name, short in (("Sở Xây dựng", "SXD"), ("Sở Xây dựng", ""), (None, None)):
        expected = str(Agency(name=name, short_name=short)) if name else ""
        assert Agency.label(name, short) == expected
