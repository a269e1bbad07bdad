"""The session minutes are rendered by a worker, not in the request: minutes_request records the
request (and queues the task with the transaction), minutes_generate renders the PDF and the Word
file and stores them on the SessionMinutes row, which the minutes page shows with its progress."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hdnd_portal.core.models import User
from hdnd_portal.core.writes import check_council_write

from ..models import CouncilSession, SessionMinutes

logger = logging.getLogger(__name__)
PERMISSION = "can_change_session"


def minutes_request(*, session: CouncilSession, by: User) -> SessionMinutes:
    """Queue (again) the rendering of the session's minutes. A request while one is queued or
    running returns that one; otherwise the generation is raised, so an older task stops."""
    check_council_write(user=by, council_id=session.council_id, permission=PERMISSION)
    with transaction.atomic():
        minutes, created = SessionMinutes.objects.select_for_update().get_or_create(
            session=session, defaults={"requested_by": by, "requested_at": timezone.now()}
        )
        if not created:
            if minutes.is_in_flight:
                return minutes
            minutes.generation = F("generation") + 1
            minutes.status, minutes.progress, minutes.error = SessionMinutes.Status.QUEUED, 0, ""
            minutes.requested_by, minutes.requested_at, minutes.finished_at = by, timezone.now(), None
            minutes.save(update_fields=["generation", "status", "progress", "error", "requested_by",
                                        "requested_at", "finished_at"])
            minutes.refresh_from_db(fields=["generation"])
        _enqueue(minutes)
    return minutes


def _enqueue(minutes: SessionMinutes) -> None:
    from hdnd_portal.notifications.outbox import enqueue

    from ..tasks import generate_minutes

    # Recorded with the request's transaction; sent when it commits, or later if Redis is down.
    enqueue(generate_minutes, minutes.pk, minutes.generation)


def _step(minutes_id: int, generation: int, **values) -> bool:
    """Move the row on, unless a newer request has replaced this generation."""
    return bool(SessionMinutes.objects.filter(pk=minutes_id, generation=generation).update(**values))


def minutes_generate(*, minutes_id: int, generation: int) -> SessionMinutes | None:
    """Render both files of one generation (idempotent: a redelivered task renders them again)."""
    from ..minutes import minutes_docx, minutes_pdf

    if not SessionMinutes.objects.filter(pk=minutes_id, generation=generation,
                                         status__in=SessionMinutes.IN_FLIGHT).update(
            status=SessionMinutes.Status.RUNNING, progress=10):
        return None  # done already, or replaced by a newer request
    minutes = SessionMinutes.objects.select_related("session__council", "session__term").get(pk=minutes_id)
    session = minutes.session
    name = f"bien-ban-ky-hop-{session.council_id}-{session.number}"
    try:
        pdf = minutes_pdf(session)
        _step(minutes_id, generation, progress=70)
        docx = minutes_docx(session)
    except Exception as error:  # the page shows the failure; the user may request again
        logger.exception("minutes of session %s failed", session.pk)
        _step(minutes_id, generation, status=SessionMinutes.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
              finished_at=timezone.now())
        return SessionMinutes.objects.get(pk=minutes_id)
    with transaction.atomic():
        current = SessionMinutes.objects.select_for_update().get(pk=minutes_id)
        if current.generation != generation:
            return None
        old = [f.name for f in (current.pdf, current.docx) if f]
        current.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        current.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        current.status, current.progress, current.finished_at = SessionMinutes.Status.DONE, 100, timezone.now()
        current.save(update_fields=["pdf", "docx", "status", "progress", "finished_at"])
        storage = current.pdf.storage
        transaction.on_commit(lambda: [storage.delete(path) for path in old if path])
    return current
