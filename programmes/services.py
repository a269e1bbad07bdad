"""Every change to programmes, their tasks, briefings and briefing tasks. Pages and the API both
call these after the core guard (permission on the record's council, relations in the same
council, the version) — see hdnd_portal.core.writes; the actions below that are not plain
edits (publish, refresh figures, report a task done) run that guard themselves."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.deadlines import deadline_complete, deadline_set
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Body, Council, CouncilRole, User
from hdnd_portal.core.scoping import get_access
from hdnd_portal.core.services import check_council_date
from hdnd_portal.core.writes import WriteDenied, guard_update

from .figures import briefing_figures
from .models import ISSUED_UPLOADS, Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask, period_of

CHANGE = "can_change_programme"
DEADLINE_KIND = "briefing.task"


# --- Programmes -----------------------------------------------------------------------------


def _check_body(body: Body | None, council_id: int) -> None:
    if body is not None and body.council_id != council_id:
        raise DomainError(_("This record belongs to another council."), field="body")


@transaction.atomic
def programme_save(*, programme: Programme, partner_agencies: Iterable | None = None) -> Programme:
    """Create or update a programme (already guarded). Its period follows from kind, year and part;
    an adopted programme names its document; publishing records the date."""
    _check_body(programme.body, programme.council_id)
    if programme.kind not in (Programme.Kind.QUARTER, Programme.Kind.SIX_MONTH):
        programme.part = None
    elif not programme.part:
        raise DomainError(_("Give the quarter (1–4) of a quarterly plan or the half (1–2) of a six-month plan."),
                          field="part")
    if programme.kind == Programme.Kind.QUARTER and not 1 <= programme.part <= 4:
        raise DomainError(_("A quarter is 1, 2, 3 or 4."), field="part")
    if programme.kind == Programme.Kind.SIX_MONTH and not 1 <= programme.part <= 2:
        raise DomainError(_("A half-year is 1 or 2."), field="part")
    if not 2000 <= programme.year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."), field="year")
    term_end = None
    if programme.kind == Programme.Kind.TERM:
        from hdnd_portal.core.models import Term

        term = Term.objects.filter(council_id=programme.council_id, start_year__lte=programme.year,
                                   end_year__gte=programme.year).order_by("-start_year").first()
        term_end = term.end_year if term else None
    programme.period_start, programme.period_end = period_of(programme.kind, programme.year, programme.part, term_end)
    if programme.status == Programme.Status.ADOPTED and not (programme.document_number and programme.adopted_on):
        raise DomainError(_("An adopted programme needs its document number and date."), field="document_number")
    if programme.is_published and not programme.published_on:
        programme.published_on = timezone.localdate()
    if not programme.is_published:
        programme.published_on = None
    programme.full_clean(exclude=["version", "partner_agencies"])
    programme.save()
    if partner_agencies is not None:
        agencies = list(partner_agencies)
        if any(a.council_id != programme.council_id for a in agencies):
            raise DomainError(_("This record belongs to another council."), field="partner_agencies")
        programme.partner_agencies.set(agencies)
    return programme


@transaction.atomic
def programme_publish(*, user: User, programme: Programme, expected_version: int, published: bool) -> Programme:
    guard_update(user=user, instance=programme, values={}, permission=CHANGE, expected_version=expected_version)
    if published and programme.status != Programme.Status.ADOPTED:
        raise DomainError(_("Only an adopted programme can be published."), field="is_published")
    programme.is_published = published
    programme.published_on = timezone.localdate() if published else None
    programme.save()
    return programme


@transaction.atomic
def task_save(*, task: ProgrammeTask, links: dict[str, Iterable] | None = None) -> ProgrammeTask:
    """Create or update a programme task (already guarded): it takes its programme's council;
    its lead body/agency and the records it links belong to that council."""
    task.council_id = task.programme.council_id
    _check_body(task.lead_body, task.council_id)
    if task.lead_agency is not None and task.lead_agency.council_id != task.council_id:
        raise DomainError(_("This record belongs to another council."), field="lead_agency")
    if task.status == ProgrammeTask.Status.DONE and not task.completed_on:
        raise DomainError(_("A task done by hand needs the date it was completed."), field="completed_on")
    if task.status != ProgrammeTask.Status.DONE:
        task.completed_on = None
    if task.completed_on and task.completed_on > timezone.localdate():
        raise DomainError(_("The completion date cannot be in the future."), field="completed_on")
    task.full_clean(exclude=["version", *ProgrammeTask.LINK_FIELDS])
    task.save()
    for name, records in (links or {}).items():
        if name not in ProgrammeTask.LINK_FIELDS:
            continue
        records = list(records)
        if any(r.council_id != task.council_id for r in records):
            raise DomainError(_("This record belongs to another council."), field=name)
        getattr(task, name).set(records)
    return task


# --- Briefings ------------------------------------------------------------------------------


def _participants_valid(briefing: Briefing, participants: list[Council]) -> None:
    if briefing.scope == Briefing.Scope.COMMITTEES and participants:
        raise DomainError(_("A briefing with the committees has no councils below taking part."),
                          field="participants")
    wrong = [c for c in participants if c.parent_id != briefing.council_id]
    if wrong:
        raise DomainError(_("%(council)s is not a council directly below this one.") % {"council": wrong[0].name},
                          field="participants")


@transaction.atomic
def briefing_save(*, briefing: Briefing, participants: Iterable[Council] | None = None,
                  bodies: Iterable[Body] | None = None) -> Briefing:
    """Create or update a briefing (already guarded). Its period follows from kind, year and part;
    the figures are computed again whenever the period or the councils taking part change."""
    if briefing.period_kind == Briefing.PeriodKind.YEAR:
        briefing.part = None
    elif not briefing.part:
        raise DomainError(_("Give the quarter (1–4) or the half (1–2) the briefing reviews."), field="part")
    elif briefing.period_kind == Briefing.PeriodKind.QUARTER and not 1 <= briefing.part <= 4:
        raise DomainError(_("A quarter is 1, 2, 3 or 4."), field="part")
    elif briefing.period_kind == Briefing.PeriodKind.SIX_MONTH and not 1 <= briefing.part <= 2:
        raise DomainError(_("A half-year is 1 or 2."), field="part")
    if not 2000 <= briefing.year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."), field="year")
    kind = {"quarter": Programme.Kind.QUARTER, "six_month": Programme.Kind.SIX_MONTH}.get(briefing.period_kind,
                                                                                          Programme.Kind.YEAR)
    start, end = period_of(kind, briefing.year, briefing.part)
    period_changed = (briefing.pk is None or (getattr(briefing, "_loaded", None) is not None and
                                               (briefing.period_start, briefing.period_end) != (start, end)))
    briefing.period_start, briefing.period_end = start, end
    if participants is not None:
        participants = list(participants)
        _participants_valid(briefing, participants)
    if bodies is not None:
        bodies = list(bodies)
        for body in bodies:
            _check_body(body, briefing.council_id)
    briefing.full_clean(exclude=["version", "participants", "bodies"])
    briefing.save()
    old_ids = set(briefing.participants.values_list("id", flat=True))
    if participants is not None:
        briefing.participants.set(participants)
    if bodies is not None:
        briefing.bodies.set(bodies)
    new_ids = set(briefing.participants.values_list("id", flat=True))
    if period_changed or old_ids != new_ids or not briefing.figures:
        _fill_figures(briefing)
    return briefing


def _fill_figures(briefing: Briefing) -> None:
    ids = list(briefing.participants.order_by("name").values_list("id", flat=True))
    briefing.figures = briefing_figures(briefing.council, ids, briefing.period_start, briefing.period_end)
    briefing.figures_at = timezone.now()
    # A recomputation is not an edit of the record: no version bump, no history row.
    Briefing.objects.filter(pk=briefing.pk).update(figures=briefing.figures, figures_at=briefing.figures_at)


@transaction.atomic
def briefing_refresh_figures(*, user: User, briefing: Briefing, expected_version: int) -> Briefing:
    """Compute the figures again from the portal (after late entries for the period)."""
    guard_update(user=user, instance=briefing, values={}, permission=CHANGE, expected_version=expected_version)
    briefing.save()
    _fill_figures(briefing)
    return briefing


def _assignee_valid(task: BriefingTask) -> None:
    briefing = task.briefing
    allowed = {briefing.council_id, *briefing.participants.values_list("id", flat=True)}
    if task.assignee_council_id not in allowed:
        raise DomainError(_("Assign the task to the convening council or to a council taking part."),
                          field="assignee_council")
    if task.assignee_user_id and not CouncilRole.objects.filter(
        user_id=task.assignee_user_id, council_id=task.assignee_council_id
    ).exclude(role=CouncilRole.Role.RESPONDER).exists():
        raise DomainError(_("The responsible person has no role on the assigned council."), field="assignee_user")


def _sync_deadline(task: BriefingTask) -> None:
    """The task's one deadline, on the assignee's council (it shows in their 'my deadlines')."""
    if task.status == BriefingTask.Status.OPEN:
        deadline_set(
            subject=task, council=task.assignee_council, kind=DEADLINE_KIND,
            title=_("Briefing task: %(title)s") % {"title": task.title},
            start_date=task.briefing.held_on, due_date=task.due_date,
            responsible_user=task.assignee_user,
        )
    else:
        deadline_complete(subject=task, kind=DEADLINE_KIND, cancelled=task.status == BriefingTask.Status.CANCELLED)


@transaction.atomic
def briefing_task_save(*, task: BriefingTask) -> BriefingTask:
    """Create or update a task agreed at a briefing (already guarded) and keep its deadline."""
    task.council_id = task.briefing.council_id
    _assignee_valid(task)
    if task.due_date < task.briefing.held_on:
        raise DomainError(_("The due date cannot be before the briefing."), field="due_date")
    if task.status == BriefingTask.Status.DONE and not task.completed_on:
        task.completed_on = timezone.localdate()
    if task.status != BriefingTask.Status.DONE:
        task.completed_on = None
    task.full_clean(exclude=["version"])
    task.save()
    _sync_deadline(task)
    return task


def can_report_task(user: User, task: BriefingTask) -> bool:
    """The convening office, the assignee council's office, or the responsible person."""
    access = get_access(user)
    return (access.has(task.council_id, CHANGE) or access.has(task.assignee_council_id, CHANGE)
            or (task.assignee_user_id is not None and task.assignee_user_id == user.pk))


@transaction.atomic
def briefing_task_complete(*, user: User, task: BriefingTask, expected_version: int, completed_on: date | None,
                           result: str) -> BriefingTask:
    """The assignee (or the convening office) reports the task done; its deadline is met."""
    if not can_report_task(user, task):
        raise WriteDenied(_("You lack the permission on this council."))
    from hdnd_portal.core.concurrency import check_and_bump

    check_and_bump(task, expected_version)
    if task.status != BriefingTask.Status.OPEN:
        raise DomainError(_("Only an open task can be reported done."))
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise DomainError(_("The completion date cannot be in the future."), field="completed_on")
    if completed_on < task.briefing.held_on:
        raise DomainError(_("The completion date cannot be before the briefing."), field="completed_on")
    task.status = BriefingTask.Status.DONE
    task.completed_on = completed_on
    task.result = result[:10000]
    task.save()
    _sync_deadline(task)
    return task


# --- Issued documents (sổ văn bản đi) ---------------------------------------------------------

STANDING_ISSUER = "HĐND"  # the standing committee signs for the council: "15/KH-HĐND"
ISSUING_KINDS = (Body.Kind.STANDING, Body.Kind.COMMITTEE)


def normalise_number(number: str) -> str:
    """"15 / kh-hđnd " → "15/KH-HĐND": the same number however it was typed."""
    return "".join((number or "").split()).upper()


def issuer_symbol(body: Body) -> str:
    """The issuer part of a document number: HĐND for the standing committee, the committee's
    abbreviation (KTNS, VHXH…) for a committee."""
    if body.kind == Body.Kind.STANDING:
        return STANDING_ISSUER
    return normalise_number(body.abbreviation)


def _check_upload(uploaded) -> None:
    """The one upload validator of core, whichever door the file came in by."""
    from django import forms

    from hdnd_portal.core.forms_base import validate_upload

    if not uploaded or getattr(uploaded, "_committed", False) is True:
        return  # nothing new (the file already stored)
    try:
        validate_upload(uploaded, ISSUED_UPLOADS)
    except forms.ValidationError as error:
        raise DomainError(" ".join(str(m) for m in error.messages), field="file") from None


def _allocate_number(document: IssuedDocument) -> None:
    """The next number of the issuer's register for this kind and year; a number typed by hand
    earlier that the register reaches is skipped, never issued twice."""
    from hdnd_portal.core.numbering import next_number

    doc_type = IssuedDocument.NUMBER_TYPES.get(document.kind)
    if doc_type is None:
        raise DomainError(_("Type the number of a document of this kind."), field="number")
    if not document.issuer:
        raise DomainError(_("%(body)s has no abbreviation for its document numbers: add it in the directory, "
                            "or type the number.") % {"body": document.body.name}, field="number")
    taken = IssuedDocument.objects.filter(council_id=document.council_id, issuer=document.issuer,
                                          year=document.year).exclude(pk=document.pk)
    while True:
        seq, number = next_number(council=document.council, doc_type=doc_type, on=document.issued_on,
                                  issuer=document.issuer)
        if doc_type == "CV":
            number = f"{seq:02d}/{document.issuer}"
        if not taken.filter(number=number).exists():
            document.number_seq, document.number = seq, number
            return


def _number_pattern(doc_type: str, issuer: str) -> str:
    tail = issuer if doc_type == "CV" else f"{doc_type}-{issuer}"
    return rf"(\d+)/{re.escape(tail)}"


def _register_typed_number(document: IssuedDocument) -> None:
    """A typed number in the register's own form ("15/KH-HĐND" for a plan of the standing
    committee) is one the register has issued: it keeps its sequence and the register continues
    after it, so an office that back-enters its paper register gets the right next number."""
    from hdnd_portal.core.numbering import _locked_counter, _shared_series

    doc_type = IssuedDocument.NUMBER_TYPES.get(document.kind)
    match = re.fullmatch(_number_pattern(doc_type, document.issuer), document.number) if doc_type else None
    document.number_seq = int(match.group(1)) if match and document.issuer else None
    if not document.number_seq:
        return
    series = "ALL" if _shared_series(document.council, document.issued_on) else doc_type
    counter = _locked_counter(document.council, document.issuer, series, document.year)
    if counter.last_number < document.number_seq:
        counter.last_number = document.number_seq
        counter.save(update_fields=["last_number"])


@transaction.atomic
def issued_document_save(*, document: IssuedDocument) -> IssuedDocument:
    """Create or update an issued document (already guarded: permission on its council, relations
    in the same council, the version). The issuing body is the council's standing committee or one
    of its committees; the date lies within the council's existence (PortalModel); an empty number
    takes the next of the register, a typed one must be free for its issuer and year."""
    body = document.body if document.body_id else None
    if body is None:
        raise DomainError(_("Choose the issuing body."), field="body")
    if body.council_id != document.council_id:
        raise DomainError(_("The issuing body belongs to another council."), field="body")
    if body.kind not in ISSUING_KINDS:
        raise DomainError(_("Documents are issued by the standing committee or a committee."), field="body")
    if document.kind not in IssuedDocument.Kind.values:
        raise DomainError(_("Choose the kind of document."), field="kind")
    if not isinstance(document.issued_on, date):
        raise DomainError(_("Give the date the document was issued."), field="issued_on")
    check_council_date(council=document.council, day=document.issued_on, field="issued_on")
    if document.issued_on > timezone.localdate():
        raise DomainError(_("The date of issue cannot be after today (%(today)s).")
                          % {"today": timezone.localdate().strftime("%d/%m/%Y")}, field="issued_on")
    if document.signer_deputy_id and document.signer_deputy.council_id != document.council_id:
        raise DomainError(_("This record belongs to another council."), field="signer_deputy")
    if document.signer_deputy_id and not document.signer_name:
        document.signer_name = document.signer_deputy.full_name
    document.summary = (document.summary or "").strip()
    if not document.summary:
        raise DomainError(_("Give the summary (trích yếu) of the document."), field="summary")
    _check_upload(document.file)
    document.issuer = issuer_symbol(body)
    document.year = document.issued_on.year
    document.number = normalise_number(document.number)
    if document.number:
        clash = IssuedDocument.objects.filter(council_id=document.council_id, issuer=document.issuer,
                                              year=document.year, number=document.number).exclude(pk=document.pk)
        if clash.exists():
            raise DomainError(_("Number %(number)s is already used by another document of %(issuer)s in "
                                "%(year)s.") % {"number": document.number, "issuer": document.issuer,
                                               "year": document.year}, field="number")
        _register_typed_number(document)
    else:
        _allocate_number(document)
    document.full_clean(exclude=["version", "file"])
    document.save()
    return document
