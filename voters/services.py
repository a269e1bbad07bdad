"""Every write of the voters app: keyword-only, atomic, one use case each. Pages, the API, the
Excel import and tasks call these, so the browser and the API can never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core import deadlines
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Body, Council, Deputy, Field, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import RuleMissing, date_before, due_date, due_date_or_none
from hdnd_portal.core.services import check_not_future

from .models import (
    MINUTES_UPLOADS,
    RESPONSE_UPLOADS,
    TEXT_MAX,
    ForwardingLetter,
    Petition,
    PetitionSource,
    VoterMeeting,
)

RESPONSE_KIND = "petition.response"
DECISION_KIND = "voter_meeting.outside_decision"
NOTICE_KIND = "voter_meeting.outside_notice"
LETTER_DOC_TYPE = "CV"


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _same_council(objs: Iterable, council_id: int, field: str) -> None:
    for obj in objs:
        if obj is not None and getattr(obj, "council_id", council_id) != council_id:
            raise DomainError(_("“%(obj)s” belongs to another council.") % {"obj": obj}, field=field)


def _check_length(value: str | None, field: str, limit: int = TEXT_MAX) -> None:
    """Over-long text is refused with a message (the database would take a 2 MB TextField)."""
    if value and len(value) > limit:
        raise DomainError(
            _("This text has %(n)s characters; at most %(limit)s are allowed.") % {"n": len(value), "limit": limit},
            field=field,
        )


def _check_lengths(obj, names: Iterable[str]) -> None:
    for name in names:
        _check_length(getattr(obj, name, ""), name, obj._meta.get_field(name).max_length or TEXT_MAX)


def _check_version(locked: Petition, expected_version: int | None) -> None:
    """For the actions on a petition (merge, answer, evaluate): refuse one made on a version the
    row (locked by the caller) has moved past. Pages and the API always pass the version they
    were opened on (missing → 400 there); internal callers (demo, tasks) may pass None."""
    if expected_version is not None and locked.version != expected_version:
        from hdnd_portal.core.concurrency import describe_changes, stale_message
        from hdnd_portal.core.exceptions import StaleEditError

        changes = describe_changes(locked, expected_version)
        raise StaleEditError(stale_message(changes), extra={"current_version": locked.version})


def check_upload(uploaded, allowed: tuple[str, ...], field: str) -> None:
    """Every upload of the app (pages, API, import) passes the one validator of core
    (extension, signature, size), so no door can store a file the others would refuse."""
    from django import forms

    from hdnd_portal.core.forms_base import validate_upload

    if not uploaded or getattr(uploaded, "_committed", False) is True:
        return  # nothing new to check (an already stored file)
    try:
        validate_upload(uploaded, allowed)
    except forms.ValidationError as error:
        raise DomainError(" ".join(str(m) for m in error.messages), field=field) from None


# --- Voter meetings ---------------------------------------------------------------------------


def _check_meeting_dates(meeting: VoterMeeting) -> None:
    """A meeting may be planned ahead, but what records its holding — the minutes, the number of
    voters who came, petitions raised at it — cannot precede its date; nor can the steps of an
    outside-constituency approval that already happened (request, approval, notice)."""
    if not isinstance(meeting.date, date):
        raise DomainError(_("Give the date of the meeting."), field="date")
    check_not_future(meeting.outside_requested_on, field="outside_requested_on",
                     label=_("The date the approval was requested"))
    check_not_future(meeting.outside_approved_on, field="outside_approved_on", label=_("The approval date"))
    check_not_future(meeting.outside_notice_on, field="outside_notice_on", label=_("The date voters were notified"))
    if meeting.date <= timezone.localdate():
        return
    if meeting.minutes:
        raise DomainError(
            _("The meeting of %(date)s has not taken place yet; attach its minutes after it is held.")
            % {"date": _d(meeting.date)},
            field="minutes",
        )
    if meeting.voter_count:
        raise DomainError(
            _("The meeting of %(date)s has not taken place yet; enter the number of voters after it is held.")
            % {"date": _d(meeting.date)},
            field="voter_count",
        )
    if meeting.pk and PetitionSource.objects.filter(meeting_id=meeting.pk).exists():
        raise DomainError(
            _("Petitions were raised at this meeting, so it was held: its date cannot be after today (%(today)s).")
            % {"today": _d(timezone.localdate())},
            field="date",
        )


def _check_meetings_held(meetings: Iterable[VoterMeeting], field: str = "meetings") -> None:
    """A petition is raised at a meeting that took place, not at one still to come."""
    today = timezone.localdate()
    for meeting in meetings:
        if meeting.date > today:
            raise DomainError(
                _("The meeting “%(m)s” has not taken place yet; a petition cannot have been raised at it.")
                % {"m": meeting},
                field=field,
            )


def meeting_save(
    *, meeting: VoterMeeting, deputies: Iterable[Deputy] | None = None, user: User | None = None
) -> VoterMeeting:
    """Create or update a meeting. A meeting outside a deputy's constituency gets its approval
    deadline (rule voter_meeting.outside_decision_wd from the request) and its notice deadline
    (rule voter_meeting.outside_notice_wd before the meeting), both registered in core.deadlines."""
    council = meeting.council
    _check_lengths(meeting, ("title", "place", "notes"))
    _check_meeting_dates(meeting)
    if meeting.minutes and not meeting.minutes._committed:
        check_upload(meeting.minutes.file, MINUTES_UPLOADS, "minutes")
    _same_council([meeting.group, meeting.session], council.id, "group")
    if meeting.group_id and meeting.group.kind != Body.Kind.GROUP:
        raise DomainError(_("Choose a delegate group."), field="group")
    if meeting.commune_id and meeting.commune_id != council.id and meeting.commune.parent_id != council.id:
        raise DomainError(_("Choose this council or a council below it."), field="commune")
    deputy_list = list(deputies) if deputies is not None else None
    if deputy_list:
        _same_council(deputy_list, council.id, "deputies")
    if meeting.outside_constituency:
        if not meeting.outside_requested_on:
            raise DomainError(_("Give the date the approval was requested."), field="outside_requested_on")
        if meeting.outside_requested_on > meeting.date:
            raise DomainError(_("The approval must be requested before the meeting."), field="outside_requested_on")
        # Before the 2025 joint resolution no rule set these periods: the meeting is saved without
        # computed deadlines (the office sets any by hand) instead of being refused.
        meeting.outside_decision_due, decision_rule = due_date_or_none(
            "voter_meeting.outside_decision_wd", council, meeting.outside_requested_on
        )
        try:
            meeting.outside_notice_due, notice_rule = date_before(
                "voter_meeting.outside_notice_wd", council, meeting.date)
        except RuleMissing:
            meeting.outside_notice_due, notice_rule = None, None
        if meeting.outside_notice_on and meeting.outside_notice_due and meeting.outside_notice_on > meeting.outside_notice_due:
            raise DomainError(
                _("Voters must be notified by %(date)s (%(days)s working days before the meeting).")
                % {"date": _d(meeting.outside_notice_due), "days": notice_rule.int_value},
                field="outside_notice_on",
            )
        if meeting.outside_approved_on and meeting.outside_approved_on < meeting.outside_requested_on:
            raise DomainError(_("The approval cannot come before the request."), field="outside_approved_on")
    else:
        meeting.outside_requested_on = meeting.outside_decision_due = None
        meeting.outside_notice_due = meeting.outside_approved_on = meeting.outside_notice_on = None
    with transaction.atomic():
        meeting.save()
        if deputy_list is not None:
            meeting.deputies.set(deputy_list)
        if meeting.outside_constituency and meeting.outside_decision_due:
            deadlines.deadline_set(
                subject=meeting,
                council=council,
                kind=DECISION_KIND,
                title=_("Approve the voter meeting outside the constituency: %(m)s") % {"m": meeting},
                start_date=meeting.outside_requested_on,
                due_date=meeting.outside_decision_due,
                rule=decision_rule,
            )
        if meeting.outside_constituency and meeting.outside_notice_due:
            deadlines.deadline_set(
                subject=meeting,
                council=council,
                kind=NOTICE_KIND,
                title=_("Notify voters of the meeting: %(m)s") % {"m": meeting},
                start_date=meeting.outside_requested_on,
                due_date=meeting.outside_notice_due,
                rule=notice_rule,
            )
        if meeting.outside_constituency:
            if meeting.outside_approved_on:
                deadlines.deadline_complete(subject=meeting, kind=DECISION_KIND)
            if meeting.outside_notice_on:
                deadlines.deadline_complete(subject=meeting, kind=NOTICE_KIND)
        else:
            deadlines.deadline_complete(subject=meeting, cancelled=True)
    return meeting


# --- Petitions --------------------------------------------------------------------------------


def default_committee(*, council: Council, field: Field | None) -> Body | None:
    """The committee (Ban) whose fields include the petition's field (Body.fields)."""
    if field is None:
        return None
    return (
        Body.objects.filter(council=council, kind=Body.Kind.COMMITTEE, is_active=True, fields=field)
        .order_by("name")
        .first()
    )


def _check_petition(petition: Petition) -> None:
    if not (petition.content or "").strip():
        raise DomainError(_("Write the content of the petition."), field="content")
    _check_lengths(petition, ("content", "locality"))
    if petition.committee_id and petition.committee.kind != Body.Kind.COMMITTEE:
        raise DomainError(_("Choose a committee (Ban)."), field="committee")
    _same_council([petition.committee, petition.agency], petition.council_id, "committee")


def default_level(council: Council) -> str:
    """A petition is first taken to be within the competence of the level of the council it is
    raised to (a commune's petitions at commune level, a historical district's at district level)."""
    return {
        Council.Level.COMMUNE: Petition.Level.COMMUNE,
        Council.Level.DISTRICT: Petition.Level.DISTRICT,
    }.get(council.level, Petition.Level.PROVINCE)


def petition_create(
    *,
    council: Council,
    content: str,
    kind: str = Petition.Kind.PETITION,
    field: Field | None = None,
    locality: str = "",
    level: str | None = None,
    committee: Body | None = None,
    meetings: Iterable[VoterMeeting] = (),
    deputies: Iterable[Deputy] = (),
    is_urgent: bool = False,
    is_public: bool = False,
    received_on: date | None = None,
    user: User | None = None,
) -> Petition:
    """Record a petition raised at the given meetings; the committee defaults from the field."""
    meetings, deputies = list(meetings), list(deputies)
    _same_council(meetings, council.id, "meetings")
    _same_council(deputies, council.id, "deputies")
    _check_meetings_held(meetings)
    if received_on is None:
        received_on = min((m.date for m in meetings), default=None) or timezone.localdate()
    check_not_future(received_on, field="received_on", label=_("The petition's receipt date"))
    petition = Petition(
        council=council,
        content=(content or "").strip(),
        kind=kind,
        field=field,
        locality=(locality or "").strip(),
        level=level or default_level(council),
        committee=committee or default_committee(council=council, field=field),
        is_urgent=is_urgent,
        is_public=is_public,
        received_on=received_on,
        created_by=user,
    )
    _check_petition(petition)
    with transaction.atomic():
        petition.save()
        PetitionSource.objects.bulk_create(
            [PetitionSource(petition=petition, meeting=m) for m in meetings] or [PetitionSource(petition=petition)]
        )
        if deputies:
            petition.deputies.set(deputies)
    return petition


def petition_update(
    *,
    petition: Petition,
    deputies: Iterable[Deputy] | None = None,
    meetings: Iterable[VoterMeeting] | None = None,
    user: User | None = None,
) -> Petition:
    """Save edits to a petition's description (not its routing or answer, which have their own
    services). New source meetings are added; existing sources are never dropped."""
    if petition.status == Petition.Status.MERGED:
        raise DomainError(_("A merged petition cannot be edited; edit the petition it was merged into."))
    if not petition.committee_id:
        petition.committee = default_committee(council=petition.council, field=petition.field)
    _check_petition(petition)
    check_not_future(petition.received_on, field="received_on", label=_("The petition's receipt date"))
    with transaction.atomic():
        petition.save()
        if deputies is not None:
            deputies = list(deputies)
            _same_council(deputies, petition.council_id, "deputies")
            petition.deputies.set(deputies)
        if meetings is not None:
            meetings = list(meetings)
            _same_council(meetings, petition.council_id, "meetings")
            _check_meetings_held(meetings)
            have = set(petition.sources.values_list("meeting_id", flat=True))
            new = [PetitionSource(petition=petition, meeting=m) for m in meetings if m.pk not in have]
            if new:
                PetitionSource.objects.bulk_create(new)
                # The placeholder source of a petition typed without a meeting gives way to the meeting.
                petition.sources.filter(meeting__isnull=True, merged_from__isnull=True).delete()
    return petition


def petition_merge(
    *, petition: Petition, into: Petition, user: User | None = None, expected_version: int | None = None
) -> Petition:
    """Merge `petition` (a duplicate raised elsewhere) into `into`: every source and deputy of
    the duplicate moves to `into` and stays counted; the duplicate is marked merged.
    `expected_version`: the version of `petition` the user saw (pages and API always send it)."""
    if petition.pk == into.pk:
        raise DomainError(_("A petition cannot be merged into itself."), field="into")
    with transaction.atomic():
        locked = {p.pk: p for p in Petition.objects.select_for_update().filter(pk__in=[petition.pk, into.pk])}
        petition, into = locked[petition.pk], locked[into.pk]
        _check_version(petition, expected_version)
        if into.council_id != petition.council_id:
            raise DomainError(_("Petitions of different councils cannot be merged."), field="into")
        if into.status == Petition.Status.MERGED:
            raise DomainError(
                _("%(p)s is itself merged into another petition; merge into that one.") % {"p": into}, field="into"
            )
        if petition.status == Petition.Status.MERGED:
            raise DomainError(_("This petition is already merged."), field="into")
        if petition.is_answered:
            raise DomainError(_("An answered petition cannot be merged away."), field="into")
        sources = PetitionSource.objects.filter(petition=petition)
        sources.filter(merged_from__isnull=True).update(merged_from=petition)
        sources.update(petition=into)
        into.deputies.add(*petition.deputies.all())
        Petition.objects.filter(merged_into=petition).update(merged_into=into)
        if petition.is_urgent and not into.is_urgent:
            into.is_urgent = True
        if petition.received_on < into.received_on:
            into.received_on = petition.received_on  # the older raising sets the petition's age
        into.version += 1
        into.save()
        petition.status = Petition.Status.MERGED
        petition.merged_into = into
        petition.version += 1
        petition.save()
        deadlines.deadline_complete(subject=petition, cancelled=True)
    return into


def petition_forward(
    *,
    council: Council,
    petitions: Iterable[Petition],
    agency: Agency,
    on: date | None = None,
    signer_name: str = "",
    user: User | None = None,
) -> ForwardingLetter:
    """Forward petitions to one agency of the same council in one numbered letter (PDF). Each
    petition gets its response deadline (rule petition.response_wd, working days) in core.deadlines."""
    on = on or timezone.localdate()
    # Checked before a number is taken: the forwarding letter is numbered in the year of its date.
    check_not_future(on, field="on", label=_("The forwarding date"))
    _check_length(signer_name, "signer_name", 120)
    if agency.council_id != council.id:
        raise DomainError(
            _("The agency belongs to another council; forward to one of this council's agencies."), field="agency"
        )
    ids = [p.pk for p in petitions]
    if not ids:
        raise DomainError(_("Select at least one petition."), field="petitions")
    with transaction.atomic():
        rows = list(Petition.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(rows) != len(set(ids)):
            raise DomainError(_("Some selected petitions no longer exist."), field="petitions")
        for p in rows:
            if p.council_id != council.id:
                raise DomainError(_("%(p)s belongs to another council.") % {"p": p}, field="petitions")
            if p.status not in Petition.FORWARDABLE:
                raise DomainError(
                    _("%(p)s is %(status)s and cannot be forwarded.")
                    % {"p": p, "status": p.get_status_display().lower()},
                    field="petitions",
                )
            if on < p.received_on:
                raise DomainError(
                    _("The forwarding date cannot be before %(p)s was received (%(d)s).")
                    % {"p": p, "d": _d(p.received_on)},
                    field="on",
                )
        due, rule = due_date("petition.response_wd", council, on)
        sequence, number = next_number(council=council, doc_type=LETTER_DOC_TYPE, on=on)
        letter = ForwardingLetter.objects.create(
            council=council,
            agency=agency,
            number=number,
            sequence=sequence,
            date=on,
            signer_name=signer_name,
            created_by=user,
        )
        for p in rows:
            p.agency, p.letter, p.forwarded_on, p.forwarding_number = agency, letter, on, number
            p.response_due, p.status = due, Petition.Status.FORWARDED
            p.version += 1
            p.save()
            deadlines.deadline_set(
                subject=p,
                council=council,
                kind=RESPONSE_KIND,
                title=_("Answer petition %(p)s") % {"p": p},
                start_date=on,
                due_date=due,
                rule=rule,
                responsible_agency=agency,
            )
        from hdnd_portal.notifications.outbox import enqueue

        from .notify import notify_forwarded
        from .tasks import render_forwarding_letter

        notify_forwarded(letter=letter, count=len(rows))
        # The PDF is rendered by a worker once this transaction has committed and the petitions'
        # row locks are released: the locks are held for the writes only, not for WeasyPrint.
        enqueue(render_forwarding_letter, letter.pk, [p.pk for p in rows])
    return letter


def forwarding_letter_render(*, letter_id: int, petition_ids: list[int]) -> ForwardingLetter | None:
    """Render a forwarding letter's PDF (the petitions it forwarded, in their order) and store it.
    Runs outside any lock; idempotent: a letter that has its file already is left as it is."""
    from .pdf import forwarding_letter_pdf

    letter = ForwardingLetter.objects.select_related("council", "agency").filter(pk=letter_id).first()
    if letter is None or letter.file:
        return letter
    petitions = list(Petition.objects.filter(pk__in=petition_ids).order_by("pk"))
    content = ContentFile(forwarding_letter_pdf(letter, petitions))
    name = f"{letter.number.replace('/', '-')}.pdf"
    with transaction.atomic():
        locked = ForwardingLetter.objects.select_for_update().get(pk=letter_id)
        if locked.file:  # another delivery of the task stored it meanwhile
            return locked
        locked.file.save(name, content, save=True)  # a versioned save, with its history row
    return locked


def petition_answer(
    *,
    petition: Petition,
    status: str,
    text: str,
    response_date: date,
    response_by: str = "",
    response_number: str = "",
    document=None,
    roadmap: str = "",
    target_date: date | None = None,
    user: User | None = None,
    agency_ids: list[int] | None = None,
    expected_version: int | None = None,
) -> Petition:
    """Record the agency's answer. `agency_ids` is the answering responder's agencies (None when
    office staff enter a written answer on the agency's behalf): a petition assigned to another
    agency is refused. "Being resolved" needs a roadmap and a target date and is recorded in the
    shared commitments register (oversight), with the petition as source."""
    if agency_ids is not None and petition.agency_id not in agency_ids:
        raise DomainError(_("This petition is not assigned to your agency."))
    _check_length(text, "response_text")
    _check_length(roadmap, "roadmap")
    _check_length(response_by, "response_by", 200)
    _check_length(response_number, "response_number", 60)
    check_upload(document, RESPONSE_UPLOADS, "document")
    if petition.status in (Petition.Status.NEW, Petition.Status.MERGED) or not petition.agency_id:
        raise DomainError(_("Only a forwarded petition can be answered."))
    if status not in Petition.ANSWERED:
        raise DomainError(_("Choose the result of the answer."), field="status")
    if not (text or "").strip() and not document:
        raise DomainError(_("Write the answer or attach the answer document."), field="response_text")
    if response_date is None:
        raise DomainError(_("Give the date of the answer."), field="response_date")
    if petition.forwarded_on and response_date < petition.forwarded_on:
        raise DomainError(
            _("The answer cannot be dated before the petition was forwarded (%(d)s).")
            % {"d": _d(petition.forwarded_on)},
            field="response_date",
        )
    check_not_future(response_date, field="response_date", label=_("The answer date"))
    if status == Petition.Status.IN_PROGRESS:
        if not (roadmap or "").strip():
            raise DomainError(_("Describe the roadmap for resolving it."), field="roadmap")
        if not target_date:
            raise DomainError(_("Give the target date."), field="target_date")
        if target_date < response_date:
            raise DomainError(_("The target date cannot be before the answer."), field="target_date")
    else:
        roadmap, target_date = "", None
    with transaction.atomic():
        locked = (
            Petition.objects.select_for_update(of=("self",)).select_related("agency", "council").get(pk=petition.pk)
        )
        _check_version(locked, expected_version)
        locked.status, locked.response_text = status, (text or "").strip()
        locked.response_date, locked.response_by = response_date, (response_by or "").strip()
        locked.response_number, locked.roadmap, locked.target_date = response_number, roadmap, target_date
        locked.responded_by_user = user
        if document:
            locked.response_document = document
        locked.version += 1
        locked.save()
        deadlines.deadline_complete(subject=locked, kind=RESPONSE_KIND)
        if status == Petition.Status.IN_PROGRESS and petition_commitment(locked) is None:
            from oversight.services import commitment_create

            commitment_create(
                council=locked.council,
                agency=locked.agency,
                official_name=locked.response_by or locked.agency.head_name or locked.agency.name,
                official_title=str(locked.agency.name) if locked.response_by else "",
                text=f"{locked.roadmap}\n\n{_('Petition')}: {locked.content}"[:4000],
                made_on=response_date,
                deadline=target_date,
                source=locked,
                deputies=list(locked.deputies.all()),
                user=user,
                field=locked.field,
            )
    petition.refresh_from_db()
    from hdnd_portal.notifications.outbox import enqueue

    from .tasks import petition_notify_answered

    enqueue(petition_notify_answered, petition.pk)
    return petition


def petition_commitment(petition: Petition):
    """The commitment recorded for a petition being resolved (read back by its generic source)."""
    from django.contrib.contenttypes.models import ContentType

    from oversight.models import Commitment

    return (
        Commitment.objects.filter(source_type=ContentType.objects.get_for_model(Petition), source_id=petition.pk)
        .order_by("-pk")
        .first()
    )


def petition_evaluate(
    *,
    petition: Petition,
    evaluation: str,
    needs_follow_up: bool = False,
    note: str = "",
    body: Body | None = None,
    on: date | None = None,
    user: User | None = None,
    expected_version: int | None = None,
) -> Petition:
    """The responsible committee's or delegate group's evaluation of the answer."""
    if not petition.is_answered:
        raise DomainError(_("Only an answered petition can be evaluated."))
    if evaluation not in (Petition.Evaluation.SATISFACTORY, Petition.Evaluation.UNSATISFACTORY):
        raise DomainError(_("Choose satisfactory or not satisfactory."), field="evaluation")
    _check_length(note, "note")
    if body is not None:
        _same_council([body], petition.council_id, "body")
        if body.kind not in (Body.Kind.COMMITTEE, Body.Kind.GROUP, Body.Kind.STANDING):
            raise DomainError(_("Choose a committee or a delegate group."), field="body")
    on = on or timezone.localdate()
    check_not_future(on, field="on", label=_("The evaluation date"))
    if petition.response_date and on < petition.response_date:
        raise DomainError(_("The evaluation cannot come before the answer."), field="on")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        _check_version(locked, expected_version)
        locked.evaluation, locked.needs_follow_up, locked.evaluation_note = evaluation, needs_follow_up, note
        locked.evaluated_by = body or locked.committee
        locked.evaluated_on = on
        locked.version += 1
        locked.save()
    petition.refresh_from_db()
    return petition
