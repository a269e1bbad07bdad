"""Confidence votes: the counts are checked against the ballots and the deputies; the flags come
from the rules confidence.low_resign_fraction (more than) and confidence.low_formal_vote_fraction
(at least), compared in exact integer arithmetic so that the boundaries are exact."""

from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.rules import RuleMissing, rule_value

from ..models import ConfidenceSubject, ConfidenceVote
from .common import check_constraints, require_text, same_council

DEFAULT_RESIGN, DEFAULT_FORMAL = Fraction(1, 2), Fraction(2, 3)


def _fraction(code: str, council, on, default: Fraction) -> Fraction:
    try:
        value = rule_value(code, council, on)
    except RuleMissing:
        return default
    # The table stores 0.6667 for "two thirds": read it back as the simple fraction it stands for.
    return Fraction(str(value)).limit_denominator(100)


def thresholds(council, on) -> tuple[Fraction, Fraction]:
    return (
        _fraction("confidence.low_resign_fraction", council, on, DEFAULT_RESIGN),
        _fraction("confidence.low_formal_vote_fraction", council, on, DEFAULT_FORMAL),
    )


def confidence_flags(*, low: int, total: int, resign: Fraction, formal: Fraction) -> tuple[bool, bool]:
    """(more than `resign` of the total rate low, `formal` or more of the total rate low)."""
    if total <= 0:
        return False, False
    share = Fraction(low, total)
    return share > resign, share >= formal


def percent(count: int, total: int) -> float:
    return round(100 * count / total, 2) if total else 0.0


def confidence_vote_save(*, vote: ConfidenceVote) -> ConfidenceVote:
    require_text(vote.title, "title", _("Give the vote a title."))
    same_council(vote.council_session, vote.council_id, "council_session")
    if not vote.total_deputies:
        raise DomainError(_("Enter the total number of deputies."), field="total_deputies")
    if vote.ballots_issued > vote.total_deputies:
        raise DomainError(
            _("%(issued)s ballots issued exceed the %(total)s deputies of the council.")
            % {"issued": vote.ballots_issued, "total": vote.total_deputies},
            field="ballots_issued",
        )
    if vote.ballots_returned > vote.ballots_issued:
        raise DomainError(
            _("%(returned)s ballots returned exceed the %(issued)s issued.")
            % {"returned": vote.ballots_returned, "issued": vote.ballots_issued},
            field="ballots_returned",
        )
    check_constraints(vote)
    with transaction.atomic():
        vote.save()
        if vote.subjects.filter(valid_ballots__gt=vote.ballots_returned).exists():
            raise DomainError(
                _("Some subjects have more valid ballots than the ballots returned."), field="ballots_returned"
            )
        resign, formal = thresholds(vote.council, vote.held_on)
        for subject in vote.subjects.all():
            _apply_flags(subject, vote, resign, formal)
            subject.save(update_fields=["may_resign", "requires_formal_vote", "formal_result", "updated_at"])
    return vote


def _apply_flags(subject: ConfidenceSubject, vote: ConfidenceVote, resign: Fraction, formal: Fraction) -> None:
    subject.may_resign, subject.requires_formal_vote = confidence_flags(
        low=subject.low, total=vote.total_deputies, resign=resign, formal=formal
    )
    if subject.requires_formal_vote and not subject.formal_result:
        subject.formal_result = ConfidenceSubject.FormalResult.PENDING
    if not subject.requires_formal_vote:
        subject.formal_result = ""


def confidence_subject_save(*, subject: ConfidenceSubject) -> ConfidenceSubject:
    """Save one person's result. Refuses counts exceeding the valid ballots, valid ballots
    exceeding the ballots returned, and people elected or appointed in the voting year."""
    vote = subject.vote
    subject.council_id = vote.council_id
    require_text(subject.full_name, "full_name", _("Enter the name."))
    require_text(subject.post, "post", _("Enter the post."))
    same_council(subject.deputy, vote.council_id, "deputy")
    if subject.valid_ballots > vote.ballots_returned:
        raise DomainError(
            _("%(valid)s valid ballots exceed the %(returned)s ballots returned.")
            % {"valid": subject.valid_ballots, "returned": vote.ballots_returned},
            field="valid_ballots",
        )
    counted = subject.high + subject.confidence + subject.low
    if counted > subject.valid_ballots:
        raise DomainError(
            _("The counts add up to %(counted)s, more than the %(valid)s valid ballots.")
            % {"counted": counted, "valid": subject.valid_ballots},
            field="low",
        )
    if subject.appointed_on and subject.appointed_on.year == vote.held_on.year:
        raise DomainError(_("People elected or appointed in the year of the vote are not rated."), field="appointed_on")
    resign, formal = thresholds(vote.council, vote.held_on)
    _apply_flags(subject, vote, resign, formal)
    subject.save()
    return subject
