"""Every change to a report: request, generate (the Celery task calls it), edit the narrative,
regenerate. Keyword-only, atomic where they write several rows."""

from __future__ import annotations

import logging
import time
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Council, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.scoping import get_access

from . import narrative as narrative_module
from .document import build_document
from .models import Report
from .sections import assemble

logger = logging.getLogger(__name__)


def requestable_council_ids(user) -> list[int] | None:
    """Councils on which `user` may request a report: readable (can_view_report) and the user
    holds can_request_report there or on a council above it. None means every council."""
    access = get_access(user)
    readable = access.council_ids("can_view_report")
    requesters = access.council_ids("can_request_report")
    if readable is None:
        return None
    if not readable or not requesters:
        return []
    allowed = set(requesters)
    rows = Council.objects.filter(id__in=readable).values_list("id", "parent_id", "parent__parent_id")
    return [cid for cid, parent, grandparent in rows if {cid, parent, grandparent} & allowed]


def may_change(access, report: Report) -> bool:
    """Editing or regenerating needs can_request_report on the report's council or one above it."""
    council = report.council
    ids = {
        report.council_id,
        council.parent_id,
        getattr(council.parent, "parent_id", None) if council.parent_id else None,
    }
    return any(cid and access.has(cid, "can_request_report") for cid in ids)


def _enqueue(report: Report, refresh_figures: bool = True) -> None:
    from hdnd_portal.notifications.outbox import enqueue

    from .tasks import generate_report

    # Recorded with the report's transaction; sent when it commits, or later if Redis is down.
    enqueue(generate_report, report.pk, report.generation, refresh_figures)


def report_request(
    *,
    user: User,
    council: Council,
    kind: str,
    period_start: date,
    period_end: date,
    include_below: bool = True,
    issued_on: date | None = None,
    signer_name: str = "",
    recipients: str = "",
) -> tuple[Report, bool]:
    """Queue a report; returns (report, created). The same request while one is queued or running
    returns that one (created False) instead of starting again — compare first, and the partial
    unique constraint report_one_in_flight settles a race between two simultaneous requests."""
    if kind not in Report.Kind.values:
        raise DomainError(_("Choose a kind of report."), field="kind")
    if period_end < period_start:
        raise DomainError(_("The end of the period cannot be before its start."), field="period_end")
    allowed = requestable_council_ids(user)
    if allowed is not None and council.id not in allowed:
        raise DomainError(_("You may not request a report for this council."), field="council")
    include_below = bool(include_below) and council.children.exists()
    lookup = dict(
        council=council, kind=kind, period_start=period_start, period_end=period_end, include_below=include_below
    )
    existing = Report.objects.filter(**lookup, status__in=Report.IN_FLIGHT).first()
    if existing:
        return existing, False
    issued_on = issued_on or timezone.localdate()
    try:
        with transaction.atomic():
            # The number is taken inside the same transaction: a request that loses the race
            # rolls back, so its number is never consumed.
            seq, number = next_number(council=council, doc_type="BC", on=issued_on)
            with override("vi"):
                title = narrative_module.title_for(kind, council.name, period_start, period_end)
            report = Report.objects.create(
                **lookup,
                number=number,
                number_seq=seq,
                issued_on=issued_on,
                title=title,
                signer_name=signer_name,
                recipients=recipients,
                requested_by=user,
            )
            _enqueue(report)
    except IntegrityError:
        existing = Report.objects.filter(**lookup, status__in=Report.IN_FLIGHT).first()
        if existing is None:
            raise
        return existing, False
    return report, True


def _progress(report_id: int, generation: int):
    def update(percent: int, step: str) -> None:
        Report.objects.filter(pk=report_id, generation=generation).update(progress=min(percent, 99), step=step[:120])

    return update


def _replace_file(report: Report, field_name: str, content: bytes, ext: str) -> None:
    field = getattr(report, field_name)
    if field:
        field.delete(save=False)  # regenerating replaces the file, it does not pile up copies
    name = f"bao-cao-{report.number_seq:02d}-{report.issued_on.year}-{report.pk}.{ext}"
    field.save(name, ContentFile(content), save=False)


def report_generate(*, report_id: int, generation: int, refresh_figures: bool = True) -> Report | None:
    """Compute the figures, write the narrative (unless edited by hand) and render the three files.

    Claims the report with a compare-and-set on (pk, generation, status queued/running): a task of
    an older generation, or one for a report already done, does nothing. A report left "running"
    by a worker that died is claimed again by the redelivered task (acks_late) and completes."""
    claimed = Report.objects.filter(pk=report_id, generation=generation, status__in=Report.IN_FLIGHT).update(
        status=Report.Status.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=1,
        step="start",
        error="",
    )
    if not claimed:
        return None
    report = Report.objects.select_related("council", "council__parent").get(pk=report_id)
    progress = _progress(report_id, generation)
    try:
        with override("vi"):
            started = time.monotonic()
            if refresh_figures or not report.figures:
                report.figures = assemble(
                    report.council,
                    report.kind,
                    report.period_start,
                    report.period_end,
                    report.include_below,
                    progress=progress,
                )
            report.figures_seconds = round(time.monotonic() - started, 3)
            if not report.narrative_edited or not report.narrative:
                report.narrative = narrative_module.build(
                    report.figures, report.kind, report.period_start, report.period_end
                )
                report.narrative_edited = False
            progress(65, "pdf")
            started = time.monotonic()
            document = build_document(report)
            from .render_office import render_docx, render_xlsx
            from .render_pdf import render_pdf

            pdf = render_pdf(document)
            progress(85, "xlsx")
            xlsx = render_xlsx(document)
            progress(92, "docx")
            docx = render_docx(document)
            report.render_seconds = round(time.monotonic() - started, 3)
    except Exception as error:
        logger.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id, generation=generation).update(
            status=Report.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return Report.objects.get(pk=report_id)
    # Still ours? A regeneration requested meanwhile raised the generation: leave it to its task.
    if not Report.objects.filter(pk=report_id, generation=generation).exists():
        return None
    _replace_file(report, "pdf", pdf, "pdf")
    _replace_file(report, "xlsx", xlsx, "xlsx")
    _replace_file(report, "docx", docx, "docx")
    report.status = Report.Status.DONE
    report.progress = 100
    report.step = "done"
    report.finished_at = timezone.now()
    report.save(
        update_fields=[
            "figures",
            "narrative",
            "narrative_edited",
            "figures_seconds",
            "render_seconds",
            "pdf",
            "xlsx",
            "docx",
            "status",
            "progress",
            "step",
            "finished_at",
            "updated_at",
        ]
    )
    return report


def _restart(report: Report, refresh_figures: bool) -> Report:
    try:
        with transaction.atomic():
            updated = (
                Report.objects.filter(pk=report.pk)
                .exclude(status__in=Report.IN_FLIGHT)
                .update(
                    status=Report.Status.QUEUED,
                    progress=0,
                    step="",
                    error="",
                    generation=F("generation") + 1,
                    finished_at=None,
                    version=F("version") + 1,
                )
            )
            report.refresh_from_db()
            if updated:
                _enqueue(report, refresh_figures)
    except IntegrityError:
        raise DomainError(
            _("The same report is being generated right now; wait until it finishes."), field=None
        ) from None
    return report


def report_regenerate(*, report: Report, reset_narrative: bool = False) -> Report:
    """Recompute the figures and render the files again (replacing them). While the report is
    queued or running this does nothing and the running generation is shown."""
    if reset_narrative:
        Report.objects.filter(pk=report.pk).update(narrative_edited=False)
    return _restart(report, refresh_figures=True)


def report_update_text(
    *, report: Report, blocks: list[dict], signer_name: str, recipients: str, expected_version: int | None = None
) -> Report:
    """Save the edited narrative, signer and recipients, then render the files again from the same
    figures. Refused while the report is being generated, or if someone saved in between."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_in_flight:
            raise DomainError(_("The report is being generated; edit it when it is done."))
        if expected_version is not None and locked.version != expected_version:
            raise DomainError(_("Someone else changed this report meanwhile; reload the page and edit again."))
        known = {b.get("key"): b for b in locked.narrative or []}
        merged = []
        for block in blocks:
            original = known.get(block.get("key"), {})
            merged.append(
                {
                    "key": block.get("key"),
                    "heading": block.get("heading", original.get("heading", "")),
                    "text": str(block.get("text", "")).strip(),
                }
            )
        locked.narrative = merged
        locked.narrative_edited = True
        locked.signer_name = signer_name
        locked.recipients = recipients
        locked.version += 1
        locked.save(
            update_fields=["narrative", "narrative_edited", "signer_name", "recipients", "version", "updated_at"]
        )
    return _restart(locked, refresh_figures=False)


def requeue_stale(*, older_than_minutes: int = 30) -> int:
    """Re-send the task of reports queued or running for too long (a message lost with a broker
    restart). The task's compare-and-set makes a duplicate harmless."""
    from .tasks import generate_report

    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    stale = list(
        Report.objects.filter(status__in=Report.IN_FLIGHT, requested_at__lt=cutoff)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        .values_list("pk", "generation")
    )
    from hdnd_portal.notifications.outbox import enqueue

    for pk, generation in stale:
        enqueue(generate_report, pk, generation, True)
    return len(stale)
