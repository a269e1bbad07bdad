"""Sessions, agendas and attendance."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Deputy, User
from hdnd_portal.core.services import check_council_date, check_not_future

from ..models import AgendaItem, Attendance, CouncilSession, IssueGroup, Poll, SessionDocument

STATUS_ORDER = [s.value for s in CouncilSession.Status]


def check_unchanged(instance, fields: tuple[str, ...]) -> None:
    """Refuse an edit that moves a record to another parent (session, submission…): such links
    are set when the record is created and never change."""
    if instance.pk is None:
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*[f + "_id" for f in fields]).first()
    if stored is None:
        return
    for name in fields:
        if stored[name + "_id"] != getattr(instance, name + "_id"):
            label = instance._meta.get_field(name).verbose_name
            raise DomainError(
                _("%(field)s cannot be changed after the record is created.") % {"field": str(label).capitalize()},
                field=name,
            )


def term_end(term) -> date | None:
    """The last day of a term: its end date, or for a past term without one (no longer current)
    the end of its last year; None while the term runs."""
    if term.end_date:
        return term.end_date
    if not term.is_current:
        return date(term.end_year, 12, 31)
    return None


def mandate_end(deputy: Deputy) -> date | None:
    """The last day a deputy sits: their own end date or their term's end, whichever comes first."""
    ends = [d for d in (deputy.end_date, term_end(deputy.term)) if d]
    return min(ends) if ends else None


def deputy_sitting(deputy: Deputy, on: date | None = None) -> bool:
    """Whether the deputy sits on `on` (today by default) — the same rule as sitting_deputies()."""
    on = on or timezone.localdate()
    end = mandate_end(deputy)
    return deputy.start_date <= on and (end is None or end >= on)


def _mandate_overlaps(start: date, end: date) -> Q:
    """Deputies whose mandate (own dates and their term's) overlaps [start, end]."""
    term_runs = Q(term__end_date__gte=start) | (
        Q(term__end_date__isnull=True) & (Q(term__is_current=True) | Q(term__end_year__gte=start.year))
    )
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start)) & term_runs


def sitting_deputies(council_id: int, on: date) -> QuerySet:
    """Deputies of the council sitting on `on` (the base of every vote): their own mandate runs and
    their term has not ended (deputy_sitting() is the same rule for one deputy)."""
    return Deputy.objects.filter(council_id=council_id).filter(_mandate_overlaps(on, on))


def sitting_counts(council_id: int, days: list[date]) -> dict[date, int]:
    """How many deputies sit on each of `days` (sitting_deputies(...).count() per day), in one query."""
    if not days:
        return {}
    row = Deputy.objects.filter(council_id=council_id).aggregate(
        **{f"d{i}": Count("id", filter=_mandate_overlaps(day, day)) for i, day in enumerate(days)}
    )
    return {day: row[f"d{i}"] for i, day in enumerate(days)}


def deputies_sitting_between(council_id: int, start: date, end: date) -> QuerySet:
    """Deputies of the council who sat on at least one day of [start, end]."""
    return Deputy.objects.filter(council_id=council_id).filter(_mandate_overlaps(start, end))


def session_check(*, session: CouncilSession) -> None:
    if session.term_id and session.term.council_id != session.council_id:
        raise DomainError(_("The term belongs to another council."), field="term")
    if session.planned_start and session.planned_end and session.planned_end < session.planned_start:
        raise DomainError(_("The closing date cannot be before the opening date."), field="planned_end")
    if session.actual_start and session.actual_end and session.actual_end < session.actual_start:
        raise DomainError(_("The closing date cannot be before the opening date."), field="actual_end")
    clash = CouncilSession.objects.filter(
        council_id=session.council_id, term_id=session.term_id, number=session.number
    ).exclude(pk=session.pk)
    if clash.exists():
        raise DomainError(
            _("Session %(number)s of this term already exists.") % {"number": session.number}, field="number"
        )


def session_save(*, session: CouncilSession) -> CouncilSession:
    """Create or edit a session. Moving the opening date moves the open deadlines that count back
    from it (documents to deputies, verification reports)."""
    with transaction.atomic():
        session_check(session=session)
        previous = (
            CouncilSession.objects.filter(pk=session.pk).values_list("planned_start", flat=True).first()
            if session.pk
            else None
        )
        session.save()
        if previous is not None and previous != session.planned_start:
            _move_deadlines(session)
    return session


def _move_deadlines(session: CouncilSession) -> None:
    from hdnd_portal.core.deadlines import deadline_set
    from hdnd_portal.core.rules import date_before

    from ..models import Verification
    from .documents import RECEIPT_DEADLINE, VERIFICATION_DEADLINE, document_receipt_due

    due, rule = document_receipt_due(session)
    for document in session.documents.filter(sent_at__isnull=True):
        deadline_set(
            subject=document,
            council=session.council,
            kind=RECEIPT_DEADLINE,
            title=_("Send to deputies: %(title)s") % {"title": document.title},
            start_date=min(document.doc_date, due),
            due_date=due,
            rule=rule,
        )
    v_due, v_rule = date_before("verification.days_before_session", session.council, session.planned_start)
    for verification in session.verifications.exclude(status=Verification.Status.DONE).select_related(
        "committee", "submission"
    ):
        verification.due_date = v_due
        verification.save(update_fields=["due_date", "updated_at", "search_text"])
        deadline_set(
            subject=verification,
            council=session.council,
            kind=VERIFICATION_DEADLINE,
            title=_("Verification by %(committee)s: %(title)s")
            % {"committee": verification.committee.name, "title": verification.submission.title},
            start_date=min(verification.assigned_on, v_due),
            due_date=v_due,
            rule=v_rule,
        )


def next_session_number(*, council_id: int, term_id: int | None) -> int:
    if not term_id:
        return 1
    last = CouncilSession.objects.filter(council_id=council_id, term_id=term_id).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def _advance(session: CouncilSession, status: str) -> None:
    if STATUS_ORDER.index(status) <= STATUS_ORDER.index(session.status):
        raise DomainError(
            _("The session is already “%(status)s”.") % {"status": session.get_status_display()}, field="status"
        )


def session_send_documents(*, session: CouncilSession, user: User | None = None) -> int:
    """Send every document not yet sent to the deputies; their receipt deadlines are met."""
    from .documents import document_send

    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        count = 0
        for document in session.documents.filter(sent_at__isnull=True):
            document_send(document=document)
            count += 1
        if session.status == CouncilSession.Status.PLANNED:
            session.status = CouncilSession.Status.DOCUMENTS_SENT
            session.save(update_fields=["status", "updated_at"])
        if count:
            _notify_deputies_of_documents(session=session, count=count, user=user)
    return count


def _notify_deputies_of_documents(*, session: CouncilSession, count: int, user: User | None) -> None:
    """The sitting deputies find the documents in their bell (and their e-mail digest)."""
    from hdnd_portal.notifications.services.notices import notice_send, users_of_deputies

    from .documents import reading_window

    # The same deputies the read receipts count (a deputy whose mandate ended is not told).
    sitting = deputies_sitting_between(session.council_id, *reading_window(session, timezone.localdate())).values_list(
        "id", flat=True
    )
    notice_send(
        users=users_of_deputies(sitting),
        council=session.council,
        exclude=user,
        title=_("%(n)s document(s) of %(session)s were sent to you") % {"n": count, "session": session},
        url=session.get_absolute_url() if hasattr(session, "get_absolute_url") else "",
    )


def _date_needed(session: CouncilSession, field: str) -> None:
    """A session whose planned dates are over is recorded with the dates it was held, never with
    today's (closing a 2021 session today must not make it end today)."""
    if session.planned_end < timezone.localdate():
        raise DomainError(
            _("%(session)s was planned to end on %(date)s: give the date on which it was actually held, or record "
              "it as held with its dates.")
            % {"session": session, "date": session.planned_end.strftime("%d/%m/%Y")},
            field=field,
        )


def _check_held_date(session: CouncilSession, day: date, field: str, label: str) -> None:
    check_not_future(day, field=field, label=label)
    check_council_date(council=session.council, day=day, field=field)


def session_open(*, session: CouncilSession, on: date | None = None) -> CouncilSession:
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _advance(session, CouncilSession.Status.IN_SESSION)
        if on is not None and on > timezone.localdate():
            raise DomainError(_("A session cannot be opened on a future date."), field="actual_start")
        if on is None and session.actual_start is None:
            _date_needed(session, "actual_start")
        session.status = CouncilSession.Status.IN_SESSION
        session.actual_start = session.actual_start or on or timezone.localdate()
        check_council_date(council=session.council, day=session.actual_start, field="actual_start")
        session.save(update_fields=["status", "actual_start", "updated_at"])
    return session


def _refuse_open_polls(session: CouncilSession) -> None:
    open_polls = list(session.polls.filter(state=Poll.State.OPEN).select_related("agenda_item"))
    if open_polls:
        names = "; ".join(p.agenda_item.title for p in open_polls)
        raise DomainError(
            _("Close the open polls first: %(polls)s.") % {"polls": names},
            extra={"open_polls": [p.pk for p in open_polls]},
        )


def session_close(*, session: CouncilSession, on: date | None = None) -> CouncilSession:
    """Close the session on `on` (today when not given, while the session's planned dates still
    run). Refused while electronic polls are open, naming them."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _advance(session, CouncilSession.Status.CLOSED)
        _refuse_open_polls(session)
        if on is None:
            _date_needed(session, "actual_end")
        end = on or timezone.localdate()
        _check_held_date(session, end, "actual_end", _("The closing date"))
        session.actual_start = session.actual_start or min(end, session.planned_start)
        if end < session.actual_start:
            raise DomainError(_("The closing date cannot be before the opening date."), field="actual_end")
        _check_decisions_within(session, session.actual_start, end)
        session.actual_end = end
        session.status = CouncilSession.Status.CLOSED
        session.save(update_fields=["status", "actual_start", "actual_end", "updated_at"])
    return session


def _check_decisions_within(session: CouncilSession, start: date, end: date) -> None:
    """Votes and resolutions already recorded for the session fall within the dates it was held."""
    outside = (
        session.votes.filter(Q(voted_on__lt=start) | Q(voted_on__gt=end)).order_by("voted_on").values_list(
            "voted_on", flat=True).first()
        or session.resolutions.filter(Q(adopted_on__lt=start) | Q(adopted_on__gt=end)).order_by(
            "adopted_on").values_list("adopted_on", flat=True).first()
    )
    if outside is not None:
        raise DomainError(
            _("A vote or resolution of this session is dated %(date)s, outside the dates given.")
            % {"date": outside.strftime("%d/%m/%Y")},
            field="actual_end" if outside > end else "actual_start",
        )


def session_record_held(
    *, session: CouncilSession, actual_start: date, actual_end: date, expected_version: int | None
) -> CouncilSession:
    """Record a session entered after the fact (a 2021 session typed in today) as held, with the
    dates it was actually held, in one step instead of opening and closing it on today's date.
    The dates cannot be in the future, the end not before the start, and both fall within the
    council's existence. The caller checked the permission on the session's council; the version
    the user saw is required (a stale one is refused)."""
    if not isinstance(actual_start, date):
        raise DomainError(_("Enter the actual opening date."), field="actual_start")
    if not isinstance(actual_end, date):
        raise DomainError(_("Enter the actual closing date."), field="actual_end")
    with transaction.atomic():
        check_and_bump(session, expected_version)
        locked = CouncilSession.objects.select_for_update().select_related("council").get(pk=session.pk)
        if locked.status == CouncilSession.Status.CLOSED:
            raise DomainError(
                _("The session is already “%(status)s”.") % {"status": locked.get_status_display()}, field="status"
            )
        _refuse_open_polls(locked)
        _check_held_date(locked, actual_start, "actual_start", _("The opening date"))
        _check_held_date(locked, actual_end, "actual_end", _("The closing date"))
        if actual_end < actual_start:
            raise DomainError(_("The closing date cannot be before the opening date."), field="actual_end")
        _check_decisions_within(locked, actual_start, actual_end)
        session.actual_start, session.actual_end = actual_start, actual_end
        session.status = CouncilSession.Status.CLOSED
        session.save(update_fields=["status", "actual_start", "actual_end", "updated_at"])
    return session


# --- Agenda ---------------------------------------------------------------------------------


def issue_group_save(*, group: IssueGroup) -> IssueGroup:
    with transaction.atomic():
        check_unchanged(group, ("session",))
        group.council_id = group.session.council_id
        if not group.pk:
            last = IssueGroup.objects.filter(session=group.session).aggregate(m=Max("position"))["m"]
            group.position = (last or 0) + 1
        group.save()
    return group


def agenda_item_save(*, item: AgendaItem) -> AgendaItem:
    with transaction.atomic():
        check_unchanged(item, ("session",))
        item.council_id = item.session.council_id
        if item.group_id and item.group.session_id != item.session_id:
            raise DomainError(_("The issue group belongs to another session."), field="group")
        if item.presenter_agency_id and item.presenter_agency.council_id != item.council_id:
            raise DomainError(_("The agency belongs to another council."), field="presenter_agency")
        if not item.pk:
            last = AgendaItem.objects.filter(session=item.session).aggregate(m=Max("position"))["m"]
            item.position = (last or 0) + 1
        item.save()
    return item


def parse_item_ids(raw) -> list[int]:
    """A list of agenda item ids as sent by a page ("3,1,2") or the API ([3, 1, 2]); anything
    else (letters, nested lists, booleans, numbers out of range) is refused with a message."""
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",") if part.strip()]
    if not isinstance(raw, (list, tuple)) or not raw or len(raw) > 1000:
        raise DomainError(_("Send the new order as a list of agenda item ids."), field="order")
    ids = []
    for value in raw:
        if isinstance(value, bool):
            raise DomainError(_("Send the new order as a list of agenda item ids."), field="order")
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or not 0 < value <= 2_147_483_647:
            raise DomainError(_("Send the new order as a list of agenda item ids."), field="order")
        ids.append(value)
    return ids


def agenda_reorder(*, session: CouncilSession, item_ids) -> None:
    """Put the session's items in the given order (every item of this session exactly once)."""
    item_ids = parse_item_ids(item_ids)
    with transaction.atomic():
        items = {i.pk: i for i in AgendaItem.objects.select_for_update().filter(session=session)}
        if sorted(item_ids) != sorted(items):
            raise DomainError(
                _("The new order must list every agenda item of the session exactly once."), field="order"
            )
        for position, pk in enumerate(item_ids, start=1):
            if items[pk].position != position:
                items[pk].position = position
                items[pk].save(update_fields=["position", "updated_at"])


def agenda_move(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) without retyping anything."""
    ids = list(
        AgendaItem.objects.filter(session_id=item.session_id).order_by("position", "pk").values_list("pk", flat=True)
    )
    index = ids.index(item.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    agenda_reorder(session=item.session, item_ids=ids)


def agenda_item_delete(*, item: AgendaItem) -> None:
    with transaction.atomic():
        if item.votes.exists() or item.polls.exists() or item.resolutions.exists():
            raise DomainError(_("This item has votes or resolutions and cannot be deleted."))
        SessionDocument.objects.filter(agenda_item=item).update(agenda_item=None)
        item.delete()


# --- Attendance -----------------------------------------------------------------------------


def attendance_record(*, session: CouncilSession, day: date, entries: list[tuple[int, str, str]]) -> int:
    """Record one day's attendance: entries are (deputy id, status, reason)."""
    if day not in session.days:
        raise DomainError(_("%(day)s is not a day of this session.") % {"day": day.strftime("%d/%m/%Y")}, field="day")
    allowed = set(sitting_deputies(session.council_id, day).values_list("pk", flat=True))
    valid_status = {s.value for s in Attendance.Status}
    with transaction.atomic():
        existing = {a.deputy_id: a for a in Attendance.objects.select_for_update().filter(session=session, day=day)}
        count = 0
        for deputy_id, status, reason in entries:
            if deputy_id not in allowed:
                raise DomainError(_("A deputy in the list does not sit on this council on that day."))
            if status not in valid_status:
                raise DomainError(_("Unknown attendance status."))
            if status == Attendance.Status.ABSENT_EXCUSED and not (reason or "").strip():
                raise DomainError(
                    _("State the reason of each deputy absent with reason."),
                    field="reason",
                    extra={"deputy": deputy_id},
                )
            row = existing.get(deputy_id)
            if row is None:
                row = Attendance(council_id=session.council_id, session=session, day=day, deputy_id=deputy_id)
            elif row.status == status and row.reason == (reason or ""):
                continue
            row.status, row.reason = status, reason or ""
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                raise DomainError(_("Attendance changed meanwhile; reload the page."))
            count += 1
    return count
