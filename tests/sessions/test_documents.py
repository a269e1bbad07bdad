from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Body, Deadline
from sessions.models import CouncilSession, DocumentRead, SessionDocument, Verification
from sessions.queries import read_receipts
from sessions.services import (
    document_add_version,
    document_create,
    document_mark_read,
    session_send_documents,
    verification_assign,
    verification_update,
)

from .conftest import pdf_file


def make_doc(session, kind=SessionDocument.Kind.SUBMISSION, **kwargs):
    return document_create(
        session=session,
        kind=kind,
        title=kwargs.pop("title", "Tờ trình dự toán"),
        doc_date=date(2026, 11, 20),
        file=kwargs.pop("file", pdf_file()),
        **kwargs,
    )


def test_documents_are_numbered_per_issuer_and_register_the_receipt_deadline(council_session, committee):
    first = make_doc(council_session)
    second = make_doc(council_session)
    report = make_doc(council_session, kind=SessionDocument.Kind.REPORT)
    verification = make_doc(council_session, kind=SessionDocument.Kind.VERIFICATION_REPORT, issuer="ĐT")
    draft = make_doc(council_session, kind=SessionDocument.Kind.DRAFT_RESOLUTION)
    # The People's Committee numbers its own submissions: the portal never invents one for it.
    ubnd = make_doc(council_session, issuer="UBND")
    assert (first.number, second.number, report.number, verification.number, draft.number, ubnd.number) == (
        "01/TTr-HĐND",
        "02/TTr-HĐND",
        "01/BC-HĐND",
        "01/BC-ĐT",
        "",
        "",
    )
    deadline = Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(SessionDocument), object_id=first.pk, kind="session.documents"
    )
    # 7 calendar days before the planned opening on 08/12/2026 (rule session.documents_days_before).
    assert deadline.due_date == date(2026, 12, 1) and deadline.rule.code == "session.documents_days_before"
    session_send_documents(session=council_session)
    deadline.refresh_from_db()
    council_session.refresh_from_db()
    assert deadline.state == Deadline.State.DONE
    assert council_session.status == CouncilSession.Status.DOCUMENTS_SENT


def test_wrong_type_and_oversized_uploads_are_refused_naming_the_limit(council_session, settings):
    fake = SimpleUploadedFile("virus.exe", b"MZ....", content_type="application/octet-stream")
    with pytest.raises(DomainError) as error:
        make_doc(council_session, file=fake)
    assert error.value.field == "file" and ".exe" in str(error.value)
    settings.UPLOAD_MAX_MB = 1
    with pytest.raises(DomainError) as error:
        make_doc(council_session, file=pdf_file(size=1024 * 1024 + 10))
    assert "1 MB" in str(error.value)
    disguised = SimpleUploadedFile("bao-cao.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError):
        make_doc(council_session, file=disguised)
    assert not SessionDocument.objects.exists()


def test_new_versions_supersede_and_keep_the_old_ones(council_session, staff_user):
    document = make_doc(council_session)
    document_add_version(document=document, file=pdf_file("to-trinh-sua.pdf"), user=staff_user, note="Sửa số liệu")
    document.refresh_from_db()
    versions = list(document.versions.order_by("number"))
    assert document.current_version == 2 and len(versions) == 2
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None
    assert versions[1].original_name == "to-trinh-sua.pdf"


def test_read_receipts_show_who_has_not_opened_a_document(council_session, seat_deputies):
    deputies = seat_deputies(4)
    seat_deputies(1, end_date=date(2024, 1, 1))  # left before the session: not expected to read
    document = make_doc(council_session)
    document_mark_read(document=document, deputy=deputies[0])
    document_mark_read(document=document, deputy=deputies[0])
    document_mark_read(document=document, deputy=deputies[2])
    receipts = read_receipts(document)
    assert [r.deputy for r in receipts["unread"]] == [deputies[1], deputies[3]]
    assert {r.deputy for r in receipts["read"]} == {deputies[0], deputies[2]}
    assert DocumentRead.objects.filter(document=document).count() == 2


def test_verification_is_due_ten_days_before_the_opening(council_session, committee, term):
    submission = make_doc(council_session)
    verification = verification_assign(submission=submission, committee=committee, assigned_on=date(2026, 11, 1))
    # 10 days before Tuesday 08/12/2026 is Saturday 28/11: the last working day before it, Friday 27/11.
    assert verification.due_date == date(2026, 11, 27)
    deadline = Deadline.objects.get(object_id=verification.pk, kind="verification.report")
    with pytest.raises(DomainError):
        verification_update(verification=verification, status=Verification.Status.DONE)
    report = make_doc(council_session, kind=SessionDocument.Kind.VERIFICATION_REPORT, issuer="ĐT")
    verification_update(
        verification=verification,
        status=Verification.Status.DONE,
        report=report,
        conclusion="Đủ điều kiện trình kỳ họp",
    )
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.DONE and report.number == "01/BC-ĐT"
    group = Body.objects.create(council=council_session.council, term=term, kind=Body.Kind.GROUP, name="Tổ 1")
    with pytest.raises(DomainError):
        verification_assign(submission=submission, committee=group)


def test_moving_the_opening_moves_the_open_deadlines(council_session, committee):
    from sessions.services import session_save

    document = make_doc(council_session)
    verification = verification_assign(submission=document, committee=committee, assigned_on=date(2026, 11, 1))
    council_session.planned_start, council_session.planned_end = date(2026, 12, 15), date(2026, 12, 16)
    session_save(session=council_session)
    receipt = Deadline.objects.get(object_id=document.pk, kind="session.documents")
    verification.refresh_from_db()
    assert receipt.due_date == date(2026, 12, 8) and receipt.original_due_date == date(2026, 12, 1)
    assert verification.due_date == date(2026, 12, 4)  # not Saturday 05/12
    assert Deadline.objects.get(object_id=verification.pk, kind="verification.report").due_date == date(2026, 12, 4)
