"""Letters: registration with eligibility checks and duplicate linking, splitting a mixed
letter, the handling decision (forward / guide / file / return), acceptance, extensions, the
competent agency's result and the notice to the citizen — each registering its legal deadlines."""

from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef, Q
from django.utils.translation import gettext as _

from hdnd_portal.core.deadlines import deadline_complete, deadline_extend
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Council, Deadline, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import add_rule_period, rule_for
from hdnd_portal.core.search import fold
from hdnd_portal.core.services import check_not_future

from .. import deadlines as dl
from ..models import Case, Letter, LetterScan, LetterSender, Visit
from ..models.choices import Kind
from .protection import check_identity_write, protect_derived
from .settlement import extension_rule, extensions_allowed, settlement_due, start_monitoring

SIMILARITY = 0.6  # share of common words above which two letters have "the same content"
DUPLICATE_LOOKBACK_DAYS = 3 * 365
REGISTER_ISSUER = "SODON"  # its own counter, even where a council shares one series for documents


# --- Helpers --------------------------------------------------------------------------------


def shingles(text: str) -> set[str]:
    """Pairs of consecutive folded words: shared phrasing, not just shared common words."""
    tokens = fold(text).split()
    if len(tokens) < 2:
        return set(tokens)
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


def similarity(a: str, b: str) -> float:
    """How much of the shorter text's phrasing the other repeats (accent-insensitive), 0…1."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _letter_text(letter: Letter) -> str:
    return f"{letter.subject} {letter.content}"


def _issue(code: str, message: str, citation: str = "") -> dict:
    return {"code": code, "message": message, "citation": citation}


def check_eligibility(letter: Letter) -> list[dict]:
    """The reasons a letter cannot be processed as such (empty list = eligible)."""
    issues = []
    if letter.kind == Kind.COMPLAINT:
        if not letter.is_signed or letter.is_anonymous:
            issues.append(
                _issue("unsigned", _("An unsigned complaint is not accepted."), "Luật Khiếu nại 2011, Điều 8")
            )
        if letter.decision_known_on:
            rule = rule_for("complaint.limitation_days", letter.council, letter.decision_known_on)
            expires = add_rule_period(rule, letter.decision_known_on)
            if letter.received_on > expires:
                issues.append(
                    _issue(
                        "time_barred",
                        _("Complaint received after the limitation period of %(value)s ended on %(date)s.")
                        % {"value": rule.display_value, "date": expires.strftime("%d/%m/%Y")},
                        f"{rule.name} — {rule.citation}",
                    )
                )
        if not letter.has_address:
            issues.append(
                _issue("no_address", _("The complainant's address is missing."), "Luật Khiếu nại 2011, Điều 8")
            )
    if letter.kind == Kind.DENUNCIATION:
        if letter.is_anonymous or not letter.is_signed:
            issues.append(
                _issue(
                    "anonymous",
                    _(
                        "An anonymous denunciation is not processed as a denunciation; "
                        "clear evidence of a violation leads to an inspection."
                    ),
                    "Luật Tố cáo 2018, Điều 25",
                )
            )
        elif not letter.has_address:
            issues.append(_issue("no_address", _("The denouncer's address is missing."), "Luật Tố cáo 2018, Điều 23"))
    if letter.letter_date is None and not letter.is_anonymous:
        issues.append(_issue("undated", _("The letter is not dated."), ""))
    return issues


def _blocking(issues: list[dict]) -> bool:
    # An undated letter can still be processed; the other issues stop it.
    return any(i["code"] != "undated" for i in issues)


def _apply_checks(letter: Letter) -> None:
    rule = rule_for("letter.multi_signer_min", letter.council, letter.received_on)
    letter.is_multi_signer = letter.signer_count >= rule.int_value
    letter.eligibility_issues = check_eligibility(letter)
    letter.is_eligible = not _blocking(letter.eligibility_issues)


def _clean_senders(senders: list[dict]) -> list[dict]:
    return [s for s in senders if (s.get("full_name") or "").strip()]


def _save_senders(letter: Letter, senders: list[dict]) -> None:
    letter.senders.all().delete()
    for s in senders:
        LetterSender(
            letter=letter,
            full_name=s["full_name"].strip(),
            address=s.get("address", ""),
            id_number=s.get("id_number", ""),
            phone=s.get("phone", ""),
            email=s.get("email", ""),
            is_representative=bool(s.get("is_representative")),
        ).save()


def _check_related(letter: Letter) -> None:
    for name in ("forwarded_by_deputy", "forwarded_by_agency", "respondent_agency", "case", "visit", "forwarded_to"):
        value = getattr(letter, name)
        if value is not None and getattr(value, "council_id", letter.council_id) != letter.council_id:
            raise DomainError(_("This record belongs to another council."), field=name)
    if letter.channel == Letter.Channel.DEPUTY and letter.forwarded_by_deputy is None:
        raise DomainError(_("Choose the deputy who forwarded the letter."), field="forwarded_by_deputy")
    if letter.channel == Letter.Channel.AGENCY and letter.forwarded_by_agency is None:
        raise DomainError(_("Choose the agency that forwarded the letter."), field="forwarded_by_agency")


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _check_dates(*, received_on, letter_date, decision_known_on) -> None:
    """The dates a letter is registered with: none after today (a letter dated in the future
    would also take a number of next year's register), and the letter written before it was
    received."""
    if not isinstance(received_on, date):
        raise DomainError(_("Give the date the letter was received."), field="received_on")
    check_not_future(received_on, field="received_on", label=_("The receipt date"))
    check_not_future(letter_date, field="letter_date", label=_("The date written on the letter"))
    check_not_future(decision_known_on, field="decision_known_on",
                     label=_("The date the complainant learnt of the decision"))
    if letter_date and letter_date > received_on:
        raise DomainError(
            _("The date written on the letter cannot be after the date it was received (%(date)s).")
            % {"date": _d(received_on)},
            field="letter_date",
        )


def _register_number(council: Council, on: date) -> tuple[int, str]:
    seq, _n = next_number(council=council, doc_type="DON", on=on, issuer=REGISTER_ISSUER)
    return seq, f"{seq:02d}/{on.year}"


def _label(letter: Letter) -> str:
    return f"{_('Letter')} {letter.register_number} ({letter.get_kind_display()})"


def _register_initial_deadlines(letter: Letter) -> None:
    """The office's own deadlines at registration. It receives, classifies, forwards or guides; it
    does not accept (thụ lý) a complaint outside its competence, so no acceptance deadline runs
    here — the competent agency's starts when the office forwards the letter
    (_deadlines_after_decision), and the office monitors it."""
    if letter.kind != Kind.DENUNCIATION:
        # The office's own period to classify the letter and forward it, guide the sender or file
        # it (a denunciation has its stricter ones below, Luật Tố cáo 2018, Điều 24).
        dl.register_if_ruled(
            subject=letter, kind=dl.OFFICE_HANDLE, code="letter.office_handle_wd", start=letter.received_on,
            label_for=_label(letter),
        )
    if letter.kind == Kind.DENUNCIATION:
        dl.register(
            subject=letter,
            kind=dl.DENUNCIATION_INITIAL,
            code="denunciation.initial_wd",
            start=letter.received_on,
            label_for=_label(letter),
        )
        if letter.is_eligible:
            # Outside competence it must be forwarded within 5 working days of receipt (Điều 24).
            dl.register(
                subject=letter,
                kind=dl.DENUNCIATION_FORWARD,
                code="denunciation.forward_wd",
                start=letter.received_on,
                label_for=_label(letter),
            )


# --- Registration ---------------------------------------------------------------------------


@transaction.atomic
def letter_register(
    *,
    council: Council,
    received_on: date,
    channel: str,
    kind: str,
    subject: str,
    senders: list[dict] | None = None,
    content: str = "",
    signer_count: int | None = None,
    is_anonymous: bool = False,
    is_signed: bool = True,
    has_address: bool = True,
    letter_date: date | None = None,
    decision_known_on: date | None = None,
    field=None,
    respondent_agency: Agency | None = None,
    respondent_person: str = "",
    forwarded_by_deputy=None,
    forwarded_by_agency=None,
    case: Case | None = None,
    visit: Visit | None = None,
    has_clear_evidence: bool = False,
    split_from: Letter | None = None,
    protected: bool = False,
    user: User | None = None,
) -> Letter:
    """Register a letter: number, eligibility, deadlines by kind, and duplicate linking.

    A letter without a kind is refused; an ineligible letter is kept with its reasons (and the
    rule cited) and gets no resolution deadline. The senders' identity is protected when the
    letter is a denunciation, when `protected` (the office decides), or when it derives from a
    protected visit or letter — a copy never carries an identity into an unprotected record."""
    if not isinstance(kind, str) or kind not in Kind.values:
        raise DomainError(
            _("Choose the kind of letter (complaint, denunciation, recommendation or reflection)."), field="kind"
        )
    if not isinstance(subject, str) or not subject.strip():
        raise DomainError(_("Summarise the content of the letter."), field="subject")
    if not isinstance(content, str):
        raise DomainError(_("The content must be text."), field="content")
    for name, value, limit in (("subject", subject, 300), ("content", content, 10000)):
        if len(value) > limit:
            raise DomainError(
                _("This text is at most %(n)s characters.") % {"n": f"{limit:,}"}, field=name
            )
    for owner in (visit, split_from, case):
        if owner is not None and owner.council_id != council.id:
            raise DomainError(_("This record belongs to another council."))
    senders = [] if is_anonymous else _clean_senders(senders or [])
    if not senders and not is_anonymous:
        raise DomainError(_("Enter the sender, or tick “anonymous”."), field="senders")
    # Checked before a number is taken: the register number comes from the receipt date's year.
    _check_dates(received_on=received_on, letter_date=letter_date, decision_known_on=decision_known_on)
    seq, number = _register_number(council, received_on)
    letter = Letter(
        council=council,
        register_year=received_on.year,
        register_seq=seq,
        register_number=number,
        received_on=received_on,
        channel=channel,
        kind=kind,
        subject=subject.strip(),
        content=content,
        signer_count=0 if is_anonymous else max(signer_count or 0, len(senders)),
        is_anonymous=is_anonymous,
        is_signed=is_signed and not is_anonymous,
        has_address=has_address and not is_anonymous,
        letter_date=letter_date,
        decision_known_on=decision_known_on,
        field=field,
        respondent_agency=respondent_agency,
        respondent_person=respondent_person,
        forwarded_by_deputy=forwarded_by_deputy,
        forwarded_by_agency=forwarded_by_agency,
        case=case,
        visit=visit,
        has_clear_evidence=has_clear_evidence,
        split_from=split_from,
        identity_protected=bool(
            protected
            or kind == Kind.DENUNCIATION
            or (visit is not None and visit.is_protected)
            or (split_from is not None and split_from.is_protected)
        ),
    )
    if visit is not None and case is None:
        letter.case = visit.case
    _check_related(letter)
    _apply_checks(letter)
    letter.save()
    _save_senders(letter, senders)
    letter.save()  # search_text with the senders (never for a denunciation)
    original = _find_original(letter)
    if original is not None:
        _mark_duplicate(letter, original)
    else:
        _register_initial_deadlines(letter)
    return letter


@transaction.atomic
def letter_update(*, letter: Letter, senders: list[dict] | None = None, user: User | None = None) -> Letter:
    """Save edits of a registered letter (fields set on the instance, version already checked by
    the caller's guard) and re-run the checks.

    Protection is never lifted here: a letter that was protected stays protected whatever its new
    kind, and one that becomes a denunciation becomes protected (with the records derived from
    it). Only a holder of the identity permission may rewrite a protected letter's senders."""
    if not isinstance(letter.kind, str) or letter.kind not in Kind.values:
        raise DomainError(
            _("Choose the kind of letter (complaint, denunciation, recommendation or reflection)."), field="kind"
        )
    before = (
        Letter.objects.filter(pk=letter.pk)
        .values("kind", "is_eligible", "identity_protected", "register_year", "register_number")
        .get()
    )
    _check_dates(received_on=letter.received_on, letter_date=letter.letter_date,
                 decision_known_on=letter.decision_known_on)
    if letter.received_on.year != before["register_year"]:
        _renumber(letter, before)
    if senders is not None:
        check_identity_write(user=user, record=Letter(council_id=letter.council_id,
                                                      identity_protected=before["identity_protected"]),
                             field="senders")
    newly_protected = not before["identity_protected"] and letter.kind == Kind.DENUNCIATION and (
        before["kind"] != Kind.DENUNCIATION or not letter.protection_lifted_at
    )
    letter.identity_protected = before["identity_protected"] or newly_protected
    if letter.is_anonymous:
        senders, letter.signer_count, letter.is_signed, letter.has_address = [], 0, False, False
    if senders is not None:
        senders = _clean_senders(senders)
        if not senders and not letter.is_anonymous:
            raise DomainError(_("Enter the sender, or tick “anonymous”."), field="senders")
        letter.signer_count = max(letter.signer_count, len(senders))
        _save_senders(letter, senders)
    _check_related(letter)
    was_eligible = before["is_eligible"]
    _apply_checks(letter)
    letter.save()
    if newly_protected:
        protect_derived(letter)
    if letter.status == Letter.Status.RECEIVED and was_eligible != letter.is_eligible:
        if letter.is_eligible:
            _register_initial_deadlines(letter)
        else:
            dl.complete(letter, dl.DENUNCIATION_FORWARD, cancelled=True)
    return letter


def _renumber(letter: Letter, before: dict) -> None:
    """The receipt date moved to another year (a typing mistake corrected): the register number
    belongs to the year it was received, so the letter takes the next number of that year's
    register; the old number stays unused (numbers are never reused). Once a decision is made
    the number is on the forwarding document, and the date can no longer change year."""
    if letter.decision or letter.status != Letter.Status.RECEIVED:
        raise DomainError(
            _("Letter %(number)s is numbered in the register of %(year)s and was already handled; its receipt "
              "date cannot move to another year.") % {"number": before["register_number"], "year": before["register_year"]},
            field="received_on",
        )
    letter.register_seq, letter.register_number = _register_number(letter.council, letter.received_on)
    letter.register_year = letter.received_on.year


# --- Duplicates -----------------------------------------------------------------------------


def _sender_names(letter: Letter) -> set[str]:
    # .all(): the senders prefetched with the letter (its page does), else one query.
    return {sender.name_folded for sender in letter.senders.all()}


def letter_find_duplicates(letter: Letter, limit: int = 10) -> list[Letter]:
    """Earlier letters from the same senders with similar content (accent-insensitive)."""
    names = _sender_names(letter)
    if not names:
        return []
    since = date.fromordinal(letter.received_on.toordinal() - DUPLICATE_LOOKBACK_DAYS)
    rows = (
        LetterSender.objects.filter(
            name_folded__in=names, letter__council=letter.council, letter__received_on__gte=since
        )
        .exclude(letter=letter)
        .exclude(letter__status=Letter.Status.SPLIT)
        .values_list("letter_id", flat=True)
        .order_by("-letter_id")  # the newest 200 letters (ordered by the selected column: a true DISTINCT)
        .distinct()[:200]
    )
    # The candidates with every one of their senders, in one query (the candidates as a subquery).
    candidates = (
        Letter.objects.filter(pk__in=rows)
        .annotate(sender_names=ArraySubquery(LetterSender.objects.filter(letter_id=OuterRef("pk")).values("name_folded")))
        .order_by("received_on", "pk")
    )
    text = _letter_text(letter)
    found = []
    for other in candidates:
        theirs = set(other.sender_names)
        same_people = names <= theirs or theirs <= names
        if same_people and other.kind == letter.kind and similarity(text, _letter_text(other)) >= SIMILARITY:
            found.append(other)
    return found[:limit]


def _find_original(letter: Letter) -> Letter | None:
    for other in letter_find_duplicates(letter):
        return other.duplicate_of or other
    return None


def _mark_duplicate(letter: Letter, original: Letter) -> None:
    letter.duplicate_of = original
    # A duplicate names the same people as its original: protection of either covers both.
    letter.identity_protected = letter.identity_protected or original.identity_protected
    letter.status = Letter.Status.DUPLICATE
    letter.case = letter.case or original.case
    letter.save()
    if letter.identity_protected:
        protect_derived(letter)  # the original (and what derives from it) names the same people
    deadline_complete(subject=letter, cancelled=True)


@transaction.atomic
def letter_link_duplicate(*, letter: Letter, original: Letter) -> Letter:
    """Link a letter to the one it repeats: it is not processed a second time."""
    if original.pk == letter.pk or original.council_id != letter.council_id:
        raise DomainError(_("Choose another letter of this council."), field="original")
    if letter.decision:
        raise DomainError(_("A letter that was already handled cannot be linked as a duplicate."))
    _mark_duplicate(letter, original.duplicate_of or original)
    return letter


def same_content_forwarded(letter: Letter) -> Letter | None:
    """An earlier denunciation of this council with the same content that was already forwarded."""
    qs = Letter.objects.filter(council=letter.council, kind=Kind.DENUNCIATION, decision=Letter.Decision.FORWARD)
    qs = qs.exclude(pk=letter.pk)
    if letter.respondent_agency_id:
        qs = qs.filter(respondent_agency_id=letter.respondent_agency_id)
    elif letter.field_id:
        qs = qs.filter(Q(field_id=letter.field_id) | Q(field__isnull=True))
    text = _letter_text(letter)
    for other in qs.order_by("decided_on", "pk")[:500]:
        if similarity(text, _letter_text(other)) >= SIMILARITY:
            return other
    return None


# --- Splitting a mixed letter -----------------------------------------------------------------


@transaction.atomic
def letter_split(*, letter: Letter, parts: list[dict], user: User | None = None) -> list[Letter]:
    """Split a letter that mixes a complaint with a denunciation or recommendation into one
    letter per kind (each with its own register number, senders and deadlines)."""
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise DomainError(_("Give the parts as a list of kind, subject and content."), field="parts")
    for part in parts:
        kind, subject, content = part.get("kind"), part.get("subject"), part.get("content", "")
        if kind in (None, "") and subject in (None, ""):
            continue
        if not isinstance(kind, str) or kind not in Kind.values:
            raise DomainError(
                _("Choose the kind of letter (complaint, denunciation, recommendation or reflection)."), field="parts"
            )
        if not isinstance(subject, str) or not isinstance(content, str):
            raise DomainError(_("A part's subject and content are text."), field="parts")
        if len(subject) > 300 or len(content) > 10000:
            raise DomainError(_("A part's subject is at most 300 characters and its content 10,000."), field="parts")
    parts = [p for p in parts if p.get("kind") and (p.get("subject") or "").strip()]
    if len(parts) < 2:
        raise DomainError(_("A mixed letter is split into at least two letters."), field="parts")
    if len({p["kind"] for p in parts}) != len(parts):
        raise DomainError(_("Each part must be of a different kind."), field="parts")
    if letter.decision or letter.status != Letter.Status.RECEIVED:
        raise DomainError(_("Only a letter awaiting a decision can be split."))
    senders = list(letter.senders.values("full_name", "address", "id_number", "phone", "email", "is_representative"))
    created = []
    for part in parts:
        created.append(
            letter_register(
                council=letter.council,
                received_on=letter.received_on,
                channel=letter.channel,
                kind=part["kind"],
                subject=part["subject"],
                content=part.get("content", ""),
                senders=senders,
                signer_count=letter.signer_count,
                is_anonymous=letter.is_anonymous,
                is_signed=letter.is_signed,
                has_address=letter.has_address,
                letter_date=letter.letter_date,
                decision_known_on=letter.decision_known_on,
                field=letter.field,
                respondent_agency=letter.respondent_agency,
                respondent_person=letter.respondent_person,
                forwarded_by_deputy=letter.forwarded_by_deputy,
                forwarded_by_agency=letter.forwarded_by_agency,
                case=letter.case,
                visit=letter.visit,
                has_clear_evidence=letter.has_clear_evidence,
                split_from=letter,
                protected=letter.is_protected,
                user=user,
            )
        )
    letter.status = Letter.Status.SPLIT
    letter.save()
    deadline_complete(subject=letter, cancelled=True)
    return created


# --- Handling decision ----------------------------------------------------------------------


def _ensure_open(letter: Letter) -> None:
    if letter.status in (Letter.Status.DUPLICATE, Letter.Status.SPLIT):
        raise DomainError(_("This letter is not processed on its own (duplicate or split)."))


@transaction.atomic
def letter_decide(
    *,
    letter: Letter,
    decision: str,
    decided_on: date,
    forwarded_to: Agency | None = None,
    note: str = "",
    complexity: str | None = None,
    remote_area: bool | None = None,
    user: User | None = None,
) -> Letter:
    """The handling decision of the office (forward, guide, file, return) — it closes the office's
    handling deadline. Forwarding numbers a forwarding document, starts the agency's deadlines and
    the office's monitoring of the settlement (from the letter's complexity and area, which the
    office may record here); a denunciation with the same content is forwarded only once."""
    _ensure_open(letter)
    _set_complexity(letter, complexity, remote_area)
    if letter.decision:
        raise DomainError(
            _("A handling decision was already made on %(date)s.") % {"date": letter.decided_on.strftime("%d/%m/%Y")}
        )
    if decision not in Letter.Decision.values:
        raise DomainError(_("Choose a handling decision."), field="decision")
    if decided_on < letter.received_on:
        raise DomainError(_("The decision cannot be before the letter was received."), field="decided_on")
    check_not_future(decided_on, field="decided_on", label=_("The decision date"))
    is_anonymous_denunciation = letter.kind == Kind.DENUNCIATION and (letter.is_anonymous or not letter.is_signed)
    if decision == Letter.Decision.FORWARD:
        if forwarded_to is None:
            raise DomainError(_("Choose the competent agency."), field="forwarded_to")
        if forwarded_to.council_id != letter.council_id:
            raise DomainError(_("This record belongs to another council."), field="forwarded_to")
        if is_anonymous_denunciation:
            if not letter.has_clear_evidence:
                raise DomainError(
                    _(
                        "An anonymous denunciation without clear evidence is filed, not forwarded "
                        "(Luật Tố cáo 2018, Điều 25)."
                    ),
                    field="decision",
                )
        elif not letter.is_eligible:
            reasons = "; ".join(
                f"{i['message']} ({i['citation']})" if i["citation"] else i["message"]
                for i in letter.eligibility_issues
            )
            raise DomainError(
                _("The letter is not eligible and cannot be forwarded: %(reasons)s") % {"reasons": reasons},
                field="decision",
            )
        if letter.kind == Kind.DENUNCIATION:
            earlier = same_content_forwarded(letter)
            if earlier is not None:
                raise DomainError(
                    _(
                        "A denunciation with the same content was already forwarded (letter %(number)s, %(doc)s); "
                        "it is forwarded only once — link this letter to it instead."
                    )
                    % {"number": earlier.register_number, "doc": earlier.forward_doc_number},
                    field="decision",
                )
        _seq, doc_number = next_number(council=letter.council, doc_type="PC", on=decided_on)
        letter.forward_doc_number = doc_number
        letter.forwarded_to = forwarded_to
        letter.for_inspection = is_anonymous_denunciation
    letter.decision, letter.decided_on, letter.decision_note = decision, decided_on, note
    letter.status = Letter.Status.HANDLED
    letter.save()
    _deadlines_after_decision(letter)
    return letter


def _set_complexity(letter: Letter, complexity: str | None, remote_area: bool | None) -> None:
    if complexity is not None:
        if complexity not in Letter.Complexity.values:
            raise DomainError(_("Choose the complexity of the case."), field="complexity")
        letter.complexity = complexity
    if remote_area is not None:
        letter.remote_area = bool(remote_area)


def _deadlines_after_decision(letter: Letter) -> None:
    label = _label(letter)
    dl.complete(letter, dl.DENUNCIATION_INITIAL, dl.OFFICE_HANDLE)
    if letter.decision != Letter.Decision.FORWARD:
        dl.complete(letter, dl.DENUNCIATION_FORWARD, cancelled=True)
        return
    agency = letter.forwarded_to
    start_monitoring(letter, label)
    if letter.kind == Kind.DENUNCIATION:
        dl.complete(letter, dl.DENUNCIATION_FORWARD)
        if not letter.for_inspection:
            dl.register(
                subject=letter,
                kind=dl.AGENCY_REPORT,
                code="letter.denunciation_forward_report_days",
                start=letter.decided_on,
                agency=agency,
                label_for=label,
            )
    elif letter.kind == Kind.COMPLAINT:
        # The competent agency accepts within complaint.accept_days of receiving it.
        accept = dl.register(
            subject=letter,
            kind=dl.COMPLAINT_ACCEPT,
            code="complaint.accept_days",
            start=letter.decided_on,
            agency=agency,
            label_for=label,
        )
        if accept.closed_reason:
            # The row of an acceptance deadline once started at registration (closed by migration
            # citizens 0009): reopened as the agency's, it keeps nothing of that one.
            accept.closed_reason, accept.closed_by, accept.original_due_date = "", None, accept.due_date
            accept.save(update_fields=["closed_reason", "closed_by", "original_due_date"])
    else:
        dl.register(
            subject=letter,
            kind=dl.RECOMMENDATION_RESOLVE,
            code="letter.recommendation_resolve_days",
            start=letter.decided_on,
            agency=agency,
            label_for=label,
        )


@transaction.atomic
def letter_accept(
    *,
    letter: Letter,
    accepted_on: date,
    complexity: str | None = None,
    remote_area: bool | None = None,
    round_: int | None = None,
) -> Letter:
    """Acceptance (thụ lý) of a complaint or denunciation by the competent authority — as a rule
    the agency the office forwarded it to, which reports it; the office itself does not accept a
    complaint outside its competence. Starts the resolution deadline of its kind and moves the
    office's monitoring deadline to it. Complexity, area and round left out (None) keep the
    letter's."""
    _ensure_open(letter)
    if letter.kind not in (Kind.COMPLAINT, Kind.DENUNCIATION):
        raise DomainError(_("Only complaints and denunciations are accepted for resolution."))
    if not letter.is_eligible:
        raise DomainError(_("The letter is not eligible and cannot be accepted."))
    if accepted_on < letter.received_on:
        raise DomainError(_("Acceptance cannot be before the letter was received."), field="accepted_on")
    check_not_future(accepted_on, field="accepted_on", label=_("The acceptance date"))
    if letter.accepted_on:
        raise DomainError(
            _("The letter was already accepted on %(date)s.") % {"date": letter.accepted_on.strftime("%d/%m/%Y")}
        )
    _set_complexity(letter, complexity, remote_area)
    if round_ is not None:
        if round_ not in (1, 2):
            raise DomainError(_("Choose the complaint round."), field="round")
        letter.round = round_
    letter.accepted_on = accepted_on
    letter.status = Letter.Status.ACCEPTED
    letter.save()
    label, agency = _label(letter), letter.forwarded_to
    if letter.kind == Kind.COMPLAINT:
        dl.complete(letter, dl.COMPLAINT_ACCEPT)
        code = dl.complaint_resolve_code(letter.round, letter.complexity != Letter.Complexity.NORMAL,
                                         letter.remote_area)
        dl.register(
            subject=letter, kind=dl.COMPLAINT_RESOLVE, code=code, start=accepted_on, agency=agency, label_for=label
        )
    else:
        dl.complete(letter, dl.DENUNCIATION_INITIAL, dl.DENUNCIATION_FORWARD, dl.OFFICE_HANDLE)
        dl.register(
            subject=letter,
            kind=dl.DENUNCIATION_RESOLVE,
            code="denunciation.resolve_days",
            start=accepted_on,
            agency=agency,
            label_for=label,
        )
    _follow_acceptance(letter)
    return letter


def _follow_acceptance(letter: Letter) -> None:
    """The agency accepted: the office's monitoring deadline now runs to the settlement date
    counted from the acceptance (plus the extensions already recorded on it)."""
    monitor = _open_deadline_or_none(letter, dl.SETTLEMENT_MONITOR)
    if monitor is None:
        return
    due, rule = settlement_due(letter, letter.accepted_on, accepted=True)
    used = monitor.extensions.filter(is_pause=False).count()
    if used and letter.kind == Kind.DENUNCIATION:
        due = add_rule_period(rule_for("denunciation.extension_days", letter.council, monitor.start_date), due, used)
    monitor.due_date, monitor.rule = due, rule
    monitor.save(update_fields=["due_date", "rule"])


def _open_deadline_or_none(letter: Letter, kind: str) -> Deadline | None:
    from django.contrib.contenttypes.models import ContentType

    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Letter),
        object_id=letter.pk,
        kind=kind,
        state=Deadline.State.OPEN,
    ).first()


def _open_deadline(letter: Letter, kind: str) -> Deadline:
    deadline = _open_deadline_or_none(letter, kind)
    if deadline is None:
        raise DomainError(_("This letter has no open deadline of that kind."), field="kind")
    return deadline


def letter_extend(
    *,
    letter: Letter,
    legal_basis: str,
    decision_number: str = "",
    kind: str = dl.DENUNCIATION_RESOLVE,
    new_due_date: date | None = None,
    is_pause: bool = False,
    user: User | None = None,
):
    """Extend (or pause) a deadline on a recorded legal basis. The settlement of a denunciation
    (the agency's deadline and the office's monitoring of it, moved together) is extended by
    denunciation.extension_days — never for an ordinary case, once for a complex one, twice for an
    especially complex one (Luật Tố cáo 2018, Điều 30; the letter's complexity). Its initial
    processing may go from denunciation.initial_wd to denunciation.initial_max_wd once. Other
    deadlines move only by a pause with a new date."""
    deadline = _open_deadline(letter, kind)
    council = letter.council
    if kind in (dl.DENUNCIATION_RESOLVE, dl.SETTLEMENT_MONITOR) and letter.kind == Kind.DENUNCIATION and not is_pause:
        return _extend_denunciation_settlement(letter, deadline, legal_basis, decision_number, user)
    if kind == dl.DENUNCIATION_INITIAL and not is_pause:
        longest = add_rule_period(
            rule_for("denunciation.initial_max_wd", council, deadline.start_date), deadline.start_date
        )
        return deadline_extend(
            deadline=deadline,
            new_due_date=longest,
            legal_basis=legal_basis,
            decision_number=decision_number,
            user=user,
            max_extensions=1,
        )
    if not is_pause:
        raise DomainError(
            _("The law allows no extension of this deadline; record a pause with its legal basis."), field="is_pause"
        )
    if new_due_date is None:
        raise DomainError(_("Give the new due date."), field="new_due_date")
    return deadline_extend(
        deadline=deadline,
        new_due_date=new_due_date,
        legal_basis=legal_basis,
        decision_number=decision_number,
        user=user,
        is_pause=True,
    )


@transaction.atomic
def _extend_denunciation_settlement(letter: Letter, chosen: Deadline, legal_basis: str, decision_number: str, user):
    if not (legal_basis or "").strip():
        raise DomainError(_("State the legal basis of the extension."), field="legal_basis")
    targets = [chosen] + [
        d for d in (_open_deadline_or_none(letter, k) for k in (dl.DENUNCIATION_RESOLVE, dl.SETTLEMENT_MONITOR))
        if d is not None and d.pk != chosen.pk
    ]
    on = chosen.start_date
    allowed = extensions_allowed(letter, on)
    used = max(d.extensions.filter(is_pause=False).count() for d in targets)
    if allowed == 0:
        raise DomainError(
            _(
                "The settlement of an ordinary denunciation cannot be extended: only a complex case (once) or "
                "an especially complex case (twice) can be (Luật Tố cáo 2018, Điều 30). Record the letter's "
                "complexity when it is forwarded or accepted."
            ),
            field="kind",
        )
    if used >= allowed:
        rule = extension_rule(letter, on)
        raise DomainError(
            _(
                "A denunciation that is “%(complexity)s” can be extended at most %(n)s time(s) (%(citation)s); "
                "it has already been extended %(used)s time(s)."
            )
            % {"complexity": letter.get_complexity_display(), "n": allowed, "citation": rule.citation, "used": used},
            field="kind",
        )
    period = rule_for("denunciation.extension_days", letter.council, on)
    first = None
    for deadline in targets:
        extension = deadline_extend(
            deadline=deadline,
            new_due_date=add_rule_period(period, deadline.due_date),
            legal_basis=legal_basis,
            decision_number=decision_number,
            user=user,
            max_extensions=allowed,
        )
        first = first or extension
    return first


# --- Result and notice ------------------------------------------------------------------------


@transaction.atomic
def letter_record_result(
    *, letter: Letter, result_kind: str, result_date: date, summary: str = "", reported_on: date | None = None
) -> Letter:
    """The competent agency's result. The agency's report and the notice to the citizen follow
    their rules (7 working days after resolving; the deputy or office informs within 5)."""
    _ensure_open(letter)
    if letter.decision != Letter.Decision.FORWARD and letter.status != Letter.Status.ACCEPTED:
        raise DomainError(_("Only a forwarded or accepted letter has a result to record."))
    if result_kind not in Letter.ResultKind.values:
        raise DomainError(_("Choose the result."), field="result_kind")
    start = letter.decided_on or letter.accepted_on or letter.received_on
    if result_date < start:
        raise DomainError(_("The result cannot be before the letter was handled."), field="result_date")
    if reported_on and reported_on < result_date:
        raise DomainError(_("The report cannot be before the result."), field="reported_on")
    check_not_future(result_date, field="result_date", label=_("The result date"))
    check_not_future(reported_on, field="reported_on", label=_("The report date"))
    letter.result_kind, letter.result_date, letter.result_summary = result_kind, result_date, summary
    letter.reported_on = reported_on
    letter.status = Letter.Status.RESOLVED
    letter.save()
    label, agency = _label(letter), letter.forwarded_to
    dl.complete(
        letter,
        dl.COMPLAINT_ACCEPT,
        dl.COMPLAINT_RESOLVE,
        dl.DENUNCIATION_RESOLVE,
        dl.RECOMMENDATION_RESOLVE,
        dl.DENUNCIATION_INITIAL,
        dl.DENUNCIATION_FORWARD,
        dl.OFFICE_HANDLE,
        dl.SETTLEMENT_MONITOR,
    )
    if letter.kind != Kind.DENUNCIATION and letter.decision == Letter.Decision.FORWARD:
        dl.register(
            subject=letter,
            kind=dl.AGENCY_REPORT,
            code="letter.deputy_forward_report_wd",
            start=result_date,
            agency=agency,
            label_for=label,
        )
    if reported_on:
        dl.complete(letter, dl.AGENCY_REPORT)
        dl.register(
            subject=letter,
            kind=dl.CITIZEN_NOTICE,
            code="letter.deputy_inform_citizen_wd",
            start=reported_on,
            label_for=label,
        )
    return letter


@transaction.atomic
def letter_record_report(*, letter: Letter, reported_on: date) -> Letter:
    """The agency's report of the result reached the council or the forwarding deputy."""
    if not letter.result_date:
        raise DomainError(_("Record the result first."))
    if reported_on < letter.result_date:
        raise DomainError(_("The report cannot be before the result."), field="reported_on")
    check_not_future(reported_on, field="reported_on", label=_("The report date"))
    letter.reported_on = reported_on
    letter.save()
    dl.complete(letter, dl.AGENCY_REPORT)
    dl.register(
        subject=letter,
        kind=dl.CITIZEN_NOTICE,
        code="letter.deputy_inform_citizen_wd",
        start=reported_on,
        label_for=_label(letter),
    )
    return letter


@transaction.atomic
def letter_notify_citizen(*, letter: Letter, notified_on: date) -> Letter:
    if not letter.result_date:
        raise DomainError(_("Record the result first."))
    if notified_on < letter.result_date:
        raise DomainError(_("The notice cannot be before the result."), field="notified_on")
    check_not_future(notified_on, field="notified_on", label=_("The notice date"))
    letter.citizen_notified_on = notified_on
    letter.save()
    dl.complete(letter, dl.CITIZEN_NOTICE)
    return letter


# --- Scans ------------------------------------------------------------------------------------


@transaction.atomic
def letter_add_scan(*, letter: Letter, file, description: str = "", user: User | None = None) -> LetterScan:
    """Attach a scan (already checked by the one upload validator). A scan shows handwriting and
    the sender's identity: adding one to a protected letter needs the identity permission."""
    check_identity_write(user=user, record=letter, field="file")
    if len(description or "") > 200:
        raise DomainError(_("This text is at most %(n)s characters.") % {"n": 200}, field="description")
    return LetterScan.objects.create(letter=letter, file=file, description=description or "", uploaded_by=user)
