from datetime import date

import pytest
import time_machine

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Deadline
from oversight import queries, services
from oversight.models import (
    Commitment,
    ConfidenceSubject,
    ConfidenceVote,
    OversightActivity,
    Post,
    Question,
    Recommendation,
)
from tests.oversight.conftest import seat_deputies

pytestmark = pytest.mark.django_db


# --- Overdue derivation -----------------------------------------------------------------------


def test_a_recommendation_past_its_deadline_and_not_done_is_overdue(council, make_recommendation):
    rec = make_recommendation(deadline=date(2025, 9, 30))
    row = lambda today: queries.recommendations([council.id], today).get(pk=rec.pk)  # noqa: E731
    assert row(date(2025, 9, 30)).overdue is False  # due today: not yet overdue
    assert row(date(2025, 10, 1)).overdue is True
    assert rec.is_overdue(date(2025, 10, 1))
    services.recommendation_report(
        recommendation=rec, status="partly_done", text="Một phần", user=None, reported_on=date(2025, 10, 2)
    )
    assert row(date(2025, 10, 3)).overdue is True  # partly done is still overdue
    services.recommendation_report(
        recommendation=rec, status="done", text="Xong", user=None, reported_on=date(2025, 10, 5)
    )
    assert row(date(2025, 10, 6)).overdue is False
    assert Deadline.objects.get(object_id=rec.pk, kind="recommendation.deadline").state == "done"


def test_a_recommendation_without_a_deadline_takes_it_from_the_rule(make_recommendation):
    rec = make_recommendation(deadline=None, issued_on=date(2026, 3, 2))
    assert rec.deadline == date(2026, 3, 17)  # recommendation.followup_days = 15 calendar days
    complex_rec = make_recommendation(deadline=None, issued_on=date(2026, 3, 2), is_complex=True)
    assert complex_rec.deadline == date(2026, 4, 1)


def test_without_a_rule_in_force_the_deadline_must_be_set(make_recommendation):
    with pytest.raises(DomainError) as error:
        make_recommendation(deadline=None, issued_on=date(2024, 3, 2))
    assert error.value.field == "deadline"


def test_a_progress_report_on_a_closed_recommendation_is_refused(make_recommendation, staff_user):
    rec = make_recommendation()
    services.recommendation_report(
        recommendation=rec, status="done", text="Đã xong", user=None, reported_on=date(2025, 8, 1)
    )
    services.recommendation_evaluate(
        recommendation=rec, accepted=True, user=staff_user, on=date(2025, 8, 3), expected_version=rec.version
    )
    assert rec.is_closed and rec.status == Recommendation.Status.DONE
    with pytest.raises(DomainError) as error:
        services.recommendation_report(recommendation=rec, status="in_progress", text="Thêm", user=None)
    assert "closed" in error.value.message or "đóng" in error.value.message
    assert rec.reports.count() == 1


def test_not_accepting_a_done_report_reopens_the_recommendation(make_recommendation, staff_user):
    rec = make_recommendation()
    services.recommendation_report(
        recommendation=rec, status="done", text="Đã xong", user=None, reported_on=date(2025, 8, 1)
    )
    services.recommendation_evaluate(
        recommendation=rec, accepted=False, note="Chưa đủ hồ sơ", user=staff_user, expected_version=rec.version
    )
    assert rec.status == "in_progress" and rec.evaluation == "not_accepted"
    assert Deadline.objects.get(object_id=rec.pk, kind="recommendation.deadline").state == "open"


# --- Activities -----------------------------------------------------------------------------


def test_activity_registers_plan_and_programme_notice_deadlines(make_activity):
    activity = make_activity(start_date=date(2025, 5, 20), end_date=date(2025, 5, 30))
    due = dict(
        Deadline.objects.filter(object_id=activity.pk, kind__startswith="oversight.").values_list("kind", "due_date")
    )
    assert due["oversight.plan_notice"] == date(2025, 5, 5)
    # Due dates are working days: 10 days before 20/05 is Saturday 10/05 → Friday 09/05 (kept ahead);
    # 15 days after 30/05 is Saturday 14/06 → Monday 16/06 (Bộ luật Dân sự 2015, Điều 148 khoản 5).
    assert due["oversight.programme_notice"] == date(2025, 5, 9)
    assert due["oversight.report"] == date(2025, 6, 16)


def test_a_follow_up_must_name_an_earlier_activity(make_activity):
    with pytest.raises(DomainError) as error:
        make_activity(kind="follow_up")
    assert error.value.field == "follows"
    first = make_activity()
    follow = make_activity(kind="follow_up", follows=first, start_date=date(2025, 11, 1), end_date=date(2025, 11, 5))
    assert list(first.follow_ups.all()) == [follow]


# --- Questioning ----------------------------------------------------------------------------


def test_a_post_that_may_not_be_questioned_is_refused_citing_the_rule(make_questioning, agency):
    qs = make_questioning()
    with pytest.raises(DomainError) as error:
        services.respondent_add(
            questioning_session=qs, official_name="Ngô Văn Hải", post=Post.DEPUTY_DEPARTMENT_HEAD, agency=agency
        )
    assert error.value.field == "post"
    assert "Điều 96" in error.value.message
    assert services.respondent_add(
        questioning_session=qs, official_name="Lê Văn Cường", post=Post.DEPARTMENT_HEAD, agency=agency
    ).pk


def test_a_written_answer_is_due_twenty_days_after_the_questioning(make_questioning, agency, make_deputy, council):
    qs = make_questioning(held_on=date(2025, 7, 10))
    respondent = services.respondent_add(
        questioning_session=qs, official_name="Lê Văn Cường", post=Post.DEPARTMENT_HEAD, agency=agency
    )
    deputy = make_deputy(council)
    question = services.question_ask(
        questioning_session=qs,
        deputy=deputy,
        respondent=respondent,
        text="Khi nào xong?",
        answer_mode=Question.AnswerMode.WRITTEN,
    )
    assert question.written_due == date(2025, 7, 30)
    deadline = Deadline.objects.get(object_id=question.pk, kind="question.written_answer")
    assert deadline.responsible_agency == agency and deadline.state == "open"
    services.question_answer(question=question, answer_text="Quý IV", answered_on=date(2025, 7, 25))
    deadline.refresh_from_db()
    assert deadline.state == "done"
    again = services.question_ask(
        questioning_session=qs,
        deputy=deputy,
        respondent=respondent,
        text="Chất vấn lại",
        requestion_of=question,
        asked_on=date(2025, 7, 26),
    )
    assert list(question.requestions.all()) == [again]


# --- Re-questioning list --------------------------------------------------------------------


def _commitment(council, agency, **kwargs):
    defaults = dict(
        council=council,
        agency=agency,
        official_name="Lê Văn Cường",
        official_title="Giám đốc",
        text="Xử lý dứt điểm",
        made_on=date(2025, 7, 10),
        deadline=date(2025, 11, 30),
    )
    defaults.update(kwargs)
    return services.commitment_create(**defaults)


@time_machine.travel(date(2025, 10, 1))
def test_the_requestioning_list_holds_late_or_unfulfilled_commitments_before_the_next_session(
    council, agency, make_council_session
):
    session = make_council_session(start=date(2025, 12, 8))
    assert queries.next_session(council) == session
    late = _commitment(council, agency, deadline=date(2025, 11, 30))
    on_the_day = _commitment(council, agency, deadline=date(2025, 12, 8))
    after = _commitment(council, agency, deadline=date(2026, 3, 31))
    no_deadline = _commitment(council, agency, deadline=None)
    unfulfilled = _commitment(council, agency, deadline=date(2026, 6, 30))
    services.commitment_progress_report(
        commitment=unfulfilled, percent=30, status="unfulfilled", text="Không đạt", reported_on=date(2025, 9, 1)
    )
    fulfilled = _commitment(council, agency, deadline=date(2025, 8, 30))
    services.commitment_progress_report(
        commitment=fulfilled, percent=100, status="fulfilled", text="Xong", reported_on=date(2025, 8, 20)
    )
    listed = set(queries.commitments_due_for_requestioning(council, before=session.start).values_list("pk", flat=True))
    assert listed == {late.pk, on_the_day.pk, unfulfilled.pk}
    assert after.pk not in listed and no_deadline.pk not in listed and fulfilled.pk not in listed
    reports = services.respondent_reports_schedule(council=council, council_session=session)
    assert len(reports) == 1 and reports[0].due_date == date(2025, 11, 28)  # 10 days before 08/12
    assert Deadline.objects.get(object_id=reports[0].pk, kind="question.report_before_session").due_date == date(
        2025, 11, 28
    )
    # Idempotent per agency and session.
    assert services.respondent_reports_schedule(council=council, council_session=session)[0].pk == reports[0].pk
    assert Commitment.objects.count() == 6


# --- Confidence votes -----------------------------------------------------------------------


def _vote(council, total=30, issued=30, returned=30, held_on=date(2023, 12, 8)):
    seat_deputies(council, total)
    return services.confidence_vote_save(
        vote=ConfidenceVote(
            council=council,
            title="Lấy phiếu tín nhiệm 2023",
            held_on=held_on,
            ballots_issued=issued,
            ballots_returned=returned,
        )
    )


def _subject(vote, low, valid=None, high=0, confidence=0, **kwargs):
    valid = vote.ballots_returned if valid is None else valid
    return services.confidence_subject_save(
        subject=ConfidenceSubject(
            vote=vote,
            full_name="Nguyễn Văn A",
            post="Chủ tịch UBND",
            valid_ballots=valid,
            high=high,
            confidence=confidence,
            low=low,
            **kwargs,
        )
    )


@pytest.mark.parametrize(
    ("low", "may_resign", "formal", "dismissal"),
    [
        (15, False, False, False),  # exactly half of 30: not "more than half"
        (16, True, True, False),  # just over half: may resign, else a formal vote (NQ96, Art. 12)
        (19, True, True, False),  # just under two thirds
        (20, True, False, True),  # exactly two thirds of 30: the nominating body submits the dismissal
    ],
)
def test_confidence_thresholds_at_the_exact_boundaries(council, low, may_resign, formal, dismissal):
    subject = _subject(_vote(council), low=low, high=30 - low)
    assert (subject.may_resign, subject.requires_formal_vote, subject.requires_dismissal) == (
        may_resign, formal, dismissal
    )
    assert subject.formal_result == ("pending" if formal else "")


def test_a_person_who_resigns_needs_no_formal_vote_and_only_over_half_may_resign(council):
    vote = _vote(council)
    subject = _subject(vote, low=16, high=14, resigned=True)
    assert (subject.may_resign, subject.requires_formal_vote, subject.formal_result) == (True, False, "")
    with pytest.raises(DomainError) as error:
        _subject(vote, low=15, high=15, resigned=True)
    assert error.value.field == "resigned"


def test_a_vote_under_resolution_85_2014_put_a_formal_vote_at_two_thirds(council):
    # A vote of the 2016–2021 term, dated before Resolution 96/2023 took over: the 2014 rows apply.
    from hdnd_portal.core.models import Term

    Term.objects.create(council=council, numeral="XV", start_year=2016, end_year=2021)
    seat_deputies(council, 30, on=date(2016, 7, 1))
    vote = _vote(council, held_on=date(2018, 12, 7))
    half = _subject(vote, low=16, high=14)
    assert (half.may_resign, half.requires_formal_vote, half.requires_dismissal) == (True, False, False)
    two_thirds = _subject(vote, low=20, high=10)
    assert (two_thirds.requires_formal_vote, two_thirds.requires_dismissal) == (True, False)
    assert two_thirds.formal_result == "pending"


def test_percentages_count_against_the_deputies_sitting_on_the_day(council):
    # 31 deputies sitting, 24 returned: 15 low is more than half of the ballots but not of the total.
    vote = _vote(council, total=31, issued=25, returned=24)
    assert vote.total_deputies == 31
    subject = _subject(vote, low=15, high=9)
    assert not subject.may_resign
    assert services.percent(15, vote.total_deputies) == 48.39
    assert _subject(vote, low=16, high=8).may_resign
    # Two thirds of 31 is 20.67: 20 is below, 21 reaches it.
    assert not _subject(vote, low=20, high=0, valid=24).requires_dismissal
    assert _subject(vote, low=21, high=0, valid=24).requires_dismissal


def test_the_total_is_counted_from_the_deputies_not_typed(council, make_deputy):
    seat_deputies(council, 30)
    make_deputy(council, "Lê Thị Rời", start_date=date(2021, 6, 25), end_date=date(2023, 6, 30))
    make_deputy(council, "Phạm Văn Mới", start_date=date(2024, 1, 5))
    vote = services.confidence_vote_save(
        vote=ConfidenceVote(council=council, title="Lấy phiếu", held_on=date(2023, 12, 8), total_deputies=99,
                            ballots_issued=30, ballots_returned=30)
    )
    assert vote.total_deputies == 30


def test_no_sitting_deputy_recorded_is_refused_with_a_message(council, term):
    with pytest.raises(DomainError) as error:
        services.confidence_vote_save(
            vote=ConfidenceVote(council=council, title="Lấy phiếu", held_on=date(2023, 12, 8), ballots_issued=0,
                                ballots_returned=0)
        )
    assert error.value.field == "held_on"


def test_applicability_by_resolution_96(council, commune, make_council_session):
    from sessions.models import CouncilSession

    # Commune councils do not take confidence votes (Art. 2(2)).
    seat_deputies(commune, 20)
    with pytest.raises(DomainError) as error:
        _vote(commune, total=20, issued=20, returned=20)
    assert "Điều 2 khoản 2" in str(error.value)
    # Only in the term's third year (2021–2026: 2023).
    with pytest.raises(DomainError) as error:
        _vote(council, held_on=date(2024, 12, 6))
    assert error.value.field == "held_on" and "2023" in str(error.value)
    # Only at a regular session.
    thematic = make_council_session(start=date(2023, 12, 8), kind=CouncilSession.Kind.THEMATIC)
    with pytest.raises(DomainError) as error:
        seat_deputies(council, 30)
        services.confidence_vote_save(
            vote=ConfidenceVote(council=council, council_session=thematic, title="Lấy phiếu",
                                held_on=date(2023, 12, 8), ballots_issued=30, ballots_returned=30)
        )
    assert error.value.field == "council_session"
    # Once a term.
    _vote(council)
    with pytest.raises(DomainError) as error:
        _vote(council, held_on=date(2023, 12, 20))
    assert "once a term" in str(error.value) or "một lần" in str(error.value)
    assert ConfidenceVote.objects.count() == 1


def test_counts_exceeding_ballots_or_ballots_exceeding_deputies_are_refused(council):
    with pytest.raises(DomainError) as error:
        _vote(council, total=30, issued=31, returned=30)
    assert error.value.field == "ballots_issued"
    with pytest.raises(DomainError) as error:
        _vote(council, total=30, issued=29, returned=30)
    assert error.value.field == "ballots_returned"
    vote = _vote(council, total=30, issued=30, returned=28)
    with pytest.raises(DomainError) as error:
        _subject(vote, low=10, high=10, confidence=9, valid=28)
    assert error.value.field == "low"
    with pytest.raises(DomainError) as error:
        _subject(vote, low=1, valid=29)
    assert error.value.field == "valid_ballots"
    with pytest.raises(DomainError) as error:
        _subject(vote, low=1, appointed_on=date(2023, 5, 1))
    assert error.value.field == "appointed_on"
    assert not ConfidenceSubject.objects.exists()


def test_other_council_records_are_refused(council, other_council, make_activity, agency):
    foreign = Agency.objects.create(council=other_council, name="Sở khác")
    activity = make_activity()
    with pytest.raises(DomainError):
        services.recommendation_create(activity=activity, agency=foreign, text="x", deadline=date(2025, 12, 1))
    assert OversightActivity.objects.count() == 1


def test_the_report_counts_the_press_bands_at_their_edges(council):
    """"N people above 50 % high + confidence, M of them above 80 % high" (seed 000), against the
    30 deputies sitting on the day: 15 of 30 is not above half, 24 of 30 is not above 80 %."""
    from oversight.reports import section

    vote = _vote(council)
    rows = [  # (high, confidence, low)
        (25, 5, 0),  # above 80 % high
        (24, 6, 0),  # exactly 80 %: above half high only
        (16, 0, 14),  # above half high
        (15, 1, 14),  # exactly half high; 16 positive: above half positive
        (10, 5, 15),  # exactly half positive
        (0, 0, 20),  # two thirds low
    ]
    for high, conf, low in rows:
        _subject(vote, low=low, high=high, confidence=conf)
    figures = section([council.id], date(2023, 1, 1), date(2023, 12, 31))["confidence"]
    assert figures == {
        "votes": 1, "subjects": 6, "over_half_positive": 4, "over_half_high": 3, "over_80_high": 1,
        "may_resign": 1, "resigned": 0, "formal_vote": 0, "dismissal": 1,
    }
