"""Commitments: creating them, their roadmap and their progress."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core import deadlines
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Council, Deputy, User

from ..access import sees_item
from ..models import Commitment, CommitmentMilestone, CommitmentUpdate
from .common import DOCUMENTS, check_constraints, checked_file, require_permission

DEADLINE_KIND = "commitment.deadline"


def _deadline_title(commitment: Commitment) -> str:
    return str(
        _("Commitment of %(official)s: %(text)s")
        % {"official": commitment.official_name, "text": commitment.text[:200]}
    )


def _check_council(obj, council: Council, field: str) -> None:
    if obj is not None and getattr(obj, "council_id", council.id) != council.id:
        raise DomainError(_("This record belongs to another council."), field=field)


def commitment_register_deadline(*, commitment: Commitment) -> None:
    """Keep the commitment's deadline in core.deadlines in step with the record."""
    if commitment.deadline is None:
        deadlines.deadline_complete(subject=commitment, kind=DEADLINE_KIND, cancelled=True)
        return
    deadline = deadlines.deadline_set(
        subject=commitment,
        council=commitment.council,
        kind=DEADLINE_KIND,
        title=_deadline_title(commitment),
        start_date=commitment.made_on,
        due_date=commitment.deadline,
        responsible_agency=commitment.agency,
    )
    if not commitment.is_open:
        deadlines.deadline_complete(subject=commitment, kind=DEADLINE_KIND)
    return deadline


def commitment_check(*, commitment: Commitment) -> None:
    if not (commitment.text or "").strip():
        raise DomainError(_("State what was promised."), field="text")
    if not (commitment.official_name or "").strip():
        raise DomainError(_("Name the official who made the commitment."), field="official_name")
    if commitment.deadline and commitment.made_on and commitment.deadline < commitment.made_on:
        raise DomainError(
            _("The deadline (%(deadline)s) cannot be before the date the commitment was made (%(made)s).")
            % {"deadline": commitment.deadline.strftime("%d/%m/%Y"), "made": commitment.made_on.strftime("%d/%m/%Y")},
            field="deadline",
        )
    if commitment.agency_id and commitment.agency.council_id != commitment.council_id:
        raise DomainError(_("The agency belongs to another council."), field="agency")
    if not 0 <= (commitment.percent or 0) <= 100:
        raise DomainError(_("The percentage must be between 0 and 100."), field="percent")
    check_constraints(commitment)


def commitment_create(
    *,
    council: Council,
    agency: Agency,
    official_name: str,
    official_title: str,
    text: str,
    made_on: date,
    deadline: date | None,
    source=None,
    deputies=(),
    user: User | None = None,
    field=None,
    note: str = "",
) -> Commitment:
    """Record a promise an official of `agency` made on `made_on`.

    `source` is any saved record (a question, an explanation session, an oversight activity, a
    petition…) and is stored as a generic reference. Refuses a deadline before `made_on`
    (DomainError on field "deadline"); registers the deadline in core.deadlines."""
    commitment = Commitment(
        council=council,
        agency=agency,
        official_name=(official_name or "").strip(),
        official_title=(official_title or "").strip(),
        text=(text or "").strip(),
        made_on=made_on,
        deadline=deadline,
        created_by=user,
        field=field,
        note=note,
    )
    if source is not None:
        if source.pk is None:
            raise DomainError(_("The source record must be saved first."), field="source")
        _check_council(source, council, "source")
        commitment.source_type = ContentType.objects.get_for_model(source)
        commitment.source_id = source.pk
    commitment_check(commitment=commitment)
    deputy_list = list(deputies)
    for deputy in deputy_list:
        if isinstance(deputy, Deputy) and deputy.council_id != council.id:
            raise DomainError(_("Deputy %(name)s belongs to another council.") % {"name": deputy}, field="deputies")
    with transaction.atomic():
        commitment.save()
        if deputy_list:
            ids = [d.pk if isinstance(d, Deputy) else int(d) for d in deputy_list]
            if Deputy.objects.filter(pk__in=ids).exclude(council=council).exists():
                raise DomainError(_("A deputy belongs to another council."), field="deputies")
            commitment.deputies.set(ids)
        commitment_register_deadline(commitment=commitment)
    return commitment


def commitment_update(*, commitment: Commitment, user: User | None = None, deputies=None) -> Commitment:
    """Save edits made to a commitment's fields (form or API) and keep its deadline in step."""
    commitment_check(commitment=commitment)
    with transaction.atomic():
        commitment.save()
        if deputies is not None:
            if any(d.council_id != commitment.council_id for d in deputies):
                raise DomainError(_("A deputy belongs to another council."), field="deputies")
            commitment.deputies.set(deputies)
        commitment_register_deadline(commitment=commitment)
    return commitment


def commitment_milestone_add(
    *, commitment: Commitment, title: str, due_date: date, done_on: date | None = None, user: User | None = None
) -> CommitmentMilestone:
    require_permission(user, commitment.council_id, "can_change_oversight")
    if not (title or "").strip():
        raise DomainError(_("Describe the milestone."), field="title")
    if due_date < commitment.made_on:
        raise DomainError(_("A milestone cannot fall before the commitment was made."), field="due_date")
    return CommitmentMilestone.objects.create(
        council_id=commitment.council_id, commitment=commitment, title=title.strip(), due_date=due_date, done_on=done_on
    )


def commitment_milestone_save(*, milestone: CommitmentMilestone) -> CommitmentMilestone:
    """Save an edited milestone (e.g. marked done)."""
    if not (milestone.title or "").strip():
        raise DomainError(_("Describe the milestone."), field="title")
    if milestone.due_date < milestone.commitment.made_on:
        raise DomainError(_("A milestone cannot fall before the commitment was made."), field="due_date")
    if milestone.done_on and milestone.done_on < milestone.commitment.made_on:
        raise DomainError(_("A milestone cannot be done before the commitment was made."), field="done_on")
    milestone.save()
    return milestone


def commitment_progress_report(
    *,
    commitment: Commitment,
    percent: int,
    status: str,
    text: str,
    reported_on: date | None = None,
    document=None,
    user: User | None = None,
) -> CommitmentUpdate:
    """Post a progress update; the commitment takes its percentage and status. A fulfilled
    commitment is at 100 % and its deadline is met. `user` needs can_report_oversight and, unless
    they read all the council's oversight, to answer for the commitment's agency."""
    if user is not None:
        from hdnd_portal.core.scoping import get_access
        from hdnd_portal.core.writes import WriteDenied

        if not sees_item(get_access(user), commitment.council_id, commitment.agency_id):
            raise WriteDenied(_("This commitment was made by another agency."), field="text")
        require_permission(user, commitment.council_id, "can_report_oversight")
    reported_on = reported_on or timezone.localdate()
    if not (text or "").strip():
        raise DomainError(_("Describe the progress."), field="text")
    if percent is None or not 0 <= int(percent) <= 100:
        raise DomainError(_("The percentage must be between 0 and 100."), field="percent")
    if status not in Commitment.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if status == Commitment.Status.FULFILLED and int(percent) != 100:
        raise DomainError(_("A fulfilled commitment is at 100 %."), field="percent")
    if reported_on < commitment.made_on:
        raise DomainError(_("The report cannot be dated before the commitment."), field="reported_on")
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        update = CommitmentUpdate.objects.create(
            council_id=locked.council_id,
            commitment=locked,
            reported_on=reported_on,
            percent=int(percent),
            status=status,
            text=text.strip(),
            document=checked_file(document, DOCUMENTS, "document") or "",
            created_by=user,
        )
        locked.percent = int(percent)
        locked.status = status
        locked.completed_on = None if status in Commitment.OPEN_STATUSES else reported_on
        locked.save()
        if locked.is_open:
            commitment_register_deadline(commitment=locked)
        else:
            deadlines.deadline_complete(subject=locked, kind=DEADLINE_KIND)
        commitment.refresh_from_db()
    return update
