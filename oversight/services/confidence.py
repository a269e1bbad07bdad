"""Confidence votes (lấy phiếu tín nhiệm) by the rule in force on the vote's date.

Resolution 96/2023/QH15: a vote is taken once a term, at the regular year-end session of the term's
third year, by province-level and (before 1/7/2025) district-level councils, never by commune
councils. Percentages count against the deputies sitting on the day (taken from the deputies'
records, never typed). More than half rating "low": the person may resign, and if they do not, the
standing committee puts a formal vote of confidence (bỏ phiếu tín nhiệm) to the council; two thirds
or more: the nominating body submits the dismissal. Resolution 85/2014/QH13, which it replaced, put a
formal vote at two thirds instead. Every threshold and the applicability are rule rows with their
citation (core.rules_defaults); fractions are compared exactly, so the boundaries are exact."""

from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Council, Term
from hdnd_portal.core.rules import RuleMissing, rule_for
from sessions.models import CouncilSession
from sessions.services.sessions import sitting_deputies

from ..models import ConfidenceSubject, ConfidenceVote
from .common import check_constraints, require_text, same_council

DEFAULT_RESIGN, TWO_THIRDS = Fraction(1, 2), Fraction(2, 3)
LEVEL_DEPTH = {Council.Level.PROVINCE: 1, Council.Level.DISTRICT: 2, Council.Level.COMMUNE: 3}


def _rule(code: str, council, on):
    try:
        return rule_for(code, council, on)
    except RuleMissing:
        return None


def _fraction(rule) -> Fraction | None:
    # The table stores 0.6667 for "two thirds": read it back as the simple fraction it stands for.
    return None if rule is None else Fraction(str(rule.value)).limit_denominator(100)


@dataclass(frozen=True)
class Thresholds:
    """The lines in force on a date. `dismissal` set: Resolution 96/2023 (more than `resign` and
    below `dismissal` → formal vote unless the person resigns; `dismissal` or more → dismissal).
    `dismissal` empty: Resolution 85/2014 (`formal` or more → formal vote)."""

    resign: Fraction
    formal: Fraction | None
    dismissal: Fraction | None


@dataclass(frozen=True)
class Outcome:
    may_resign: bool
    formal_vote: bool
    dismissal: bool


def thresholds(council, on) -> Thresholds:
    resign = _fraction(_rule("confidence.low_resign_fraction", council, on)) or DEFAULT_RESIGN
    dismissal = _fraction(_rule("confidence.low_dismissal_fraction", council, on))
    formal = None if dismissal is not None else _fraction(_rule("confidence.low_formal_vote_fraction", council, on))
    if dismissal is None and formal is None:
        dismissal = TWO_THIRDS  # no row in force: the current law
    return Thresholds(resign, formal, dismissal)


def confidence_outcome(*, low: int, total: int, limits: Thresholds, resigned: bool = False) -> Outcome:
    """What the law requires for a person rated `low` by `low` of `total` deputies."""
    if total <= 0:
        return Outcome(False, False, False)
    share = Fraction(low, total)
    may_resign = share > limits.resign
    if limits.dismissal is not None:
        dismissal = share >= limits.dismissal
        return Outcome(may_resign, may_resign and not dismissal and not resigned, dismissal and not resigned)
    return Outcome(may_resign, share >= limits.formal and not resigned, False)


def percent(count: int, total: int) -> float:
    return round(100 * count / total, 2) if total else 0.0


def _check_applicable(vote: ConfidenceVote) -> None:
    """The council's level, the term's year and once a term, by the rules in force on the day."""
    council, on = vote.council, vote.held_on
    depth = _rule("confidence.council_level_depth", council, on)
    if depth is not None and LEVEL_DEPTH.get(council.level, 3) > depth.int_value:
        raise DomainError(
            _("%(level)s councils do not take confidence votes (%(citation)s).")
            % {"level": council.get_level_display().lower(), "citation": depth.citation}
        )
    year_rule = _rule("confidence.term_year", council, on)
    term = Term.objects.filter(council_id=council.pk, start_year__lte=on.year, end_year__gte=on.year).first()
    if year_rule is None or term is None:
        return
    due_year = term.start_year + year_rule.int_value - 1
    if on.year != due_year:
        raise DomainError(
            _("The confidence vote of term %(term)s is taken at the year-end regular session of %(year)s, the "
              "term's year %(n)s (%(citation)s).")
            % {"term": term.numeral, "year": due_year, "n": year_rule.int_value, "citation": year_rule.citation},
            field="held_on",
        )
    others = ConfidenceVote.objects.filter(
        council_id=council.pk, held_on__year__gte=term.start_year, held_on__year__lte=term.end_year
    ).exclude(pk=vote.pk)
    if others.exists():
        raise DomainError(
            _("A confidence vote of term %(term)s is already recorded: it is taken once a term (%(citation)s).")
            % {"term": term.numeral, "citation": year_rule.citation},
            field="held_on",
        )
    if vote.council_session_id and vote.council_session.kind != CouncilSession.Kind.REGULAR:
        raise DomainError(
            _("The confidence vote is taken at a regular session, not at a %(kind)s session.")
            % {"kind": vote.council_session.get_kind_display().lower()},
            field="council_session",
        )


def confidence_vote_save(*, vote: ConfidenceVote) -> ConfidenceVote:
    """Save a vote: applicability checked, the total of deputies counted from the deputies sitting on
    the day, and every subject's outcome recomputed (a changed date may change the rule)."""
    require_text(vote.title, "title", _("Give the vote a title."))
    same_council(vote.council_session, vote.council_id, "council_session")
    if vote.held_on is None:
        raise DomainError(_("Enter the date of the vote."), field="held_on")
    _check_applicable(vote)
    vote.total_deputies = sitting_deputies(vote.council_id, vote.held_on).count()
    if not vote.total_deputies:
        raise DomainError(
            _("No deputy of this council was sitting on %(date)s: enter the deputies first, the total is counted "
              "from them.") % {"date": vote.held_on.strftime("%d/%m/%Y")},
            field="held_on",
        )
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
        limits = thresholds(vote.council, vote.held_on)
        for subject in vote.subjects.all():
            apply_outcome(subject, vote, limits)
            subject.save(
                update_fields=["may_resign", "requires_formal_vote", "requires_dismissal", "formal_result", "updated_at"]
            )
    return vote


def apply_outcome(subject: ConfidenceSubject, vote: ConfidenceVote, limits: Thresholds) -> None:
    outcome = confidence_outcome(low=subject.low, total=vote.total_deputies, limits=limits, resigned=subject.resigned)
    subject.may_resign = outcome.may_resign
    subject.requires_formal_vote = outcome.formal_vote
    subject.requires_dismissal = outcome.dismissal
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
    limits = thresholds(vote.council, vote.held_on)
    if subject.resigned and not confidence_outcome(low=subject.low, total=vote.total_deputies, limits=limits).may_resign:
        raise DomainError(
            _("Only a person rated low by more than half of the deputies resigns after the vote."), field="resigned"
        )
    apply_outcome(subject, vote, limits)
    subject.save()
    return subject
