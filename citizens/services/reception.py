"""Reception schedules, reception days, visits and cases."""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Council, Deputy, Field, User
from hdnd_portal.core.numbering import next_number
from hdnd_portal.core.rules import rule_for
from hdnd_portal.core.services import check_not_future
from hdnd_portal.core.workdays import is_working_day

from .. import deadlines as dl
from ..models import Case, ReceptionDay, ReceptionSchedule, ReceptionSubstitution, Visit, VisitCitizen
from ..models.choices import Kind
from .protection import check_identity_write, protect_derived

GROUP_MIN = 5  # Luật Tiếp công dân 2013, Điều 8: 5 people or more come as a group
GROUP_LARGE = 10  # more than 10: up to reception.group_representatives_large representatives


# --- Schedules and reception days -----------------------------------------------------------


@transaction.atomic
def schedule_save(*, schedule: ReceptionSchedule, receivers: Iterable[Deputy] | None = None) -> ReceptionSchedule:
    """Create or update a schedule; an empty frequency takes the council's rule."""
    if not schedule.sessions_per_month:
        schedule.sessions_per_month = rule_for(
            "reception.sessions_per_month", schedule.council, schedule.valid_from
        ).int_value
    _check_receivers(schedule.council, receivers or [])
    schedule.full_clean(exclude=["version", "search_text"])
    schedule.save()
    if receivers is not None:
        schedule.receivers.set(receivers)
    return schedule


def _check_receivers(council: Council, receivers: Iterable[Deputy]) -> None:
    if any(d.council_id != council.id for d in receivers):
        raise DomainError(_("A receiving deputy belongs to another council."), field="receivers")


@transaction.atomic
def schedule_publish(*, schedule: ReceptionSchedule, publish: bool = True) -> ReceptionSchedule:
    schedule.is_published = publish
    schedule.published_at = timezone.now() if publish else None
    schedule.save(update_fields=["is_published", "published_at", "updated_at"])
    return schedule


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date | None:
    """The `week`-th given weekday of a month (week 5 = the last one)."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if week >= 5:
        return days[-1]
    return days[week - 1] if week - 1 < len(days) else None


def schedule_dates(schedule: ReceptionSchedule, start: date, end: date) -> list[date]:
    """The session dates of a schedule between two dates; a session that falls on a holiday
    moves to the next working day."""
    result: list[date] = []
    first = max(start, schedule.valid_from)
    last = min(end, schedule.valid_to) if schedule.valid_to else end
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        for week in schedule.week_list():
            day = nth_weekday(year, month, schedule.weekday, week)
            if day is None:
                continue
            while not is_working_day(day):
                day += timedelta(days=1)
            if first <= day <= last and day not in result:
                result.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return sorted(result)


@transaction.atomic
def schedule_generate_days(*, schedule: ReceptionSchedule, start: date, end: date) -> list[ReceptionDay]:
    """Create the reception days of a schedule in a period (existing days are kept as they are)."""
    if end < start:
        raise DomainError(_("The end date cannot be before the start date."), field="end")
    if (end - start).days > 731:
        raise DomainError(_("Generate at most two years at a time."), field="end")
    existing = set(schedule.days.filter(date__range=(start, end)).values_list("date", flat=True))
    receivers = list(schedule.receivers.all())
    created = []
    for day in schedule_dates(schedule, start, end):
        if day in existing:
            continue
        rd = ReceptionDay(
            council=schedule.council,
            schedule=schedule,
            date=day,
            start_time=schedule.start_time,
            location=schedule.location,
        )
        rd.save()
        rd.receivers.set(receivers)
        created.append(rd)
    return created


@transaction.atomic
def day_create(*, day: ReceptionDay, receivers: Iterable[Deputy] | None = None) -> ReceptionDay:
    receivers = list(receivers or [])
    _check_receivers(day.council, receivers)
    day.save()
    day.receivers.set(receivers)
    return day


@transaction.atomic
def day_update(*, day: ReceptionDay, receivers: Iterable[Deputy] | None = None) -> ReceptionDay:
    """Save edits of a reception day (version checked by the caller's guard)."""
    if receivers is not None:
        receivers = list(receivers)
        _check_receivers(day.council, receivers)
    if day.status == ReceptionDay.Status.HELD or day.visits.exists():
        # A day that took place (its visits are dated with it) cannot move into the future.
        check_not_future(day.date, field="date", label=_("The date of a reception day that was held"))
    day.full_clean(exclude=["version", "search_text"])
    day.save()
    if receivers is not None:
        day.receivers.set(receivers)
    return day


@transaction.atomic
def day_cancel(*, day: ReceptionDay, reason: str) -> ReceptionDay:
    if not reason.strip():
        raise DomainError(_("State why the reception day is cancelled."), field="reason")
    if day.visits.exists():
        raise DomainError(_("Visits were recorded on this day; it cannot be cancelled."))
    day.status = ReceptionDay.Status.CANCELLED
    day.cancel_reason = reason
    day.save()
    return day


@transaction.atomic
def day_mark_held(*, day: ReceptionDay) -> ReceptionDay:
    if day.status == ReceptionDay.Status.CANCELLED:
        raise DomainError(_("A cancelled reception day cannot be marked as held."))
    check_not_future(day.date, field="date", label=_("The date of a reception day that was held"))
    day.status = ReceptionDay.Status.HELD
    day.save()
    return day


@transaction.atomic
def day_substitute(
    *, day: ReceptionDay, absent: Deputy, substitute: Deputy, reason: str, user: User | None = None
) -> ReceptionSubstitution:
    """Replace a receiving deputy on one day; the substitution is recorded."""
    if not day.receivers.filter(pk=absent.pk).exists():
        raise DomainError(_("%(name)s does not receive on this day.") % {"name": absent}, field="absent")
    if substitute.council_id != day.council_id:
        raise DomainError(_("The substitute belongs to another council."), field="substitute")
    if substitute.pk == absent.pk or day.receivers.filter(pk=substitute.pk).exists():
        raise DomainError(_("The substitute already receives on this day."), field="substitute")
    if not reason.strip():
        raise DomainError(_("State the reason for the substitution."), field="reason")
    day.receivers.remove(absent)
    day.receivers.add(substitute)
    day.save()
    return ReceptionSubstitution.objects.create(
        day=day, absent=absent, substitute=substitute, reason=reason, created_by=user
    )


# --- Cases ----------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *, council: Council, title: str, opened_on: date, field: Field | None = None, kind: str = "", summary: str = ""
) -> Case:
    # Checked before a number is taken: the case number carries the opening date's year.
    check_not_future(opened_on, field="opened_on", label=_("The opening date of the case"))
    seq, _number = next_number(council=council, doc_type="VV", on=opened_on, issuer="SOVV")
    case = Case(
        council=council,
        code=f"VV-{opened_on.year}-{seq:04d}",
        title=title,
        opened_on=opened_on,
        field=field,
        kind=kind,
        summary=summary,
    )
    case.save()
    return case


@transaction.atomic
def case_update(*, case: Case) -> Case:
    """Save edits of a case (fields set on the instance, version checked by the caller's guard)."""
    check_not_future(case.opened_on, field="opened_on", label=_("The opening date of the case"))
    case.full_clean(exclude=["version", "search_text"])
    case.save()
    return case


# --- Visits ---------------------------------------------------------------------------------


def _check_group(council: Council, on: date, citizen_count: int, citizens: list[dict]) -> bool:
    """Validate the people of a visit against Luật Tiếp công dân, Điều 8; returns is_group."""
    if not citizens:
        raise DomainError(_("Enter at least one visitor."), field="citizens")
    if citizen_count < len(citizens):
        raise DomainError(_("The number of citizens cannot be lower than the visitors named."), field="citizen_count")
    if citizen_count < GROUP_MIN:
        return False
    code = (
        "reception.group_representatives_small"
        if citizen_count <= GROUP_LARGE
        else "reception.group_representatives_large"
    )
    rule = rule_for(code, council, on)
    reps = sum(1 for c in citizens if c.get("is_representative"))
    if reps < 1:
        raise DomainError(
            _("A group of %(n)s names at least one representative (%(citation)s).")
            % {"n": citizen_count, "citation": rule.citation},
            field="citizens",
        )
    if reps > rule.int_value:
        raise DomainError(
            _("A group of %(n)s names at most %(max)s representatives (%(citation)s).")
            % {"n": citizen_count, "max": rule.int_value, "citation": rule.citation},
            field="citizens",
        )
    return True


def _check_outcome(outcome: str, refusal_reason: str, forwarded_to: Agency | None, council: Council) -> None:
    if outcome == Visit.Outcome.REFUSED and not refusal_reason:
        raise DomainError(_("Give the legal reason for refusing the visit."), field="refusal_reason")
    if outcome == Visit.Outcome.FORWARDED and forwarded_to is None:
        raise DomainError(_("Choose the agency the matter is forwarded to."), field="forwarded_to")
    if forwarded_to is not None and forwarded_to.council_id != council.id:
        raise DomainError(_("This record belongs to another council."), field="forwarded_to")


def _save_citizens(visit: Visit, citizens: list[dict]) -> None:
    visit.citizens.all().delete()
    VisitCitizen.objects.bulk_create(
        [
            VisitCitizen(
                visit=visit,
                full_name=c["full_name"].strip(),
                address=c.get("address", ""),
                id_number=c.get("id_number", ""),
                phone=c.get("phone", ""),
                is_representative=bool(c.get("is_representative")),
            )
            for c in citizens
        ]
    )


@transaction.atomic
def visit_create(
    *,
    day: ReceptionDay,
    kind: str,
    citizens: list[dict],
    content: str,
    outcome: str,
    citizen_count: int | None = None,
    requests: str = "",
    handling: str = "",
    refusal_reason: str = "",
    forwarded_to: Agency | None = None,
    case: Case | None = None,
    field: Field | None = None,
    new_case_title: str = "",
    protected: bool = False,
) -> Visit:
    """Record a visit in the reception log and register the answer owed to the visitor. The
    visitors' identity is protected when the visit brings a denunciation or `protected`."""
    if day.status == ReceptionDay.Status.CANCELLED:
        raise DomainError(_("The reception day was cancelled."), field="day")
    # A visit is recorded once it took place: not on a reception day still to come.
    check_not_future(day.date, field="day", label=_("The date of the reception day"))
    if kind not in Kind.values:
        raise DomainError(_("Choose the kind of matter."), field="kind")
    citizens = [c for c in citizens if c.get("full_name", "").strip()]
    count = citizen_count or len(citizens)
    is_group = _check_group(day.council, day.date, count, citizens)
    _check_outcome(outcome, refusal_reason, forwarded_to, day.council)
    if case is not None and case.council_id != day.council_id:
        raise DomainError(_("This record belongs to another council."), field="case")
    if case is None and new_case_title.strip():
        case = case_create(
            council=day.council, title=new_case_title.strip(), opened_on=day.date, field=field, kind=kind
        )
    seq, _n = next_number(council=day.council, doc_type="TCD", on=day.date, issuer="SOTCD")
    visit = Visit(
        council=day.council,
        day=day,
        sequence=seq,
        date=day.date,
        kind=kind,
        is_group=is_group,
        citizen_count=count,
        case=case,
        field=field,
        content=content,
        requests=requests,
        handling=handling,
        outcome=outcome,
        refusal_reason=refusal_reason if outcome == "refused" else "",
        forwarded_to=forwarded_to,
        identity_protected=bool(protected or kind == Kind.DENUNCIATION),
    )
    visit.save()
    _save_citizens(visit, citizens)
    deadline = dl.register(
        subject=visit, kind=dl.VISIT_ANSWER, code="reception.answer_wd", start=visit.date, agency=forwarded_to
    )
    visit.answer_due = deadline.due_date
    visit.save()  # search_text now includes the visitors (unless protected)
    if day.status == ReceptionDay.Status.PLANNED:
        day.status = ReceptionDay.Status.HELD
        day.save(update_fields=["status", "updated_at"])
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, citizens: list[dict] | None = None, user: User | None = None) -> Visit:
    """Save edits of a visit (fields already set on the instance, version checked by the caller's
    guard), re-checking the rules. As for letters, protection is never lifted by an edit; a visit
    that becomes a denunciation becomes protected, with the letters registered from it."""
    if not isinstance(visit.kind, str) or visit.kind not in Kind.values:
        raise DomainError(_("Choose the kind of matter."), field="kind")
    before = Visit.objects.filter(pk=visit.pk).values("kind", "identity_protected").get()
    if citizens is not None:
        check_identity_write(
            user=user,
            record=Visit(council_id=visit.council_id, identity_protected=before["identity_protected"]),
            field="citizens",
        )
    newly_protected = not before["identity_protected"] and visit.kind == Kind.DENUNCIATION and (
        before["kind"] != Kind.DENUNCIATION or not visit.protection_lifted_at
    )
    visit.identity_protected = before["identity_protected"] or newly_protected
    _check_outcome(visit.outcome, visit.refusal_reason, visit.forwarded_to, visit.council)
    if visit.outcome != Visit.Outcome.REFUSED:
        visit.refusal_reason = ""
    if citizens is not None:
        citizens = [c for c in citizens if c.get("full_name", "").strip()]
        visit.is_group = _check_group(visit.council, visit.date, visit.citizen_count, citizens)
        _save_citizens(visit, citizens)
    visit.save()
    if newly_protected:
        protect_derived(visit)
    return visit


@transaction.atomic
def visit_answer(*, visit: Visit, answer: str, answered_on: date) -> Visit:
    """Record the answer given to the visitor (accepted / needs more time / refused / forwarded)."""
    if answer not in Visit.Answer.values:
        raise DomainError(_("Choose the answer given."), field="answer")
    if answered_on < visit.date:
        raise DomainError(_("The answer cannot be before the visit."), field="answered_on")
    check_not_future(answered_on, field="answered_on", label=_("The answer date"))
    visit.answer, visit.answered_on = answer, answered_on
    visit.save()
    dl.complete(visit, dl.VISIT_ANSWER)
    return visit
