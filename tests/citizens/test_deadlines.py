"""Each legal deadline of visits and letters, computed from the rules table across Tết and weekends."""

from datetime import date

import pytest

from citizens import deadlines as dl
from citizens import services
from citizens.deadlines import deadlines_of
from citizens.models import Letter, ReceptionDay
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Deadline

pytestmark = pytest.mark.django_db


def due(subject, kind):
    return next(d for d in deadlines_of(subject) if d.kind == kind)


def test_visit_answer_is_ten_working_days_skipping_tet_2025(council):
    day = ReceptionDay.objects.create(council=council, date=date(2025, 1, 24), location="Trụ sở")
    visit = services.visit_create(
        day=day, kind="complaint", citizens=[{"full_name": "Phạm Văn A"}], content="Đất đai", outcome="guided"
    )
    # Fri 24/01; Tết holidays 27/01–01/02; ten working days end on Fri 14/02/2025.
    assert due(visit, dl.VISIT_ANSWER).due_date == date(2025, 2, 14)
    assert visit.answer_due == date(2025, 2, 14)
    assert due(visit, dl.VISIT_ANSWER).rule.code == "reception.answer_wd"


def test_denunciation_initial_and_forward_deadlines_in_working_days_across_tet(make_letter):
    letter = make_letter(kind="denunciation", received_on=date(2025, 1, 23), subject="Tố cáo", content="Nhận hối lộ")
    assert due(letter, dl.DENUNCIATION_INITIAL).due_date == date(2025, 2, 10)  # 7 working days
    assert due(letter, dl.DENUNCIATION_FORWARD).due_date == date(2025, 2, 6)  # 5 working days


def test_denunciation_initial_processing_extends_once_to_ten_working_days(make_letter):
    letter = make_letter(kind="denunciation", received_on=date(2025, 1, 23), subject="Tố cáo", content="Nhận hối lộ")
    services.letter_extend(letter=letter, kind=dl.DENUNCIATION_INITIAL, legal_basis="Điều 24 Luật Tố cáo")
    assert due(letter, dl.DENUNCIATION_INITIAL).due_date == date(2025, 2, 13)
    with pytest.raises(DomainError):
        services.letter_extend(letter=letter, kind=dl.DENUNCIATION_INITIAL, legal_basis="Điều 24 Luật Tố cáo")


def test_the_agencys_complaint_acceptance_counts_calendar_days_from_forwarding(make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 1, 20))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 1, 20), forwarded_to=make_agency())
    deadline = due(letter, dl.COMPLAINT_ACCEPT)
    # 20/01/2025 + 10 days = 30/01, in the Tết holiday (27/01–01/02/2025): the period ends on the
    # next working day, Monday 03/02 (Bộ luật Dân sự 2015, Điều 148 khoản 5).
    assert deadline.due_date == date(2025, 2, 3)
    assert deadline.rule.code == "complaint.accept_days"


@pytest.mark.parametrize(
    ("round_", "complexity", "remote", "expected", "code"),
    [
        (1, "normal", False, date(2025, 2, 24), "complaint.round1_days"),
        (1, "complex", False, date(2025, 3, 11), "complaint.round1_complex_days"),
        (1, "normal", True, date(2025, 3, 11), "complaint.round1_remote_days"),
        (1, "complex", True, date(2025, 3, 26), "complaint.round1_remote_complex_days"),
        (2, "normal", False, date(2025, 3, 11), "complaint.round2_days"),
        (2, "complex", False, date(2025, 3, 26), "complaint.round2_complex_days"),
        (2, "normal", True, date(2025, 3, 26), "complaint.round2_remote_days"),
        # Saturday 05/04/2025, then Giỗ Tổ Hùng Vương on Monday 07/04: due Tuesday 08/04.
        (2, "very_complex", True, date(2025, 4, 8), "complaint.round2_remote_complex_days"),
    ],
)
def test_complaint_resolution_by_round_complexity_and_area(
    make_letter, make_agency, round_, complexity, remote, expected, code
):
    letter = make_letter(received_on=date(2025, 1, 20))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 1, 22), forwarded_to=make_agency())
    services.letter_accept(
        letter=letter, accepted_on=date(2025, 1, 25), complexity=complexity, remote_area=remote, round_=round_
    )
    deadline = due(letter, dl.COMPLAINT_RESOLVE)
    assert (deadline.due_date, deadline.rule.code) == (expected, code)
    assert due(letter, dl.COMPLAINT_ACCEPT).state == Deadline.State.DONE


def test_denunciation_resolution_extends_once_twice_never_three_times(denunciation):
    # An especially complex case: two extensions (Luật Tố cáo 2018, Điều 30).
    services.letter_accept(letter=denunciation, accepted_on=date(2026, 2, 10), complexity="very_complex")
    assert due(denunciation, dl.DENUNCIATION_RESOLVE).due_date == date(2026, 3, 12)
    services.letter_extend(
        letter=denunciation, legal_basis="Vụ việc phức tạp — Điều 30 Luật Tố cáo", decision_number="12/QĐ-UBND"
    )
    # 12/03 + 30 days = Saturday 11/04/2026: the extension ends on Monday 13/04 (BLDS 2015, Điều 148.5).
    assert due(denunciation, dl.DENUNCIATION_RESOLVE).due_date == date(2026, 4, 13)
    services.letter_extend(letter=denunciation, legal_basis="Vụ việc đặc biệt phức tạp — Điều 30 Luật Tố cáo")
    assert due(denunciation, dl.DENUNCIATION_RESOLVE).due_date == date(2026, 5, 13)
    with pytest.raises(DomainError, match="2"):
        services.letter_extend(letter=denunciation, legal_basis="Lần ba")
    deadline = due(denunciation, dl.DENUNCIATION_RESOLVE)
    assert deadline.due_date == date(2026, 5, 13)
    assert [e.new_due_date for e in deadline.extensions.all()] == [date(2026, 4, 13), date(2026, 5, 13)]
    assert deadline.original_due_date == date(2026, 3, 12)


def test_extension_needs_a_legal_basis(denunciation):
    services.letter_accept(letter=denunciation, accepted_on=date(2026, 2, 10))
    with pytest.raises(DomainError):
        services.letter_extend(letter=denunciation, legal_basis="  ")


def test_forwarded_denunciation_report_back_in_twenty_days(denunciation, make_agency):
    services.letter_decide(
        letter=denunciation, decision="forward", decided_on=date(2026, 2, 10), forwarded_to=make_agency()
    )
    deadline = due(denunciation, dl.AGENCY_REPORT)
    assert deadline.due_date == date(2026, 3, 2)
    assert deadline.responsible_agency is not None
    assert due(denunciation, dl.DENUNCIATION_FORWARD).state == Deadline.State.DONE


def test_agency_report_and_citizen_notice_in_working_days_across_tet_2026(make_letter, make_agency):
    letter = make_letter(kind="recommendation", received_on=date(2026, 1, 5), subject="Kiến nghị sửa đường")
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2026, 1, 8), forwarded_to=make_agency())
    # 08/01 + 30 days = Saturday 07/02/2026 → Monday 09/02 (BLDS 2015, Điều 148.5).
    assert due(letter, dl.RECOMMENDATION_RESOLVE).due_date == date(2026, 2, 9)
    services.letter_record_result(letter=letter, result_kind="answered", result_date=date(2026, 2, 12))
    # 7 working days from Thu 12/02/2026 skip Tết (16–20/02) and weekends: Mon 02/03.
    assert due(letter, dl.AGENCY_REPORT).due_date == date(2026, 3, 2)
    services.letter_record_report(letter=letter, reported_on=date(2026, 2, 13))
    assert due(letter, dl.CITIZEN_NOTICE).due_date == date(2026, 2, 27)
    services.letter_notify_citizen(letter=letter, notified_on=date(2026, 2, 20))
    assert due(letter, dl.CITIZEN_NOTICE).state == Deadline.State.DONE
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.RESOLVED


def test_complaint_forwarded_starts_the_agencys_acceptance(make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 1, 20))
    assert dl.COMPLAINT_ACCEPT not in {d.kind for d in deadlines_of(letter)}  # the office accepts nothing
    agency = make_agency()
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 1, 22), forwarded_to=agency)
    deadline = due(letter, dl.COMPLAINT_ACCEPT)
    # Saturday 01/02/2025 in Tết → Monday 03/02.
    assert (deadline.due_date, deadline.responsible_agency) == (date(2025, 2, 3), agency)


def test_a_council_rule_override_changes_the_deadline(make_letter, make_agency, council):
    from hdnd_portal.core.models import Rule

    Rule.objects.create(
        code="complaint.accept_days",
        name="Thụ lý",
        value=5,
        unit="calendar_days",
        citation="Quy chế HĐND",
        effective_from=date(2020, 1, 1),
        council=council,
    )
    letter = make_letter(received_on=date(2025, 1, 20))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 1, 20), forwarded_to=make_agency())
    # 20/01/2025 + 5 days = Saturday 25/01, then Tết 27/01–01/02/2025: Monday 03/02.
    assert due(letter, dl.COMPLAINT_ACCEPT).due_date == date(2025, 2, 3)
