"""Votes, resolutions and electronic polls.

A vote's base is the TOTAL number of deputies sitting on the day; the result comes from the
threshold rule (resolution.pass_fraction: more than the fraction; resolution.dismiss_fraction:
at least the fraction), never typed."""

import math
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Council, CouncilRole, Deputy, Field, PermissionGrant, Rule, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import rule_for
from hdnd_portal.core.writes import WriteDenied

from ..models import (
    AgendaItem,
    Choice,
    CouncilSession,
    Poll,
    PollBallot,
    PollCounter,
    PollEntitlement,
    PollParticipation,
    Resolution,
    ResolutionKind,
    SessionDocument,
    Threshold,
    Vote,
)
from .quorum import check_quorum, session_quorum
from .sessions import deputy_sitting, mandate_end, sitting_deputies

# Fractions are stored with four decimals (two thirds = 0.6667); "at least" compares with this slack.
_SLACK = Decimal("0.0005")


def required_yes(*, threshold: str, total: int, fraction: Decimal) -> int:
    """Smallest number of votes in favour that passes, out of `total` deputies."""
    if total <= 0:
        return 1
    if threshold == Threshold.DISMISSAL:
        # At least the fraction of the total.
        return max(1, math.ceil((fraction - _SLACK) * total))
    # Strictly more than the fraction of the total.
    return math.floor(fraction * total) + 1


def vote_outcome(*, council: Council, threshold: str, on: date, total: int, yes: int) -> tuple[int, bool, Rule]:
    code = "resolution.dismiss_fraction" if threshold == Threshold.DISMISSAL else "resolution.pass_fraction"
    rule = rule_for(code, council, on)
    needed = required_yes(threshold=threshold, total=total, fraction=rule.value)
    return needed, yes >= needed, rule


NOT_OPENED = (CouncilSession.Status.PLANNED, CouncilSession.Status.DOCUMENTS_SENT)


def check_decision_date(*, session: CouncilSession | None, on: date, field: str | None = None) -> None:
    """A vote, a poll or an adoption happens on a day that has come, while its session sits: never
    in the future, never before the session opened (nor on a session not opened yet), never after
    it closed. One rule for pages, API and polls."""
    today = timezone.localdate()
    if on > today:
        raise DomainError(
            _("%(date)s is in the future: enter the date on which it happened (today at the latest).")
            % {"date": on.strftime("%d/%m/%Y")},
            field=field,
        )
    if session is None:
        return
    if session.status in NOT_OPENED:
        raise DomainError(
            _("%(session)s has not opened yet: votes and resolutions come after it opens.") % {"session": session},
            field=field,
        )
    opened = session.actual_start or session.planned_start
    if on < opened:
        raise DomainError(
            _("%(date)s is before the session opened (%(opened)s).")
            % {"date": on.strftime("%d/%m/%Y"), "opened": opened.strftime("%d/%m/%Y")},
            field=field,
        )
    if session.status == CouncilSession.Status.CLOSED and session.actual_end and on > session.actual_end:
        raise DomainError(
            _("%(date)s is after the session closed (%(closed)s).")
            % {"date": on.strftime("%d/%m/%Y"), "closed": session.actual_end.strftime("%d/%m/%Y")},
            field=field,
        )


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    lowered = text.lower()
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def resolution_title_for(item: AgendaItem, documents: list[SessionDocument] | None = None) -> str:
    """The title a resolution adopted on `item` takes: the item's own resolution title if entered;
    otherwise from the draft resolution ("Dự thảo Nghị quyết về X" → "Nghị quyết về X"), else from
    the submission or the item's title ("Tờ trình về X" → "Nghị quyết về X")."""
    if item.resolution_title.strip():
        return item.resolution_title.strip()
    if documents is None:  # the item's documents, unless the caller has them already
        documents = list(item.documents.all()) if item.pk else []
    for kind in (SessionDocument.Kind.DRAFT_RESOLUTION, SessionDocument.Kind.SUBMISSION):
        titled = [d for d in documents if d.kind == kind and d.title.strip()]
        if titled:
            return suggest_resolution_title(titled[-1].title)
    return suggest_resolution_title(item.title)


def suggest_resolution_title(text: str) -> str:
    text = " ".join(text.split())
    text = _strip_prefix(text, ("dự thảo ",))
    if text.lower().startswith("nghị quyết"):
        return text[0].upper() + text[1:]
    subject = _strip_prefix(text, ("tờ trình về việc ", "tờ trình về ", "tờ trình v/v ", "tờ trình "))
    if subject is text:
        return text
    if subject.lower().startswith(("về ", "quy định", "ban hành", "thông qua", "phê duyệt", "bầu ", "miễn nhiệm")):
        return f"Nghị quyết {subject[0].lower()}{subject[1:]}"
    return f"Nghị quyết về {subject[0].lower()}{subject[1:]}" if subject else text


def vote_record(
    *,
    agenda_item: AgendaItem,
    voted_on: date,
    yes: int,
    no: int,
    not_voting: int,
    participants: int | None = None,
    method: str = Vote.Method.OPEN,
    threshold: str | None = None,
    electronic: bool = False,
    user: User | None = None,
    total: int | None = None,
    confirm_without_quorum: bool = False,
    quorum_reason: str = "",
    poll: Poll | None = None,
) -> Vote:
    """Record a vote on an agenda item. Refuses counts above the total number of deputies or that do
    not add up. A passing vote on an item that adopts a resolution adopts it. `total` is the base
    when it was fixed beforehand (an electronic poll's voters, frozen at opening); otherwise the
    deputies sitting on the day.

    When the attendance recorded for the day shows fewer than two thirds of the deputies present
    (rule session.quorum_fraction), the vote is refused unless `confirm_without_quorum` is given
    with a reason, which is kept with the vote. An electronic poll's result (`poll`) is recorded
    as it closes: its quorum was judged, and any override confirmed, when it opened (poll_open),
    so the vote takes the poll's figures and reason and does not ask again."""
    session = agenda_item.session
    council = session.council
    threshold = threshold or agenda_item.threshold
    if agenda_item.council_id != session.council_id:
        raise DomainError(_("The agenda item belongs to another council."), field="agenda_item")
    if method not in Vote.Method.values:
        raise DomainError(_("Choose an open vote or a secret ballot."), field="method")
    if threshold not in Threshold.values:
        raise DomainError(_("Unknown voting threshold."), field="threshold")
    if not isinstance(voted_on, date):
        raise DomainError(_("Enter the date of the vote."), field="voted_on")
    check_decision_date(session=session, on=voted_on, field="voted_on")
    counts = {"yes": yes, "no": no, "not_voting": not_voting, "participants": participants}
    for name, value in counts.items():
        if name == "participants" and value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 32767:
            raise DomainError(_("Counts must be whole numbers from 0 to 32767."), field=name)
    if total is None:
        total = sitting_deputies(council.pk, voted_on).count()
    cast = yes + no + not_voting
    if participants is None:
        participants = cast
    if participants > total:
        raise DomainError(
            _("%(n)s deputies taking part is more than the %(total)s deputies of the council on %(date)s.")
            % {"n": participants, "total": total, "date": voted_on.strftime("%d/%m/%Y")},
            field="participants",
        )
    if cast != participants:
        raise DomainError(
            _(
                "The counts do not add up: %(yes)s in favour + %(no)s against + %(nv)s not voting = %(sum)s, "
                "but %(n)s deputies took part."
            )
            % {"yes": yes, "no": no, "nv": not_voting, "sum": cast, "n": participants},
            field="participants",
        )
    needed, passed, rule = vote_outcome(council=council, threshold=threshold, on=voted_on, total=total, yes=yes)
    if poll is not None:
        present, required, override = poll.present_deputies, poll.quorum_required, poll.quorum_override_reason
    else:
        if electronic:
            quorum, override = session_quorum(session=session, day=voted_on), ""
        else:
            quorum, override = check_quorum(
                session=session, day=voted_on, confirm=confirm_without_quorum is True, reason=quorum_reason
            )
        present, required = (quorum.present, quorum.required) if quorum else (None, None)
    with transaction.atomic():
        vote = Vote.objects.create(
            council=council,
            session=session,
            agenda_item=agenda_item,
            method=method,
            threshold=threshold,
            voted_on=voted_on,
            total_deputies=total,
            participants=participants,
            yes=yes,
            no=no,
            not_voting=not_voting,
            required_yes=needed,
            passed=passed,
            rule=rule,
            is_electronic=electronic,
            present_deputies=present,
            quorum_required=required,
            quorum_override_reason=override,
        )
        if passed and agenda_item.proposes_resolution and not agenda_item.resolutions.exists():
            draft = agenda_item.documents.filter(kind=SessionDocument.Kind.DRAFT_RESOLUTION).order_by("-pk").first()
            resolution_adopt(
                council=council,
                title=resolution_title_for(agenda_item),
                kind=agenda_item.resolution_kind,
                adopted_on=voted_on,
                session=session,
                agenda_item=agenda_item,
                draft=draft,
                vote=vote,
                field=agenda_item.field,
            )
    return vote


def resolution_adopt(
    *,
    council: Council,
    title: str,
    kind: str,
    adopted_on: date,
    session: CouncilSession | None = None,
    agenda_item: AgendaItem | None = None,
    draft: SessionDocument | None = None,
    vote: Vote | None = None,
    field: Field | None = None,
    effective_on: date | None = None,
    responsible_agency: Agency | None = None,
    is_published: bool = False,
    signed_file=None,
    implementation_status: str | None = None,
    implementation_note: str = "",
    confirm_without_quorum: bool = False,
    quorum_reason: str = "",
) -> Resolution:
    """Adopt a resolution and give it the next number of its series for the adoption year:
    individual "12/NQ-HĐND", legal-normative "06/2021/NQ-HĐND" (own series). The counter row is
    locked, so two adoptions at the same moment get different numbers.

    Adopted at a session without a vote recorded in the portal, it passes the same quorum check
    as a vote (see vote_record); adopted by a vote, the vote has passed it already."""
    _resolution_relations(
        council_id=council.pk,
        session=session,
        agenda_item=agenda_item,
        draft=draft,
        responsible_agency=responsible_agency,
    )
    if agenda_item is not None:
        last_vote = agenda_item.votes.order_by("-voted_on", "-pk").first()
        if last_vote is not None and not last_vote.passed:
            raise DomainError(_("The last vote on this agenda item did not pass."), field="agenda_item")
    if not isinstance(adopted_on, date):
        raise DomainError(_("Enter the adoption date."), field="adopted_on")
    if session is None and agenda_item is not None:
        session = agenda_item.session
    check_decision_date(session=session, on=adopted_on, field="adopted_on")
    if not (title or "").strip():
        raise DomainError(_("Enter the resolution's title."), field="title")
    if effective_on and effective_on < adopted_on:
        raise DomainError(_("The effective date cannot be before the adoption date."), field="effective_on")
    if signed_file:
        _checked_upload(signed_file, field="signed_file")
    override = ""
    if vote is None:
        _quorum, override = check_quorum(
            session=session, day=adopted_on, confirm=confirm_without_quorum is True, reason=quorum_reason
        )
    normative = kind == ResolutionKind.NORMATIVE
    with transaction.atomic():
        seq, number = next_number(council=council, doc_type="NQ", on=adopted_on, normative=normative)
        resolution = Resolution(
            council=council,
            session=session,
            agenda_item=agenda_item,
            draft=draft,
            vote=vote,
            number=number,
            number_seq=seq,
            year=adopted_on.year,
            is_normative=normative,
            kind=kind,
            title=title,
            field=field,
            adopted_on=adopted_on,
            effective_on=effective_on,
            responsible_agency=responsible_agency,
            is_published=is_published,
            implementation_status=implementation_status or Resolution.Implementation.NOT_STARTED,
            implementation_note=implementation_note or "",
            quorum_override_reason=override,
        )
        if signed_file:
            resolution.signed_file = signed_file
        resolution.save()
    return resolution


def _checked_upload(file, field: str) -> None:
    from django.core.exceptions import ValidationError

    from hdnd_portal.core.forms_base import validate_upload

    try:
        validate_upload(file)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None


def _resolution_relations(*, council_id: int, session, agenda_item, draft, responsible_agency) -> None:
    """Every record a resolution points to belongs to its council (and its session)."""
    if session is not None and session.council_id != council_id:
        raise DomainError(_("The session belongs to another council."), field="session")
    if agenda_item is not None:
        if agenda_item.council_id != council_id:
            raise DomainError(_("The agenda item belongs to another council."), field="agenda_item")
        if session is not None and agenda_item.session_id != session.pk:
            raise DomainError(_("The agenda item belongs to another session."), field="agenda_item")
    if draft is not None:
        if draft.council_id != council_id:
            raise DomainError(_("The draft belongs to another council."), field="draft")
        if session is not None and draft.session_id != session.pk:
            raise DomainError(_("The draft belongs to another session."), field="draft")
    if responsible_agency is not None and responsible_agency.council_id != council_id:
        raise DomainError(_("The agency belongs to another council."), field="responsible_agency")


def resolution_update(*, resolution: Resolution, signed_file=None) -> Resolution:
    """Save an edit of an adopted resolution (number, year and series never change). The caller
    has run the write guard (permission, version) inside the same transaction."""
    resolution_check(resolution=resolution)
    stored = Resolution.objects.filter(pk=resolution.pk).values("adopted_on", "session_id").first()
    if stored is None or (stored["adopted_on"], stored["session_id"]) != (resolution.adopted_on, resolution.session_id):
        # A changed adoption date or session is checked like a new adoption.
        check_decision_date(session=resolution.session, on=resolution.adopted_on, field="adopted_on")
    _resolution_relations(
        council_id=resolution.council_id,
        session=resolution.session,
        agenda_item=resolution.agenda_item,
        draft=resolution.draft,
        responsible_agency=resolution.responsible_agency,
    )
    if signed_file:
        _checked_upload(signed_file, field="signed_file")
        resolution.signed_file = signed_file
    resolution.save()
    return resolution


def resolution_check(*, resolution: Resolution) -> None:
    """Checks for an edit of an adopted resolution (number, year and series never change)."""
    if resolution.effective_on and resolution.effective_on < resolution.adopted_on:
        raise DomainError(_("The effective date cannot be before the adoption date."), field="effective_on")
    if resolution.adopted_on.year != resolution.year:
        raise DomainError(
            _("The adoption year cannot change: the number belongs to %(year)s.") % {"year": resolution.year},
            field="adopted_on",
        )
    if (resolution.kind == ResolutionKind.NORMATIVE) != resolution.is_normative:
        raise DomainError(_("A resolution cannot move between the normative and the individual series."), field="kind")


# --- Electronic polls -------------------------------------------------------------------------


def poll_open(
    *,
    agenda_item: AgendaItem,
    user: User | None = None,
    method: str = Vote.Method.OPEN,
    threshold: str | None = None,
    confirm_without_quorum: bool = False,
    quorum_reason: str = "",
) -> Poll:
    """Open a poll on an item of a session in progress. The deputies sitting now are frozen as
    the poll's voters: only they may vote, and their number is the base of the result.

    The quorum is judged here, as for a vote typed in (check_quorum): when today's attendance
    shows fewer than two thirds of the deputies present, the poll opens only with
    `confirm_without_quorum` and a reason; the figures and the reason are kept on the poll and
    passed to the vote recorded when it closes. No attendance recorded today: not blocked."""
    if method not in Vote.Method.values:
        raise DomainError(_("Choose an open vote or a secret ballot."), field="method")
    if threshold is not None and threshold not in Threshold.values:
        raise DomainError(_("Unknown voting threshold."), field="threshold")
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=agenda_item.session_id)
        if session.status != CouncilSession.Status.IN_SESSION:
            raise DomainError(_("Polls can be opened only while the session is in progress."))
        check_decision_date(session=session, on=timezone.localdate())
        if Poll.objects.filter(agenda_item=agenda_item, state=Poll.State.OPEN).exists():
            raise DomainError(_("A poll on this item is already open."))
        quorum, override = check_quorum(
            session=session,
            day=timezone.localdate(),
            confirm=confirm_without_quorum is True,
            reason=quorum_reason,
            poll=True,
        )
        entitled = list(sitting_deputies(session.council_id, timezone.localdate()).values_list("pk", flat=True))
        poll = Poll.objects.create(
            council_id=session.council_id,
            session=session,
            agenda_item=agenda_item,
            method=method,
            threshold=threshold or agenda_item.threshold,
            opened_at=timezone.now(),
            opened_by=user,
            entitled_count=len(entitled),
            present_deputies=quorum.present if quorum else None,
            quorum_total=quorum.total if quorum else None,
            quorum_required=quorum.required if quorum else None,
            quorum_override_reason=override,
        )
        PollCounter.objects.create(poll=poll)
        PollEntitlement.objects.bulk_create([PollEntitlement(poll=poll, deputy_id=d) for d in entitled])
        return poll


class AlreadyVoted(DomainError):
    pass


class NotAVoter(WriteDenied):
    """The user holds no valid deputy seat in this poll (403 in the API and on the page)."""


class NotSitting(NotAVoter):
    """The user's deputy mandate has ended (or not begun): they keep their history, never a vote."""


def poll_voter(*, poll: Poll, user: User) -> Deputy:
    """The deputy `user` votes as in `poll`, or NotAVoter. The user's own deputy role must be on the
    poll's council and linked to a deputy of that council who is on the poll's frozen list, and
    the link must not have been made or changed by the user themself (a self-link is a way to
    vote in someone else's name)."""
    roles = list(
        CouncilRole.objects.filter(
            user=user, council_id=poll.council_id, role=CouncilRole.Role.DEPUTY, deputy__isnull=False
        ).select_related("deputy", "deputy__term")
    )
    for role in roles:
        deputy = role.deputy
        if deputy.council_id != poll.council_id:
            continue
        if role.history.filter(history_user_id=user.pk).exists():
            continue
        if PermissionGrant.objects.filter(
            council_id=poll.council_id, user=user, by=user, permission=f"role:{CouncilRole.Role.DEPUTY}"
        ).exists():
            continue
        if not deputy_sitting(deputy):
            end = mandate_end(deputy)
            if end is not None and end < timezone.localdate():
                message = _("Your mandate ended on %(date)s: you keep your history but can no longer vote.") % {
                    "date": end.strftime("%d/%m/%Y")
                }
            else:
                message = _("Your mandate has not begun: you cannot vote yet.")
            error = NotSitting(message)
            error.deputy = deputy  # their own seat, for showing their past vote on the page
            raise error
        if not PollEntitlement.objects.filter(poll=poll, deputy=deputy).exists():
            continue
        return deputy
    if roles:
        raise NotAVoter(_("You are not on the list of deputies entitled to vote in this poll."))
    raise NotAVoter(_("Only the deputies of this council vote."))


def poll_cast(*, poll: Poll, user: User, choice: str) -> Deputy:
    """One vote per deputy, cast by the deputy's own account (see poll_voter). Who voted is stored
    apart from the choice; a secret ballot stores no time and no choice per deputy, only anonymous
    counters. A second vote is refused and the first stands; a late vote is refused."""
    if not isinstance(choice, str) or choice not in Choice.values:
        raise DomainError(_("Choose in favour, against or not voting."), field="choice")
    with transaction.atomic():
        # The poll row lock orders casts against closing: no vote lands after the close.
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != Poll.State.OPEN:
            raise DomainError(_("The poll is closed; your vote was not counted."))
        deputy = poll_voter(poll=locked, user=user)
        check_decision_date(session=locked.session, on=timezone.localdate())
        secret = locked.method == Vote.Method.SECRET
        now = None if secret else timezone.now()
        try:
            with transaction.atomic():
                PollParticipation.objects.create(poll=locked, deputy=deputy, voted_at=now)
        except IntegrityError:
            raise AlreadyVoted(_("You have already voted in this poll; your first vote stands.")) from None
        if not secret:
            PollBallot.objects.create(poll=locked, deputy=deputy, choice=choice, cast_at=now)
        field = {Choice.YES: "yes", Choice.NO: "no", Choice.NOT_VOTING: "not_voting"}[choice]
        # Queryset update on a table without history or timestamps: nothing ties the choice to a moment.
        PollCounter.objects.filter(poll=locked).update(**{field: F(field) + 1})
    return deputy


def poll_counts(poll: Poll) -> dict:
    """voted, and yes/no/not_voting — the per-choice counts are None while a secret poll is open."""
    try:
        counter = poll.counter  # select_related("counter") in lists
    except PollCounter.DoesNotExist:
        counter = PollCounter(poll=poll)
    data = {"voted": counter.voted, "yes": counter.yes, "no": counter.no, "not_voting": counter.not_voting}
    if poll.counts_hidden:
        data.update(yes=None, no=None, not_voting=None)
    return data


def poll_tally(poll: Poll) -> dict:
    """The tally every door shows (page, JSON polling, API): while a secret poll is open, only the
    number who have voted; the per-choice counts once it is closed."""
    poll = Poll.objects.get(pk=poll.pk)
    total = poll.entitled_count
    if total is None:
        total = PollEntitlement.objects.filter(poll=poll).count()
    data = {
        "id": poll.pk,
        "state": poll.state,
        "method": poll.method,
        "item": poll.agenda_item_id,
        "total": total,
        **poll_counts(poll),
        "counts_hidden": poll.counts_hidden,
        "opened_at": poll.opened_at.isoformat() if poll.opened_at else None,
        "closed_at": poll.closed_at.isoformat() if poll.closed_at else None,
        "vote": None,
        "resolution": None,
    }
    if poll.vote_id:
        vote = poll.vote
        data["vote"] = {
            "id": vote.pk,
            "passed": vote.passed,
            "required_yes": vote.required_yes,
            "total": vote.total_deputies,
        }
        resolution = Resolution.objects.filter(vote=vote).only("pk", "number").first()
        if resolution:
            data["resolution"] = {"id": resolution.pk, "number": resolution.number}
    return data


def poll_close(*, poll: Poll, user: User | None = None) -> Vote:
    """Close the poll; the result, on the base of the deputies frozen at opening, becomes the
    item's vote."""
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != Poll.State.OPEN:
            raise DomainError(_("The poll is already closed."))
        counter, _created = PollCounter.objects.get_or_create(poll=locked)
        total = PollEntitlement.objects.filter(poll=locked).count()
        vote = vote_record(
            agenda_item=locked.agenda_item,
            voted_on=timezone.localdate(),
            yes=counter.yes,
            no=counter.no,
            not_voting=counter.not_voting,
            method=locked.method,
            threshold=locked.threshold,
            electronic=True,
            user=user,
            total=total,
            poll=locked,
        )
        Poll.objects.filter(pk=locked.pk).update(
            state=Poll.State.CLOSED,
            closed_at=timezone.now(),
            closed_by=user,
            entitled_count=total,
            vote=vote,
        )
    poll.refresh_from_db()
    return vote
