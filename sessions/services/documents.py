"""Session documents: numbering, checked uploads, versions, sending, read receipts; verification."""

import os
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.deadlines import deadline_complete, deadline_set
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.forms_base import validate_upload
from hdnd_portal.core.models import Body, Deputy, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import date_before
from hdnd_portal.core.writes import WriteDenied

from ..models import CouncilSession, DocumentRead, DocumentVersion, SessionDocument, Verification
from .sessions import deputies_sitting_between

RECEIPT_DEADLINE = "session.documents"
VERIFICATION_DEADLINE = "verification.report"


def _checked(file, field: str = "file") -> None:
    if not hasattr(file, "read") or not hasattr(file, "name") or not hasattr(file, "size"):
        raise DomainError(_("Attach the document file."), field=field)
    try:
        validate_upload(file)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None


def _check_agenda_item(*, session_id: int, agenda_item) -> None:
    """A document's agenda item is an item of the document's own session (pages and API alike)."""
    if agenda_item is not None and agenda_item.session_id != session_id:
        raise DomainError(_("The agenda item belongs to another session."), field="agenda_item")


def document_receipt_due(session: CouncilSession) -> tuple[date, object]:
    """The date by which deputies must have received the session's documents (a rule)."""
    return date_before("session.documents_days_before", session.council, session.planned_start)


OWN_ISSUERS = ("HĐND", "TTHĐND", "TT HĐND")


def issued_by_council(council_id: int, issuer: str) -> bool:
    """Whether the council itself (its office, standing committee or one of its committees) issues
    documents under this abbreviation — only those get a number from the portal's register."""
    issuer = (issuer or "").strip()
    if issuer.upper() in OWN_ISSUERS:
        return True
    return Body.objects.filter(council_id=council_id, abbreviation__iexact=issuer).exclude(abbreviation="").exists()


def _check_external(*, external_number: str, external_date: date | None) -> None:
    if external_date is not None and external_date > timezone.localdate():
        raise DomainError(_("The date on the document cannot be in the future."), field="external_date")
    if external_date is not None and not external_number:
        raise DomainError(_("Enter the number printed on the document with its date."), field="external_number")


def document_create(
    *,
    session: CouncilSession,
    kind: str,
    title: str,
    doc_date: date,
    file,
    user: User | None = None,
    issuer: str = "HĐND",
    visibility: str = SessionDocument.Visibility.PUBLIC_AFTER,
    agenda_item=None,
    note: str = "",
    external_number: str = "",
    external_date: date | None = None,
) -> SessionDocument:
    """Register a document with its first file, and track the deputies' receipt deadline.

    Numbers are never invented for another issuer: a submission of the People's Committee carries
    the number the Committee printed on it (external_number, entered by the office; empty until
    known). Only a numbered kind the council itself issues (HĐND, its standing committee, its
    committees), entered without a number, gets the next number of the portal's register."""
    if not file:
        raise DomainError(_("Attach the document file."), field="file")
    _checked(file)
    _check_agenda_item(session_id=session.pk, agenda_item=agenda_item)
    external_number = (external_number or "").strip()
    _check_external(external_number=external_number, external_date=external_date)
    if kind not in SessionDocument.Kind.values:
        raise DomainError(_("Choose the kind of document."), field="kind")
    if session.status == CouncilSession.Status.CLOSED:
        raise DomainError(_("The session is closed."))
    issuer = (issuer or "HĐND").strip()
    with transaction.atomic():
        document = SessionDocument(
            council_id=session.council_id,
            session=session,
            kind=kind,
            title=title,
            issuer=issuer,
            doc_date=doc_date,
            visibility=visibility,
            agenda_item=agenda_item,
            external_number=external_number,
            external_date=external_date,
        )
        doc_type = SessionDocument.NUMBER_TYPES.get(kind)
        if doc_type and not external_number and issued_by_council(session.council_id, issuer):
            document.number_seq, document.number = next_number(
                council=session.council, doc_type=doc_type, on=doc_date, issuer=issuer
            )
        document.save()
        _add_version(document, file, user, note)
        due, rule = document_receipt_due(session)
        deadline_set(
            subject=document,
            council=session.council,
            kind=RECEIPT_DEADLINE,
            title=_("Send to deputies: %(title)s") % {"title": document.title},
            start_date=min(doc_date, due),
            due_date=due,
            rule=rule,
            responsible_user=user,
        )
    return document


def _add_version(document: SessionDocument, file, user, note: str) -> DocumentVersion:
    now = timezone.now()
    number = document.current_version + 1
    DocumentVersion.objects.filter(document=document, superseded_at__isnull=True).update(superseded_at=now)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=os.path.basename(file.name)[:255],
        size=file.size,
        note=note,
        uploaded_by=user,
    )
    version.file.save(os.path.basename(file.name), file, save=False)
    version.save()
    document.current_version = number
    document.save(update_fields=["current_version", "updated_at", "search_text"])
    return version


def document_update(*, document: SessionDocument) -> SessionDocument:
    """Save an edit of a document's title, visibility or agenda item. Its session and kind (which
    its number belongs to) never change; a new file is a new version (document_add_version). The
    caller has run the write guard (permission, version) inside the same transaction."""
    from .sessions import check_unchanged

    check_unchanged(document, ("session",))
    stored_kind = SessionDocument.objects.filter(pk=document.pk).values_list("kind", flat=True).first()
    if stored_kind is not None and stored_kind != document.kind:
        raise DomainError(_("The kind of a document cannot change: its number belongs to it."), field="kind")
    _check_agenda_item(session_id=document.session_id, agenda_item=document.agenda_item)
    document.external_number = (document.external_number or "").strip()
    _check_external(external_number=document.external_number, external_date=document.external_date)
    document.save()
    return document


def document_add_version(
    *, document: SessionDocument, file, user: User | None = None, note: str = ""
) -> DocumentVersion:
    """Upload a new version; the previous one is kept, marked superseded."""
    if not file:
        raise DomainError(_("Attach the document file."), field="file")
    _checked(file)
    with transaction.atomic():
        document = SessionDocument.objects.select_for_update().get(pk=document.pk)
        return _add_version(document, file, user, note)


def document_send(*, document: SessionDocument) -> SessionDocument:
    """Mark a document sent to the deputies: their receipt deadline is met."""
    with transaction.atomic():
        if document.sent_at is None:
            document.sent_at = timezone.now()
            document.save(update_fields=["sent_at", "updated_at", "search_text"])
        deadline_complete(subject=document, kind=RECEIPT_DEADLINE)
    return document


class NotInAudience(WriteDenied):
    """The deputy did not sit on the council while the document was read (403 in the API)."""


def reading_window(session: CouncilSession, sent_on: date | None = None) -> tuple[date, date]:
    """The days a session's documents are read: from their sending (or the opening, if later
    sent or not sent yet) to the session's last day."""
    start = session.start
    if sent_on is not None and sent_on < start:
        start = sent_on
    return start, max(session.end, start)


def document_audience(document: SessionDocument) -> QuerySet:
    """The deputies a document is for: those of its council who sat on at least one day of its
    reading window. The one base of read receipts — the office's count, the deputy's own page and
    the API all use it, and only these deputies leave receipts."""
    sent_on = timezone.localdate(document.sent_at) if document.sent_at else None
    return deputies_sitting_between(document.council_id, *reading_window(document.session, sent_on))


def document_mark_read(*, document: SessionDocument, deputy: Deputy) -> DocumentRead:
    """Record that a deputy opened the document (first and last time, version opened). Only a
    deputy of the document's audience leaves a receipt (NotInAudience otherwise)."""
    if deputy.council_id != document.council_id or not document_audience(document).filter(pk=deputy.pk).exists():
        raise NotInAudience(_("You did not sit on the council during this session; no read receipt is kept."))
    now = timezone.now()
    receipt, created = DocumentRead.objects.get_or_create(
        document=document,
        deputy=deputy,
        defaults={"first_read_at": now, "last_read_at": now, "version_read": document.current_version},
    )
    if not created:
        DocumentRead.objects.filter(pk=receipt.pk).update(last_read_at=now, version_read=document.current_version)
    return receipt


# --- Verification ----------------------------------------------------------------------------


def verification_assign(
    *, submission: SessionDocument, committee: Body, assigned_on: date | None = None
) -> Verification:
    """Assign a submission to a committee; due the rule's number of days before the session opens."""
    session = submission.session
    if committee.council_id != submission.council_id or committee.kind != Body.Kind.COMMITTEE:
        raise DomainError(_("Choose a committee of this council."), field="committee")
    if submission.kind not in (
        SessionDocument.Kind.SUBMISSION,
        SessionDocument.Kind.REPORT,
        SessionDocument.Kind.DRAFT_RESOLUTION,
    ):
        raise DomainError(_("Only submissions, reports and draft resolutions are verified."), field="submission")
    if Verification.objects.filter(submission=submission, committee=committee).exists():
        raise DomainError(_("This committee already examines this document."), field="committee")
    assigned_on = assigned_on or timezone.localdate()
    due, rule = date_before("verification.days_before_session", session.council, session.planned_start)
    with transaction.atomic():
        verification = Verification(
            council_id=submission.council_id,
            session=session,
            submission=submission,
            committee=committee,
            assigned_on=assigned_on,
            due_date=due,
        )
        verification.save()
        deadline_set(
            subject=verification,
            council=session.council,
            kind=VERIFICATION_DEADLINE,
            title=_("Verification by %(committee)s: %(title)s")
            % {"committee": committee.name, "title": submission.title},
            start_date=min(assigned_on, due),
            due_date=due,
            rule=rule,
        )
    return verification


def verification_update(
    *,
    verification: Verification,
    status: str,
    report: SessionDocument | None = None,
    conclusion: str = "",
    completed_on: date | None = None,
) -> Verification:
    from .sessions import check_unchanged

    check_unchanged(verification, ("session", "submission", "committee"))
    stored = Verification.objects.filter(pk=verification.pk).values_list("assigned_on", flat=True).first()
    if stored is not None and stored != verification.assigned_on:
        raise DomainError(_("The assignment date cannot change; assign the verification again."), field="assigned_on")
    if status not in Verification.Status.values:
        raise DomainError(_("Unknown verification status."), field="status")
    if report is not None and (
        report.session_id != verification.session_id or report.kind != SessionDocument.Kind.VERIFICATION_REPORT
    ):
        raise DomainError(_("Choose a verification report of the same session."), field="report")
    with transaction.atomic():
        verification.status = status
        verification.report = report
        verification.conclusion = conclusion
        if status == Verification.Status.DONE:
            if report is None:
                raise DomainError(_("Attach the verification report before marking it issued."), field="report")
            verification.completed_on = completed_on or timezone.localdate()
            deadline_complete(subject=verification, kind=VERIFICATION_DEADLINE)
        elif verification.completed_on is not None:
            # Re-opened: the deadline is open again.
            verification.completed_on = None
            deadline_set(
                subject=verification,
                council=verification.session.council,
                kind=VERIFICATION_DEADLINE,
                title=_("Verification by %(committee)s: %(title)s")
                % {"committee": verification.committee.name, "title": verification.submission.title},
                start_date=min(verification.assigned_on, verification.due_date),
                due_date=verification.due_date,
            )
        verification.save()
    return verification
