"""Read paths of the sessions app: selected, prefetched and annotated (no per-row queries)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hdnd_portal.core.models import Deputy

from .models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    DocumentRead,
    DocumentVersion,
    Poll,
    Resolution,
    SessionDocument,
    Vote,
)
from .services import sitting_deputies


def _count(model, field: str = "session") -> Subquery:
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def sessions_list(council_ids: list[int]) -> QuerySet:
    # Correlated counts per row (two joined COUNT(DISTINCT) would multiply items by resolutions).
    return (
        CouncilSession.objects.filter(council_id__in=council_ids)
        .select_related("council", "term")
        .annotate(item_count=_count(AgendaItem), resolution_count=_count(Resolution))
    )


def session_agenda(session: CouncilSession) -> list[AgendaItem]:
    items = list(
        session.agenda_items.select_related("group", "presenter_agency", "field")
        .prefetch_related(
            Prefetch("documents", queryset=SessionDocument.objects.order_by("kind", "pk")),
            Prefetch("votes", queryset=Vote.objects.order_by("-voted_on", "-pk")),
            Prefetch("polls", queryset=Poll.objects.order_by("-opened_at")),
            Prefetch("resolutions", queryset=Resolution.objects.order_by("pk")),
        )
        .order_by("position", "pk")
    )
    for item in items:
        # From the prefetched rows: the open poll and the latest vote, for the page.
        item.open_poll = next((p for p in item.polls.all() if p.state == Poll.State.OPEN), None)
        votes = list(item.votes.all())
        item.last_vote = votes[0] if votes else None
    return items


def visible_documents(qs: QuerySet, access, council_id: int) -> QuerySet:
    """Staff and leaders see every document; deputies those sent to them and public ones;
    other readers only public documents (or public after the session closed)."""
    if access.has(council_id, "can_change_session") or access.has(council_id, "can_run_poll"):
        return qs
    public = Q(visibility=SessionDocument.Visibility.PUBLIC) | Q(
        visibility=SessionDocument.Visibility.PUBLIC_AFTER, session__status=CouncilSession.Status.CLOSED
    )
    if access.has(council_id, "can_view_deputy_document"):
        return qs.filter(Q(sent_at__isnull=False) | public)
    return qs.filter(public)


def documents_list(council_ids: list[int], deputy_id: int | None = None) -> QuerySet:
    qs = SessionDocument.objects.filter(council_id__in=council_ids).select_related("session", "agenda_item")
    if deputy_id:
        qs = qs.annotate(is_read=Exists(DocumentRead.objects.filter(document=OuterRef("pk"), deputy_id=deputy_id)))
    return qs


def document_versions(document: SessionDocument) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


@dataclass
class Receipt:
    deputy: Deputy
    first_read_at: datetime | None = None
    last_read_at: datetime | None = None
    version_read: int | None = None


def read_receipts(document: SessionDocument) -> dict:
    """Every deputy sitting at the session's opening, split into read and not yet read."""
    session = document.session
    deputies = list(sitting_deputies(session.council_id, session.start).order_by("sort_key", "pk"))
    reads = {r.deputy_id: r for r in DocumentRead.objects.filter(document=document)}
    read, unread = [], []
    for deputy in deputies:
        r = reads.get(deputy.pk)
        if r:
            read.append(Receipt(deputy, r.first_read_at, r.last_read_at, r.version_read))
        else:
            unread.append(Receipt(deputy))
    return {"read": read, "unread": unread, "total": len(deputies)}


def resolutions_list(council_ids: list[int]) -> QuerySet:
    return Resolution.objects.filter(council_id__in=council_ids).select_related(
        "council", "session", "field", "responsible_agency", "vote"
    )


def attendance_grid(session: CouncilSession, day) -> list[dict]:
    deputies = list(sitting_deputies(session.council_id, day).order_by("sort_key", "pk"))
    rows = {a.deputy_id: a for a in Attendance.objects.filter(session=session, day=day)}
    return [{"deputy": d, "record": rows.get(d.pk)} for d in deputies]


def attendance_summary(session: CouncilSession) -> list[dict]:
    """Per day: present / absent with reason / absent without reason against the total."""
    counts = {
        (row["day"], row["status"]): row["n"]
        for row in Attendance.objects.filter(session=session).values("day", "status").annotate(n=Count("id"))
    }
    summary = []
    for day in session.days:
        total = sitting_deputies(session.council_id, day).count()
        summary.append(
            {
                "day": day,
                "total": total,
                "present": counts.get((day, Attendance.Status.PRESENT), 0),
                "excused": counts.get((day, Attendance.Status.ABSENT_EXCUSED), 0),
                "absent": counts.get((day, Attendance.Status.ABSENT), 0),
                "recorded": sum(counts.get((day, s), 0) for s in Attendance.Status.values),
            }
        )
    return summary


def visible_documents_any(qs: QuerySet, access) -> QuerySet:
    """visible_documents() over every council the user sees (for the API)."""
    if access.user.is_superuser:
        return qs
    full = set(access.council_ids("can_change_session") or []) | set(access.council_ids("can_run_poll") or [])
    deputies = set(access.council_ids("can_view_deputy_document") or []) - full
    public = Q(visibility=SessionDocument.Visibility.PUBLIC) | Q(
        visibility=SessionDocument.Visibility.PUBLIC_AFTER, session__status=CouncilSession.Status.CLOSED
    )
    return qs.filter(Q(council_id__in=full) | Q(council_id__in=deputies, sent_at__isnull=False) | public)
