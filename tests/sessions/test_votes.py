from datetime import date
from decimal import Decimal

import pytest

from hdnd_portal.core.exceptions import DomainError
from sessions.models import AgendaItem, Resolution, Threshold
from sessions.services import required_yes, session_open, vote_record

VOTE_DAY = date(2026, 12, 9)


@pytest.fixture(autouse=True)
def _session_opened(request):
    """Votes are recorded while the session sits: it opened on 8 December."""
    if "council_session" in request.fixturenames or "agenda_item" in request.fixturenames:
        session = request.getfixturevalue("council_session")
        session_open(session=session, on=date(2026, 12, 8))
        session.refresh_from_db()


def test_required_votes_are_more_than_half_and_at_least_two_thirds():
    assert required_yes(threshold=Threshold.MAJORITY, total=10, fraction=Decimal("0.5")) == 6
    assert required_yes(threshold=Threshold.MAJORITY, total=95, fraction=Decimal("0.5")) == 48
    assert required_yes(threshold=Threshold.DISMISSAL, total=3, fraction=Decimal("0.6667")) == 2
    assert required_yes(threshold=Threshold.DISMISSAL, total=95, fraction=Decimal("0.6667")) == 64
    assert required_yes(threshold=Threshold.DISMISSAL, total=90, fraction=Decimal("0.6667")) == 60


def test_the_base_is_all_sitting_deputies_not_those_present(agenda_item, seat_deputies):
    seat_deputies(10)
    # Two seats became vacant before the vote: the base is 8, not 10.
    seat_deputies(2, end_date=date(2025, 5, 1))
    # Only 6 deputies present; 4 in favour is more than half of those present but not of all 8.
    vote = vote_record(agenda_item=agenda_item, voted_on=VOTE_DAY, yes=4, no=1, not_voting=1)
    assert vote.total_deputies == 10
    assert vote.required_yes == 6
    assert not vote.passed
    assert not Resolution.objects.exists()


def test_vacancies_lower_the_base(agenda_item, seat_deputies):
    seat_deputies(6)
    seat_deputies(4, end_date=date(2025, 5, 1))
    vote = vote_record(agenda_item=agenda_item, voted_on=VOTE_DAY, yes=4, no=0, not_voting=0)
    assert vote.total_deputies == 6 and vote.required_yes == 4 and vote.passed
    resolution = Resolution.objects.get()
    assert resolution.vote == vote and resolution.number == "01/NQ-HĐND" and resolution.title == agenda_item.title


def test_dismissal_needs_two_thirds(council_session, seat_deputies):
    seat_deputies(9)
    item = AgendaItem.objects.create(
        council=council_session.council, session=council_session, title="Bãi nhiệm", threshold=Threshold.DISMISSAL
    )
    assert not vote_record(agenda_item=item, voted_on=VOTE_DAY, yes=5, no=4, not_voting=0).passed
    assert vote_record(agenda_item=item, voted_on=VOTE_DAY, yes=6, no=3, not_voting=0).passed


def test_counts_above_the_total_are_refused(agenda_item, seat_deputies):
    seat_deputies(5)
    with pytest.raises(DomainError) as error:
        vote_record(agenda_item=agenda_item, voted_on=VOTE_DAY, yes=5, no=1, not_voting=0)
    assert "5" in str(error.value) and error.value.field == "participants"


def test_counts_that_do_not_add_up_are_refused(agenda_item, seat_deputies):
    seat_deputies(10)
    with pytest.raises(DomainError) as error:
        vote_record(agenda_item=agenda_item, voted_on=VOTE_DAY, yes=5, no=1, not_voting=0, participants=8)
    assert "8" in str(error.value)
    assert not agenda_item.votes.exists()
