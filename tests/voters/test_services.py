from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, CouncilRole, Deadline, Rule
from oversight.models import Commitment
from voters import services
from voters.models import Petition, PetitionSource

pytestmark = pytest.mark.django_db


def test_committee_defaults_from_the_field(council, urban_committee, field_roads, make_petition):
    petition = make_petition(council, field=field_roads)
    assert petition.committee == urban_committee


def test_merging_keeps_every_source_and_counts_them(council, make_meeting, make_petition, make_deputy):
    a_meeting, b_meeting, c_meeting = (make_meeting(council, date(2026, 1, d)) for d in (5, 6, 7))
    an, binh = make_deputy(council, "Nguyễn Văn An"), make_deputy(council, "Lê Thị Bình")
    kept = make_petition(council, meetings=[a_meeting], deputies=[an], received_on=date(2026, 1, 5))
    dup1 = make_petition(council, meetings=[b_meeting], deputies=[binh], received_on=date(2026, 1, 6))
    dup2 = make_petition(council, meetings=[c_meeting], received_on=date(2026, 1, 7))
    services.petition_merge(petition=dup2, into=dup1)
    services.petition_merge(petition=dup1, into=kept)
    kept.refresh_from_db()
    assert kept.sources.count() == 3
    assert set(kept.meetings.values_list("pk", flat=True)) == {a_meeting.pk, b_meeting.pk, c_meeting.pk}
    assert set(kept.deputies.all()) == {an, binh}
    dup1.refresh_from_db()
    dup2.refresh_from_db()
    assert dup1.status == dup2.status == Petition.Status.MERGED
    assert dup1.merged_into == kept and dup2.merged_into == kept  # re-pointed to the surviving petition
    assert set(PetitionSource.objects.filter(petition=kept).values_list("merged_from", flat=True)) == {
        None,
        dup1.pk,
        dup2.pk,
    }


def test_merging_into_itself_or_into_a_merged_petition_is_refused(council, make_petition):
    a, b, c = make_petition(council), make_petition(council), make_petition(council)
    with pytest.raises(DomainError):
        services.petition_merge(petition=a, into=a)
    services.petition_merge(petition=b, into=c)
    with pytest.raises(DomainError) as error:
        services.petition_merge(petition=a, into=b)
    assert error.value.field == "into" and "gộp" in error.value.message
    assert Petition.objects.get(pk=a.pk).status == Petition.Status.NEW


def test_merging_across_councils_is_refused(council, other_council, make_petition):
    with pytest.raises(DomainError):
        services.petition_merge(petition=make_petition(council), into=make_petition(other_council))


def test_response_deadline_counts_working_days_across_tet(council, agency, make_petition,
                                                          django_capture_on_commit_callbacks):
    petition = make_petition(council, received_on=date(2026, 2, 2))
    # Friday 13/02/2026; Tết holidays 16–20/02; 30 working days → Friday 03/04/2026.
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 2, 13))
    letter.refresh_from_db()
    petition.refresh_from_db()
    assert petition.response_due == date(2026, 4, 3)
    deadline = Deadline.objects.get(
        object_id=petition.pk, kind="petition.response", content_type=ContentType.objects.get_for_model(Petition)
    )
    assert deadline.due_date == date(2026, 4, 3) and deadline.responsible_agency == agency
    assert letter.number == "01/CV-HĐND" and letter.file.name.endswith(".pdf")
    assert letter.file.open("rb").read(4) == b"%PDF"


def test_a_council_rule_overrides_the_response_period(council, agency, make_petition):
    Rule.objects.create(
        code="petition.response_wd",
        name="x",
        value=5,
        unit=Rule.Unit.WORKING_DAYS,
        citation="QC",
        effective_from=date(2025, 1, 1),
        council=council,
    )
    petition = make_petition(council, received_on=date(2026, 2, 2))
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 2, 13))
    petition.refresh_from_db()
    assert petition.response_due == date(2026, 2, 27)  # Mon 23 … Fri 27 after the Tết week


def test_forwarding_to_another_councils_agency_is_refused(council, other_council, make_petition):
    foreign = Agency.objects.create(council=other_council, name="Sở Y tế Nghệ An")
    petition = make_petition(council)
    with pytest.raises(DomainError) as error:
        services.petition_forward(council=council, petitions=[petition], agency=foreign, on=date(2026, 2, 13))
    assert error.value.field == "agency" and "HĐND khác" in error.value.message
    petition.refresh_from_db()
    assert petition.status == Petition.Status.NEW and petition.agency is None


def test_numbers_of_letters_follow_each_other(council, agency, make_petition):
    first = services.petition_forward(
        council=council, petitions=[make_petition(council)], agency=agency, on=date(2026, 3, 2)
    )
    second = services.petition_forward(
        council=council, petitions=[make_petition(council)], agency=agency, on=date(2026, 3, 3)
    )
    assert (first.number, second.number) == ("01/CV-HĐND", "02/CV-HĐND")


def test_a_response_dated_before_forwarding_is_refused(council, agency, make_petition):
    petition = make_petition(council)
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.petition_answer(
            petition=petition, status=Petition.Status.RESOLVED, text="Đã sửa", response_date=date(2026, 3, 1)
        )
    assert error.value.field == "response_date"


def test_a_responder_cannot_answer_another_agencys_petition(council, agency, make_petition):
    other = Agency.objects.create(council=council, name="Sở Y tế")
    petition = make_petition(council)
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    with pytest.raises(DomainError):
        services.petition_answer(
            petition=petition,
            status=Petition.Status.RESOLVED,
            text="x",
            response_date=date(2026, 3, 5),
            agency_ids=[other.pk],
        )


def test_being_resolved_is_recorded_in_the_commitments_register(
    council, agency, make_petition, make_deputy, make_user, django_capture_on_commit_callbacks
):
    deputy = make_deputy(council, "Phạm Văn Cường")
    user = make_user("cuong", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    user.email = "cuong@example.vn"
    user.save()
    petition = make_petition(council, deputies=[deputy])
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    with pytest.raises(DomainError):
        services.petition_answer(
            petition=petition, status=Petition.Status.IN_PROGRESS, text="Đang làm", response_date=date(2026, 3, 10)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_answer(
            petition=petition,
            status=Petition.Status.IN_PROGRESS,
            text="Đang làm",
            response_date=date(2026, 3, 10),
            roadmap="Khởi công quý III",
            target_date=date(2026, 9, 30),
            response_by="Giám đốc Sở Xây dựng",
        )
    commitment = services.petition_commitment(petition)
    assert isinstance(commitment, Commitment)
    assert commitment.deadline == date(2026, 9, 30) and commitment.agency == agency
    assert list(commitment.deputies.all()) == [deputy]
    assert Deadline.objects.get(object_id=petition.pk, kind="petition.response").state == Deadline.State.DONE
    assert mail.outbox and mail.outbox[0].to == ["cuong@example.vn"]


def test_target_date_passed_tells_the_deputy_once(council, agency, make_petition, make_deputy, make_user):
    from voters.notify import notify_target_dates_passed

    deputy = make_deputy(council, "Phạm Văn Cường")
    user = make_user("cuong", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    user.email = "cuong@example.vn"
    user.save()
    petition = make_petition(council, deputies=[deputy])
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    services.petition_answer(
        petition=petition,
        status=Petition.Status.IN_PROGRESS,
        text="Đang làm",
        response_date=date(2026, 3, 10),
        roadmap="Lộ trình",
        target_date=date(2026, 6, 30),
    )
    mail.outbox.clear()
    assert notify_target_dates_passed(today=date(2026, 7, 1)) == 1
    assert notify_target_dates_passed(today=date(2026, 7, 2)) == 0


def test_evaluation_needs_an_answer(council, agency, make_petition):
    petition = make_petition(council)
    with pytest.raises(DomainError):
        services.petition_evaluate(petition=petition, evaluation="satisfactory")
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    services.petition_answer(
        petition=petition, status=Petition.Status.EXPLAINED, text="Đã giải thích", response_date=date(2026, 3, 5)
    )
    services.petition_evaluate(
        petition=petition, evaluation="unsatisfactory", needs_follow_up=True, on=date(2026, 3, 20)
    )
    petition.refresh_from_db()
    assert petition.evaluation == "unsatisfactory" and petition.needs_follow_up


def test_meeting_outside_the_constituency_gets_its_deadlines(council, make_meeting):
    meeting = make_meeting(council, date(2026, 3, 16), outside_constituency=True, outside_requested_on=date(2026, 3, 2))
    assert meeting.outside_decision_due == date(2026, 3, 9)  # 5 working days
    assert meeting.outside_notice_due == date(2026, 3, 11)  # 3 working days before Monday 16
    kinds = set(Deadline.objects.filter(object_id=meeting.pk).values_list("kind", flat=True))
    assert kinds == {"voter_meeting.outside_decision", "voter_meeting.outside_notice"}
    with pytest.raises(DomainError):
        make_meeting(
            council,
            date(2026, 3, 16),
            outside_constituency=True,
            outside_requested_on=date(2026, 3, 2),
            outside_notice_on=date(2026, 3, 13),
        )


def test_similar_petitions_ignore_accents(council, make_petition):
    from voters.queries import similar_petitions

    target = make_petition(council, "Đề nghị sửa chữa tuyến đường liên xã Đông Anh bị xuống cấp nghiêm trọng")
    make_petition(council, "Kiến nghị tăng phụ cấp cho giáo viên mầm non")
    found = similar_petitions(council_id=council.id, text="sua chua duong lien xa dong anh")
    assert [p.pk for p in found] == [target.pk]


def test_a_meeting_outside_the_constituency_before_the_2025_rule_is_saved_without_computed_deadlines(
        council, make_meeting):
    """No rule set these periods before 1/7/2025: the save goes through (RuleMissing used to refuse it)."""
    meeting = make_meeting(council, date(2024, 5, 20), outside_constituency=True, outside_requested_on=date(2024, 5, 6))
    assert meeting.pk and meeting.outside_decision_due is None and meeting.outside_notice_due is None
    assert not Deadline.objects.filter(object_id=meeting.pk, kind__startswith="voter_meeting.").exists()


def test_the_forwarding_letter_is_rendered_after_the_locks_are_released(
    council, agency, make_petition, django_capture_on_commit_callbacks, monkeypatch
):
    """WeasyPrint runs once the forwarding transaction (which locks the petitions' rows) has
    committed: not inside petition_forward, and at the caller's own transaction depth."""
    from django.db import connection

    import voters.pdf

    rendered = []
    render = voters.pdf.forwarding_letter_pdf

    def spy(letter, petitions):
        rendered.append((len(connection.atomic_blocks), [p.pk for p in petitions]))
        return render(letter, petitions)

    monkeypatch.setattr(voters.pdf, "forwarding_letter_pdf", spy)
    petitions = [make_petition(council, received_on=date(2026, 2, 2)) for _ in range(2)]
    depth = len(connection.atomic_blocks)  # the test's own transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.petition_forward(council=council, petitions=petitions, agency=agency, on=date(2026, 2, 13))
    assert rendered == [] and not letter.file  # nothing rendered while the rows were locked
    assert all(p.status == Petition.Status.FORWARDED for p in Petition.objects.filter(letter=letter))
    for callback in callbacks:
        callback()
    assert rendered == [(depth, sorted(p.pk for p in petitions))]
    letter.refresh_from_db()
    assert letter.file.open("rb").read(4) == b"%PDF" and letter.version == 2
    # A second delivery of the task leaves the stored file alone.
    stored = letter.file.name
    services.forwarding_letter_render(letter_id=letter.pk, petition_ids=[p.pk for p in petitions])
    letter.refresh_from_db()
    assert letter.file.name == stored and len(rendered) == 1
