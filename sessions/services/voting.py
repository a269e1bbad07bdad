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
from hdnd_portal.core.models import Agency, Council, Deputy, Field, Rule, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import rule_for

from ..models import (
    AgendaItem,
    Choice,
    CouncilSession,
    Poll,
    PollBallot,
    PollEntitlement,
    PollParticipation,
    Resolution,
    ResolutionKind,
    SessionDocument,
    Threshold,
    Vote,
)
from .sessions import sitting_deputies

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
) -> Vote:
    """Record a vote on an agenda item. Refuses counts above the total number of deputies or that do
    not add up. A passing vote on an item that adopts a resolution adopts it."""
    session = agenda_item.session
    council = session.council
    threshold = threshold or agenda_item.threshold
    counts = {"yes": yes, "no": no, "not_voting": not_voting}
    for name, value in counts.items():
        if value is None or value < 0:
            raise DomainError(_("Counts cannot be negative."), field=name)
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
        )
        if passed and agenda_item.proposes_resolution and not agenda_item.resolutions.exists():
            draft = agenda_item.documents.filter(kind=SessionDocument.Kind.DRAFT_RESOLUTION).order_by("-pk").first()
            resolution_adopt(
                council=council,
                title=agenda_item.title,
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
) -> Resolution:
    """Adopt a resolution and give it the next number of its series for the adoption year:
    individual "12/NQ-HĐND", legal-normative "06/2021/NQ-HĐND" (own series). The counter row is
    locked, so two adoptions at the same moment get different numbers."""
    if session is not None and session.council_id != council.pk:
        raise DomainError(_("The session belongs to another council."), field="session")
    if agenda_item is not None and session is not None and agenda_item.session_id != session.pk:
        raise DomainError(_("The agenda item belongs to another session."), field="agenda_item")
    if agenda_item is not None:
        last_vote = agenda_item.votes.order_by("-voted_on", "-pk").first()
        if last_vote is not None and not last_vote.passed:
            raise DomainError(_("The last vote on this agenda item did not pass."), field="agenda_item")
    if responsible_agency is not None and responsible_agency.council_id != council.pk:
        raise DomainError(_("The agency belongs to another council."), field="responsible_agency")
    if effective_on and effective_on < adopted_on:
        raise DomainError(_("The effective date cannot be before the adoption date."), field="effective_on")
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
        )
        if signed_file:
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
    *, agenda_item: AgendaItem, user: User | None = None, method: str = Vote.Method.OPEN, threshold: str | None = None
) -> Poll:
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=agenda_item.session_id)
        if session.status != CouncilSession.Status.IN_SESSION:
            raise DomainError(_("Polls can be opened only while the session is in progress."))
        if Poll.objects.filter(agenda_item=agenda_item, state=Poll.State.OPEN).exists():
            raise DomainError(_("A poll on this item is already open."))
        return Poll.objects.create(
            council_id=session.council_id,
            session=session,
            agenda_item=agenda_item,
            method=method,
            threshold=threshold or agenda_item.threshold,
            opened_at=timezone.now(),
            opened_by=user,
        )


class AlreadyVoted(DomainError):
    pass


def poll_cast(*, poll: Poll, deputy: Deputy, choice: str) -> None:
    """One vote per deputy. Who voted is stored apart from the choice; a secret ballot keeps only
    anonymous counters. A second vote is refused and the first stands; a late vote is refused."""
    if choice not in Choice.values:
        raise DomainError(_("Choose in favour, against or not voting."), field="choice")
    now = timezone.now()
    with transaction.atomic():
        # The poll row lock orders casts against closing: no vote lands after the close.
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != Poll.State.OPEN:
            raise DomainError(_("The poll is closed; your vote was not counted."))
        if deputy.council_id != locked.council_id or not deputy.sits_on(timezone.localdate()):
            raise DomainError(_("You are not a sitting deputy of this council."))
        try:
            with transaction.atomic():
                PollParticipation.objects.create(poll=locked, deputy=deputy, voted_at=now)
        except IntegrityError:
            raise AlreadyVoted(_("You have already voted in this poll; your first vote stands."))
        if locked.method == Vote.Method.OPEN:
            PollBallot.objects.create(poll=locked, deputy=deputy, choice=choice, cast_at=now)
        counter = {Choice.YES: "yes_count", Choice.NO: "no_count", Choice.NOT_VOTING: "not_voting_count"}[choice]
        # Queryset update: no history row, no timestamp tied to the choice.
        Poll.objects.filter(pk=locked.pk).update(**{counter: F(counter) + 1})


def poll_tally(poll: Poll) -> dict:
    """The live tally (counts only; never who chose what for a secret ballot)."""
    poll = Poll.objects.get(pk=poll.pk)
    today = timezone.localdate()
    total = poll.entitled_count if poll.entitled_count is not None else sitting_deputies(poll.council_id, today).count()
    data = {
        "id": poll.pk,
        "state": poll.state,
        "method": poll.method,
        "item": poll.agenda_item_id,
        "total": total,
        "voted": poll.voted_count,
        "yes": poll.yes_count,
        "no": poll.no_count,
        "not_voting": poll.not_voting_count,
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
    """Close the poll: freeze the entitled deputies; the result becomes the item's vote."""
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != Poll.State.OPEN:
            raise DomainError(_("The poll is already closed."))
        today = timezone.localdate()
        entitled = list(sitting_deputies(locked.council_id, today).values_list("pk", flat=True))
        PollEntitlement.objects.bulk_create([PollEntitlement(poll=locked, deputy_id=d) for d in entitled])
        vote = vote_record(
            agenda_item=locked.agenda_item,
            voted_on=today,
            yes=locked.yes_count,
            no=locked.no_count,
            not_voting=locked.not_voting_count,
            method=locked.method,
            threshold=locked.threshold,
            electronic=True,
            user=user,
        )
        Poll.objects.filter(pk=locked.pk).update(
            state=Poll.State.CLOSED,
            closed_at=timezone.now(),
            closed_by=user,
            entitled_count=len(entitled),
            vote=vote,
        )
    poll.refresh_from_db()
    return vote
