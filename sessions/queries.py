"""Read paths of the sessions app: selected, prefetched and annotated (no per-row queries)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from hdnd_portal.core.models import Deputy
from hdnd_portal.core.shapes import held

from .models import (
    AgendaItem,
    Attendance,
    Choice,
    CouncilSession,
    DocumentRead,
    DocumentVersion,
    Poll,
    PollBallot,
    PollParticipation,
    Resolution,
    SessionDocument,
    Vote,
)
from .services import (
    deputy_sitting,
    document_audience,
    mandate_end,
    resolution_title_for,
    sitting_counts,
    sitting_deputies,
)


def _count(model, field: str = "session") -> Subquery:
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@held
def _session_rows() -> QuerySet:
    # Correlated counts per row (two joined COUNT(DISTINCT) would multiply items by resolutions).
    # The council's name is the list page's (PortalListView.council_names): no join; the term's
    # numeral a column of the same query (no Term built for each row). The shape is built once
    # (core.shapes.held).
    return CouncilSession.objects.annotate(
        term_numeral=F("term__numeral"), item_count=_count(AgendaItem), resolution_count=_count(Resolution)
    )


def sessions_list(council_ids: list[int]) -> QuerySet:
    return _session_rows().filter(council_id__any=council_ids)


def session_agenda(
    session: CouncilSession,
    resolutions: list[Resolution] | None = None,
    documents: list[SessionDocument] | None = None,
    latest_only: bool = False,
) -> list[AgendaItem]:
    """The agenda with each item's documents (item.item_documents), votes, polls and resolutions
    (item.adopted). Given the session's resolutions or every one of its documents already read (its
    page lists them), they are shared out instead of read again. With `latest_only` (the session's
    page) an item carries only its open poll and its latest vote (their figures, read with the
    items), not every vote and poll."""
    prefetch = [] if latest_only else [
        Prefetch("votes", queryset=Vote.objects.order_by("-voted_on", "-pk")),
        Prefetch("polls", queryset=Poll.objects.order_by("-opened_at")),
    ]
    if resolutions is None:
        prefetch.append(Prefetch("resolutions", queryset=Resolution.objects.order_by("pk")))
    if documents is None:
        prefetch.append(Prefetch("documents", queryset=SessionDocument.objects.order_by("kind", "pk")))
    items = session.agenda_items.select_related("group", "presenter_agency", "field").prefetch_related(*prefetch)
    if latest_only:
        latest_vote = Vote.objects.filter(agenda_item=OuterRef("pk")).order_by("-voted_on", "-pk")
        items = items.annotate(
            open_poll_pk=Subquery(
                Poll.objects.filter(agenda_item=OuterRef("pk"), state=Poll.State.OPEN)
                .order_by("-opened_at").values("pk")[:1]
            ),
            **{f"last_vote_{name}": Subquery(latest_vote.values(name)[:1])
               for name in ("pk", "passed", "yes", "total_deputies")},
        )
    items = list(items.order_by("position", "pk"))
    by_item: dict[int, list[Resolution]] = {}
    for resolution in sorted(resolutions or [], key=lambda r: r.pk):
        by_item.setdefault(resolution.agenda_item_id, []).append(resolution)
    docs_by_item: dict[int, list[SessionDocument]] = {}
    for document in sorted(documents or [], key=lambda d: (d.kind, d.pk)):
        docs_by_item.setdefault(document.agenda_item_id, []).append(document)
    for item in items:
        item.adopted = by_item.get(item.pk, []) if resolutions is not None else list(item.resolutions.all())
        item.item_documents = docs_by_item.get(item.pk, []) if documents is not None else list(item.documents.all())
        # The open poll and the latest vote, for the page.
        if latest_only:
            item.open_poll = SimpleNamespace(pk=item.open_poll_pk) if item.open_poll_pk else None
            item.last_vote = SimpleNamespace(pk=item.last_vote_pk, passed=item.last_vote_passed,
                                             yes=item.last_vote_yes, total_deputies=item.last_vote_total_deputies,
                                             ) if item.last_vote_pk else None
        else:
            item.open_poll = next((p for p in item.polls.all() if p.state == Poll.State.OPEN), None)
            votes = list(item.votes.all())
            item.last_vote = votes[0] if votes else None
        if item.open_poll is not None:
            item.open_poll.agenda_item = item  # its banner names the item, without reading it again
        # What a passed vote would call the resolution (from the prefetched documents).
        item.resolution_title_shown = (
            resolution_title_for(item, item.item_documents) if item.proposes_resolution else ""
        )
    return items


def sees_every_document(access, council_id: int) -> bool:
    """Staff and leaders see every document of the council's sessions."""
    return access.has(council_id, "can_change_session") or access.has(council_id, "can_run_poll")


def visible_documents(qs: QuerySet, access, council_id: int) -> QuerySet:
    """Staff and leaders see every document; deputies those sent to them and public ones;
    other readers only public documents (or public after the session closed)."""
    if sees_every_document(access, council_id):
        return qs
    public = Q(visibility=SessionDocument.Visibility.PUBLIC) | Q(
        visibility=SessionDocument.Visibility.PUBLIC_AFTER, session__status=CouncilSession.Status.CLOSED
    )
    if access.has(council_id, "can_view_deputy_document"):
        return qs.filter(_sent_to(access, council_id) | public)
    return qs.filter(public)


def _sent_to(access, council_id: int) -> Q:
    """Documents sent to the deputies that this user reads: all of them, except that a deputy whose
    mandate has ended keeps those of the sessions they sat in (their history), never later ones —
    the same deputies services.document_audience counts."""
    sent = Q(sent_at__isnull=False)
    role = access.role_on(council_id, "deputy")
    end = mandate_end(role.deputy) if role is not None and role.deputy_id else None
    if end is None:
        return sent
    began = Q(session__actual_start__lte=end) | Q(session__actual_start__isnull=True, session__planned_start__lte=end)
    return sent & (began | Q(sent_at__date__lte=end))


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
    outdated: bool = False


def read_receipts(document: SessionDocument) -> dict:
    """The document's audience (services.document_audience: the deputies who sat while it was
    read), split into read and not yet read — the one count the office's page, the API and the
    deputies' own pages agree on. `outdated`: read, but an older version than the current one."""
    deputies = list(document_audience(document).order_by("sort_key", "pk"))
    reads = {r.deputy_id: r for r in DocumentRead.objects.filter(document=document)}
    read, unread = [], []
    for deputy in deputies:
        r = reads.get(deputy.pk)
        if r:
            outdated = r.version_read < document.current_version
            read.append(Receipt(deputy, r.first_read_at, r.last_read_at, r.version_read, outdated))
        else:
            unread.append(Receipt(deputy))
    return {"read": read, "unread": unread, "total": len(deputies), "outdated": sum(r.outdated for r in read)}


@held
def _resolution_rows() -> QuerySet:
    return Resolution.objects.annotate(
        field_name=F("field__name"), session_number=F("session__number"), session_title=F("session__title")
    )


def resolutions_list(council_ids: list[int]) -> QuerySet:
    """The resolutions list: its rows with the names it prints of the session and the field, as
    columns of the query (no model instance built for each; the council, the agency and the vote
    are not read); the shape built once (core.shapes.held)."""
    return _resolution_rows().filter(council_id__any=council_ids)


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
    from .services.quorum import quorum_for, quorum_rules

    days = list(session.days)
    totals = sitting_counts(session.council_id, days)  # one query whatever the number of days
    recorded_days = sorted({day for day, _status in counts})
    rules = quorum_rules(session, recorded_days)  # likewise
    summary = []
    for day in days:
        total = totals[day]
        present = counts.get((day, Attendance.Status.PRESENT), 0)
        recorded = sum(counts.get((day, s), 0) for s in Attendance.Status.values)
        summary.append(
            {
                "day": day,
                "total": total,
                "present": present,
                "excused": counts.get((day, Attendance.Status.ABSENT_EXCUSED), 0),
                "absent": counts.get((day, Attendance.Status.ABSENT), 0),
                "recorded": recorded,
                # Judged only on a day whose attendance is recorded (the rule's fraction, 2/3).
                "quorum": quorum_for(session=session, day=day, present=present, total=total, rules=rules) if recorded else None,
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
    visible = Q(council_id__in=full) | public
    for council_id in sorted(deputies):
        visible |= Q(council_id=council_id) & _sent_to(access, council_id)
    return qs.filter(visible)


def deputy_votes(deputy: Deputy, limit: int = 50) -> list[dict]:
    """The deputy's own votes, newest first: the choice of an open vote; for a secret ballot only
    that they voted (no choice is stored)."""
    participations = list(
        PollParticipation.objects.filter(deputy=deputy)
        .select_related("poll", "poll__agenda_item", "poll__session", "poll__vote")
        .order_by("-poll__opened_at")[:limit]
    )
    choices = dict(
        PollBallot.objects.filter(deputy=deputy, poll__in=[p.poll_id for p in participations]).values_list(
            "poll_id", "choice"
        )
    )
    labels = dict(Choice.choices)
    return [
        {
            "poll": p.poll,
            "choice": labels.get(choices.get(p.poll_id)) if p.poll_id in choices else None,
            "secret": p.poll.is_secret,
        }
        for p in participations
    ]


def deputy_overview(deputy: Deputy, access, council) -> dict:
    """What a deputy's own page shows. A sitting deputy: the coming and recent sessions, the
    documents to read, the polls they may vote in now. A deputy whose mandate has ended: the
    sessions they sat in, those sessions' documents and their votes — nothing to act on."""
    today = timezone.localdate()
    end = mandate_end(deputy)
    sitting = deputy_sitting(deputy, today)
    sessions = CouncilSession.objects.filter(council=council).select_related("term")
    if sitting:
        sessions = list(
            sessions.exclude(status=CouncilSession.Status.CLOSED, planned_end__lt=today - timedelta(days=60)).order_by(
                "planned_start"
            )[:20]
        )
    else:
        # Their history: every session that began during their mandate.
        began = Q(actual_start__isnull=True, planned_start__lte=end or today) | Q(actual_start__lte=end or today)
        sessions = list(
            sessions.filter(began)
            .filter(
                Q(actual_end__gte=deputy.start_date) | Q(actual_end__isnull=True, planned_end__gte=deputy.start_date)
            )
            .order_by("-planned_start")[:100]
        )
    documents = (
        visible_documents(SessionDocument.objects.filter(council=council, session__in=sessions), access, council.id)
        .annotate(is_read=Exists(DocumentRead.objects.filter(document=OuterRef("pk"), deputy=deputy)))
        .select_related("session")
    )
    if sitting:
        documents = documents.order_by("is_read", "session__planned_start", "kind", "pk")
    else:
        documents = documents.order_by("-session__planned_start", "kind", "pk")
    documents = list(documents)
    polls = []
    if sitting:
        # Only the polls this deputy is on the list of (frozen when each poll opened).
        polls = list(
            Poll.objects.filter(council=council, state=Poll.State.OPEN, entitlements__deputy=deputy)
            .annotate(voted=Exists(PollParticipation.objects.filter(poll=OuterRef("pk"), deputy=deputy)))
            .select_related("agenda_item", "session")
        )
    return {
        "deputy": deputy,
        "sitting": sitting,
        "mandate_end": end,
        "sessions": sessions,
        "documents": documents,
        "polls": polls,
        "votes": deputy_votes(deputy),
        "unread": sum(1 for d in documents if not d.is_read) if sitting else 0,
    }
