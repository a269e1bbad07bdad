from datetime import date

import pytest

from hdnd_portal.core.exceptions import DomainError
from sessions.models import (
    Choice,
    CouncilSession,
    Poll,
    PollBallot,
    PollCounter,
    PollParticipation,
    Resolution,
    Vote,
)
from sessions.services import AlreadyVoted, poll_cast, poll_close, poll_open, poll_tally, session_close, session_open


@pytest.fixture
def running(council_session):
    return session_open(session=council_session, on=date(2026, 12, 8))


def test_open_vote_lifecycle(running, agenda_item, deputy_users, staff_user):
    pairs = deputy_users(5)
    deputies = [d for _u, d in pairs]
    poll = poll_open(agenda_item=agenda_item, user=staff_user)
    for user, _deputy in pairs[:3]:
        poll_cast(poll=poll, user=user, choice=Choice.YES)
    poll_cast(poll=poll, user=pairs[3][0], choice=Choice.NO)
    tally = poll_tally(poll)
    assert (tally["voted"], tally["yes"], tally["no"], tally["total"]) == (4, 3, 1, 5)
    vote = poll_close(poll=poll, user=staff_user)
    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED and poll.vote == vote and poll.entitled_count == 5
    assert poll.entitlements.count() == 5
    assert (vote.yes, vote.no, vote.not_voting, vote.participants, vote.total_deputies) == (3, 1, 0, 4, 5)
    assert vote.passed and vote.is_electronic
    assert Resolution.objects.get().vote == vote
    # An open vote keeps each deputy's choice and time.
    assert PollBallot.objects.get(poll=poll, deputy=deputies[3]).choice == Choice.NO
    assert PollParticipation.objects.get(poll=poll, deputy=deputies[3]).voted_at is not None


def test_a_second_vote_is_refused_and_the_first_stands(running, agenda_item, deputy_users):
    user, deputy = deputy_users(3)[0]
    poll = poll_open(agenda_item=agenda_item)
    poll_cast(poll=poll, user=user, choice=Choice.YES)
    with pytest.raises(AlreadyVoted) as error:
        poll_cast(poll=poll, user=user, choice=Choice.NO)
    assert "first vote stands" in str(error.value) or "đầu tiên" in str(error.value)
    counter = PollCounter.objects.get(poll=poll)
    assert (counter.yes, counter.no) == (1, 0)
    assert PollBallot.objects.get(deputy=deputy).choice == Choice.YES


def test_a_late_vote_is_refused(running, agenda_item, deputy_users):
    (first, _d), (late_user, late) = deputy_users(2)
    poll = poll_open(agenda_item=agenda_item)
    poll_cast(poll=poll, user=first, choice=Choice.YES)
    poll_close(poll=poll)
    with pytest.raises(DomainError):
        poll_cast(poll=poll, user=late_user, choice=Choice.YES)
    assert poll.vote.yes == 1 and not PollParticipation.objects.filter(deputy=late).exists()


def test_a_secret_ballot_stores_no_link_between_deputy_and_choice(running, agenda_item, deputy_users):
    users = [u for u, _d in deputy_users(4)]
    poll = poll_open(agenda_item=agenda_item, method=Vote.Method.SECRET)
    poll_cast(poll=poll, user=users[0], choice=Choice.YES)
    poll_cast(poll=poll, user=users[1], choice=Choice.NO)
    poll_cast(poll=poll, user=users[2], choice=Choice.YES)
    assert not PollBallot.objects.filter(poll=poll).exists()
    # Who voted is known, with no choice column anywhere on that row.
    assert PollParticipation.objects.filter(poll=poll).count() == 3
    assert {f.name for f in PollParticipation._meta.get_fields()} == {"id", "poll", "deputy", "voted_at"}
    # The poll's history has no row per vote (counters change by queryset update only).
    assert poll.history.count() == 1
    vote = poll_close(poll=poll)
    assert (vote.yes, vote.no, vote.method) == (2, 1, Vote.Method.SECRET)


def test_a_deputy_who_left_cannot_vote(running, agenda_item, make_user, make_deputy, council, term):
    gone = make_deputy(council, "Đã thôi", term=term, end_date=date(2025, 1, 1))
    user = make_user("dathoi", council, "deputy", deputy=gone)
    poll = poll_open(agenda_item=agenda_item)
    with pytest.raises(DomainError):
        poll_cast(poll=poll, user=user, choice=Choice.YES)


def test_polls_need_a_session_in_progress(council_session, agenda_item):
    with pytest.raises(DomainError):
        poll_open(agenda_item=agenda_item)


def test_closing_a_session_with_open_polls_is_refused_listing_them(running, agenda_item, seat_deputies):
    seat_deputies(2)
    poll = poll_open(agenda_item=agenda_item)
    with pytest.raises(DomainError) as error:
        session_close(session=running, on=date(2026, 12, 9))
    assert agenda_item.title in str(error.value) and error.value.extra["open_polls"] == [poll.pk]
    poll_close(poll=poll)
    assert session_close(session=running, on=date(2026, 12, 9)).status == CouncilSession.Status.CLOSED
