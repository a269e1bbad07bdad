"""What the council office tracks once it has forwarded a letter (DOMAIN_RULES, "What a council
office does with a letter"): it does not accept (thụ lý) a complaint outside its competence; it
monitors and urges (theo dõi, đôn đốc) the competent agency's settlement against the periods the
law gives that agency, and it tells the complainant how long a second-round complaint stays open.

Every figure comes from a Rule row with its citation:
- complaint: the agency accepts within complaint.accept_days (Luật Khiếu nại 2011, Điều 27), then
  settles within complaint.round{1,2}[_remote][_complex]_days (Điều 28, 37);
- denunciation: initial processing and acceptance within denunciation.initial_wd (Luật Tố cáo
  2018, Điều 24), then settlement within denunciation.resolve_days (Điều 30), extended by
  denunciation.extension_days once for a complex case (denunciation.extensions_complex) and twice
  for an especially complex one (denunciation.max_extensions) — none for an ordinary case;
- recommendation / reflection: letter.recommendation_resolve_days (unconfirmed, per council);
- second-round complaint window: complaint.round2_window_days, or
  complaint.round2_window_remote_days in remote areas (Luật Khiếu nại 2011, Điều 33)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from hdnd_portal.core.models import Rule
from hdnd_portal.core.rules import add_rule_period, rule_for

from .. import deadlines as dl
from ..models import Letter
from ..models.choices import Kind


def extension_rule(letter: Letter, on: date) -> Rule | None:
    """The rule giving how many times a denunciation's settlement may be extended, by the letter's
    complexity: None for an ordinary case (no extension) or for other kinds of letter."""
    if letter.kind != Kind.DENUNCIATION:
        return None
    if letter.complexity == Letter.Complexity.COMPLEX:
        return rule_for("denunciation.extensions_complex", letter.council, on)
    if letter.complexity == Letter.Complexity.VERY_COMPLEX:
        return rule_for("denunciation.max_extensions", letter.council, on)
    return None


def extensions_allowed(letter: Letter, on: date) -> int:
    """0 for an ordinary denunciation, 1 for a complex one, 2 for an especially complex one
    (Luật Tố cáo 2018, Điều 30 — from the rule rows in force on `on`)."""
    rule = extension_rule(letter, on)
    return rule.int_value if rule is not None else 0


def settlement_due(
    letter: Letter,
    start: date,
    *,
    accepted: bool = False,
    rule_of: Callable[[str, date], Rule] | None = None,
    add: Callable[[Rule, date], date] = add_rule_period,
) -> tuple[date, Rule]:
    """The latest date the competent agency may settle a letter forwarded to it on `start` (or,
    with accepted=True, that it accepted on `start`), and the settlement rule applied.

    `rule_of(code, on)` and `add(rule, start)` default to the rules table (the letter's council)
    and the portal's working-day calendar; the demo passes its in-memory rules and calendar so
    that building ~100,000 letters costs no query per letter."""
    if rule_of is None:
        council = letter.council

        def rule_of(code: str, on: date) -> Rule:
            return rule_for(code, council, on)

    if letter.kind == Kind.COMPLAINT:
        code = dl.complaint_resolve_code(letter.round, letter.complexity != Letter.Complexity.NORMAL,
                                         letter.remote_area)
        if not accepted:
            start = add(rule_of("complaint.accept_days", start), start)
    elif letter.kind == Kind.DENUNCIATION:
        code = "denunciation.resolve_days"
        if not accepted:
            start = add(rule_of("denunciation.initial_wd", start), start)
    else:
        code = "letter.recommendation_resolve_days"
    rule = rule_of(code, start)
    return add(rule, start), rule


def monitor_title(letter: Letter, label: str) -> str:
    from django.utils.translation import gettext as _

    return _("%(record)s: %(what)s") % {"record": label, "what": dl.LABELS[dl.SETTLEMENT_MONITOR]}


def start_monitoring(letter: Letter, label: str):
    """After forwarding: the office's monitoring deadline on the agency's settlement. Not for an
    anonymous denunciation forwarded for inspection (no settlement period runs)."""
    from hdnd_portal.core.deadlines import deadline_set

    if letter.for_inspection:
        return None
    due, rule = settlement_due(letter, letter.decided_on)
    return deadline_set(
        subject=letter, council=letter.council, kind=dl.SETTLEMENT_MONITOR, title=monitor_title(letter, label),
        start_date=letter.decided_on, due_date=due, rule=rule,
    )


def second_round_window(letter: Letter) -> tuple[date, Rule] | None:
    """Until when the complainant may complain a second time: from the first-round decision (the
    agency's result on a first-round complaint), 30 days, 45 in remote areas."""
    if letter.kind != Kind.COMPLAINT or letter.round != 1 or not letter.result_date:
        return None
    code = "complaint.round2_window_remote_days" if letter.remote_area else "complaint.round2_window_days"
    rule = rule_for(code, letter.council, letter.result_date)
    return add_rule_period(rule, letter.result_date), rule
