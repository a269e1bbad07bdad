"""Registration rules: kind required, eligibility with the rule cited, anonymous denunciations,
multi-signer letters, duplicates, splitting, groups of visitors, schedules and reception days."""

from datetime import date

import pytest

from citizens import deadlines as dl
from citizens import services
from citizens.deadlines import deadlines_of
from citizens.models import Letter, ReceptionDay, ReceptionSchedule
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Deadline, Rule

pytestmark = pytest.mark.django_db


def kinds(subject, state=Deadline.State.OPEN):
    return {d.kind for d in deadlines_of(subject) if d.state == state}


def test_a_letter_without_a_kind_is_refused(make_letter):
    with pytest.raises(DomainError) as error:
        make_letter(kind="")
    assert error.value.field == "kind"
    assert not Letter.objects.exists()


def test_register_numbers_follow_each_other_per_council_and_year(make_letter):
    a, b = make_letter(subject="Một"), make_letter(subject="Hai khác hẳn", content="Nội dung khác")
    c = make_letter(subject="Ba", received_on=date(2026, 1, 5))
    assert (a.register_number, b.register_number, c.register_number) == ("01/2025", "02/2025", "01/2026")


def test_complaint_past_limitation_is_flagged_with_the_rule_cited(make_letter):
    letter = make_letter(decision_known_on=date(2024, 11, 1), received_on=date(2025, 3, 3))
    assert not letter.is_eligible
    issue = next(i for i in letter.eligibility_issues if i["code"] == "time_barred")
    assert "Luật Khiếu nại 2011, Điều 9" in issue["citation"]
    # 01/11/2024 + 90 days = 30/01/2025, in Tết: the period ends on Monday 03/02/2025 (BLDS 2015, Điều 148.5).
    assert "03/02/2025" in issue["message"]
    assert dl.COMPLAINT_ACCEPT not in kinds(letter)
    with pytest.raises(DomainError):
        services.letter_accept(letter=letter, accepted_on=date(2025, 3, 5))


def test_complaint_within_limitation_is_eligible(make_letter):
    letter = make_letter(decision_known_on=date(2025, 1, 1), received_on=date(2025, 3, 3))
    # Eligible, it waits for the office's classification; the office itself accepts nothing.
    assert letter.is_eligible and kinds(letter) == {dl.OFFICE_HANDLE}


def test_an_unsigned_complaint_is_not_eligible(make_letter, make_agency):
    letter = make_letter(is_signed=False)
    assert not letter.is_eligible
    assert any(i["code"] == "unsigned" for i in letter.eligibility_issues)
    with pytest.raises(DomainError, match="Luật Khiếu nại 2011, Điều 8|unsigned|chữ ký"):
        services.letter_decide(
            letter=letter, decision="forward", decided_on=date(2025, 3, 4), forwarded_to=make_agency()
        )
    services.letter_decide(letter=letter, decision="return", decided_on=date(2025, 3, 4))
    assert kinds(letter) == set()


def test_five_signers_make_a_multi_signer_letter(make_letter):
    senders = [{"full_name": f"Người ký {i}"} for i in range(5)]
    assert make_letter(senders=senders).is_multi_signer
    assert not make_letter(senders=senders[:4], subject="Khác", content="Một nội dung khác").is_multi_signer


def test_anonymous_denunciation_path(make_letter, make_agency):
    letter = make_letter(
        kind="denunciation",
        is_anonymous=True,
        senders=[{"full_name": "bỏ qua"}],
        subject="Tố cáo nặc danh",
        content="Cán bộ xã sử dụng xe công",
    )
    assert letter.is_anonymous and letter.signer_count == 0 and not letter.senders.exists()
    assert not letter.is_eligible
    assert any(i["code"] == "anonymous" for i in letter.eligibility_issues)
    assert kinds(letter) == {dl.DENUNCIATION_INITIAL}
    with pytest.raises(DomainError, match="Điều 25"):
        services.letter_decide(
            letter=letter, decision="forward", decided_on=date(2025, 3, 4), forwarded_to=make_agency()
        )
    letter.has_clear_evidence = True
    services.letter_update(letter=letter)
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 4), forwarded_to=make_agency())
    letter.refresh_from_db()
    assert letter.for_inspection and letter.forward_doc_number.endswith("/PC-HĐND")
    assert dl.AGENCY_REPORT not in kinds(letter)


def test_same_senders_similar_content_is_linked_not_processed_twice(make_letter):
    first = make_letter(content="Đề nghị xem xét lại quyết định thu hồi đất của gia đình tôi")
    again = make_letter(
        received_on=date(2025, 4, 1),
        senders=[{"full_name": "NGUYEN VAN KHIEU"}],
        subject="khieu nai quyet dinh thu hoi dat",
        content="de nghi xem xet lai quyet dinh thu hoi dat cua gia dinh toi",
    )
    assert again.duplicate_of == first and again.status == Letter.Status.DUPLICATE
    assert kinds(again) == set()
    other_sender = make_letter(received_on=date(2025, 4, 2), senders=[{"full_name": "Trần Văn Khác"}])
    assert other_sender.duplicate_of is None
    with pytest.raises(DomainError):
        services.letter_decide(letter=again, decision="file", decided_on=date(2025, 4, 2))


def test_a_denunciation_with_the_same_content_is_forwarded_only_once(denunciation, make_letter, agency, make_agency):
    target = make_agency()
    services.letter_decide(letter=denunciation, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=target)
    other = make_letter(
        kind="denunciation",
        senders=[{"full_name": "Người khác"}],
        respondent_agency=agency,
        subject="Tố cáo cán bộ địa chính nhận tiền",
        content="Cán bộ địa chính phường nhận tiền để cấp giấy chứng nhận",
    )
    assert other.duplicate_of is None  # other senders: registered
    with pytest.raises(DomainError, match=denunciation.register_number):
        services.letter_decide(letter=other, decision="forward", decided_on=date(2025, 3, 6), forwarded_to=target)
    services.letter_link_duplicate(letter=other, original=denunciation)
    assert Letter.objects.get(pk=other.pk).status == Letter.Status.DUPLICATE


def test_a_mixed_letter_is_split_into_separate_letters(make_letter):
    letter = make_letter(subject="Khiếu nại và tố cáo", content="Nội dung hỗn hợp")
    parts = services.letter_split(
        letter=letter,
        parts=[
            {"kind": "complaint", "subject": "Khiếu nại quyết định bồi thường"},
            {"kind": "denunciation", "subject": "Tố cáo cán bộ làm sai"},
        ],
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SPLIT
    assert {p.kind for p in parts} == {"complaint", "denunciation"}
    assert all(p.split_from == letter and p.senders.count() == 1 for p in parts)
    assert len({p.register_number for p in parts}) == 2
    with pytest.raises(DomainError):
        services.letter_split(letter=parts[0], parts=[{"kind": "complaint", "subject": "x"}])


def test_group_visit_needs_representatives_within_the_rule(reception_day):
    base = dict(day=reception_day, kind="complaint", content="Đền bù", outcome="guided")
    people = [{"full_name": f"Công dân {i}"} for i in range(3)]
    with pytest.raises(DomainError, match="Luật Tiếp công dân"):
        services.visit_create(citizens=people, citizen_count=8, **base)
    too_many = [{"full_name": f"Đại diện {i}", "is_representative": True} for i in range(3)]
    with pytest.raises(DomainError, match="Luật Tiếp công dân"):
        services.visit_create(citizens=too_many, citizen_count=8, **base)
    visit = services.visit_create(citizens=too_many, citizen_count=12, **base)
    assert visit.is_group and visit.citizen_count == 12
    six = [{"full_name": f"Đại diện {i}", "is_representative": True} for i in range(6)]
    with pytest.raises(DomainError):
        services.visit_create(citizens=six, citizen_count=30, **base)


def test_refused_visit_needs_the_legal_reason(reception_day):
    with pytest.raises(DomainError) as error:
        services.visit_create(
            day=reception_day, kind="complaint", citizens=[{"full_name": "A"}], content="x", outcome="refused"
        )
    assert error.value.field == "refusal_reason"
    visit = services.visit_create(
        day=reception_day,
        kind="complaint",
        citizens=[{"full_name": "A"}],
        content="x",
        outcome="refused",
        refusal_reason="resolved",
    )
    services.visit_answer(visit=visit, answer="refused", answered_on=date(2025, 3, 21))
    assert kinds(visit) == set()


def test_visit_sequence_and_new_case(reception_day):
    a = services.visit_create(
        day=reception_day,
        kind="complaint",
        citizens=[{"full_name": "A"}],
        content="x",
        outcome="guided",
        new_case_title="Thu hồi đất thôn Đoài",
    )
    b = services.visit_create(
        day=reception_day, kind="complaint", citizens=[{"full_name": "B"}], content="y", outcome="letter", case=a.case
    )
    assert (a.sequence, b.sequence) == (1, 2)
    assert a.case.code == "VV-2025-0001" and b.case == a.case


def test_schedule_takes_frequency_from_the_rule_and_generates_days(council, make_deputy):
    Rule.objects.create(
        code="reception.sessions_per_month",
        name="x",
        value=2,
        unit="count",
        citation="Quy chế",
        effective_from=date(2020, 1, 1),
        council=council,
    )
    deputy = make_deputy(council)
    schedule = services.schedule_save(
        schedule=ReceptionSchedule(
            council=council,
            title="Lịch tiếp công dân 2026",
            receiver_kind="deputies",
            location="Số 1 Lê Lai",
            weekday=3,
            valid_from=date(2026, 1, 1),
        ),
        receivers=[deputy],
    )
    assert schedule.sessions_per_month == 2 and schedule.week_list() == [1, 3]
    days = services.schedule_generate_days(schedule=schedule, start=date(2026, 1, 1), end=date(2026, 3, 31))
    dates = [d.date for d in days]
    # Thursdays of weeks 1 and 3; Thu 19/02/2026 is Tết, moved to Mon 23/02.
    assert dates == [
        date(2026, 1, 2),
        date(2026, 1, 15),
        date(2026, 2, 5),
        date(2026, 2, 23),
        date(2026, 3, 5),
        date(2026, 3, 19),
    ]
    assert all(list(d.receivers.all()) == [deputy] for d in days)
    assert services.schedule_generate_days(schedule=schedule, start=date(2026, 1, 1), end=date(2026, 3, 31)) == []


def test_substitution_and_cancellation(council, make_deputy, reception_day):
    a, b = make_deputy(council, "Đại biểu A"), make_deputy(council, "Đại biểu B")
    reception_day.receivers.add(a)
    services.day_substitute(day=reception_day, absent=a, substitute=b, reason="Đi công tác")
    assert list(reception_day.receivers.all()) == [b]
    assert reception_day.substitutions.get().absent == a
    with pytest.raises(DomainError):
        services.day_cancel(day=reception_day, reason="")
    services.day_cancel(day=reception_day, reason="Trùng kỳ họp")
    assert ReceptionDay.objects.get(pk=reception_day.pk).status == "cancelled"
