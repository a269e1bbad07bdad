"""One mechanism for every deadline of the portal (DESIGN §3): a due date, a state, and derived
"due soon / overdue / long overdue" states. Apps call these services whenever a record gains,
meets or loses a deadline; the reminder scan (core.tasks) works from the table's state."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import Agency, Council, Deadline, DeadlineExtension, Rule, User
from .rules import rule_values


def deadline_set(
    *,
    subject,
    council: Council,
    kind: str,
    title: str,
    start_date: date,
    due_date: date,
    rule: Rule | None = None,
    responsible_user: User | None = None,
    responsible_agency: Agency | None = None,
) -> Deadline:
    """Create or move the open deadline `kind` of `subject` (idempotent per subject and kind)."""
    content_type = ContentType.objects.get_for_model(subject)
    deadline, created = Deadline.objects.update_or_create(
        content_type=content_type,
        object_id=subject.pk,
        kind=kind,
        defaults=dict(
            council=council,
            title=title[:300],
            start_date=start_date,
            due_date=due_date,
            rule=rule,
            responsible_user=responsible_user,
            responsible_agency=responsible_agency,
            state=Deadline.State.OPEN,
            completed_at=None,
        ),
        create_defaults=dict(
            council=council,
            title=title[:300],
            start_date=start_date,
            due_date=due_date,
            original_due_date=due_date,
            rule=rule,
            responsible_user=responsible_user,
            responsible_agency=responsible_agency,
        ),
    )
    return deadline


def deadline_complete(*, subject, kind: str | None = None, cancelled: bool = False) -> int:
    """Mark the subject's open deadline(s) of `kind` (all kinds if None) met or cancelled."""
    qs = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, state=Deadline.State.OPEN
    )
    if kind:
        qs = qs.filter(kind=kind)
    state = Deadline.State.CANCELLED if cancelled else Deadline.State.DONE
    return qs.update(state=state, completed_at=timezone.now())


def deadline_extend(
    *, deadline: Deadline, new_due_date: date, legal_basis: str, decision_number: str = "",
    user: User | None = None, is_pause: bool = False, max_extensions: int | None = None,
) -> DeadlineExtension:
    """Move a deadline later on a recorded legal basis. Refuses earlier dates and extensions
    beyond `max_extensions` (the caller passes the legal limit for that kind)."""
    if not legal_basis.strip():
        raise DomainError(_("State the legal basis of the extension."), field="legal_basis")
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.state != Deadline.State.OPEN:
            raise DomainError(_("Only an open deadline can be extended."))
        if new_due_date <= deadline.due_date:
            raise DomainError(
                _("The new date must be after the current due date (%(date)s).")
                % {"date": deadline.due_date.strftime("%d/%m/%Y")},
                field="new_due_date",
            )
        if max_extensions is not None and not is_pause:
            used = deadline.extensions.filter(is_pause=False).count()
            if used >= max_extensions:
                raise DomainError(
                    _("The law allows at most %(n)s extension(s) for this deadline.") % {"n": max_extensions},
                    field="new_due_date",
                )
        extension = DeadlineExtension.objects.create(
            deadline=deadline, old_due_date=deadline.due_date, new_due_date=new_due_date,
            legal_basis=legal_basis, decision_number=decision_number, created_by=user, is_pause=is_pause,
        )
        deadline.due_date = new_due_date
        deadline.save(update_fields=["due_date"])
    return extension


def status_of(due: date | None, done: bool, today: date | None = None, soon_days: int = 3, long_days: int = 30) -> str:
    """Derived state for display: done / overdue / long_overdue / due_soon / open. The thresholds
    come from the rules deadline.due_soon_days and deadline.long_overdue_days (see thresholds())."""
    if done:
        return "done"
    if due is None:
        return "open"
    today = today or timezone.localdate()
    if due < today:
        return "long_overdue" if (today - due).days > long_days else "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "open"


def thresholds(council: Council | None, on: date) -> tuple[int, int]:
    """(due soon days, long overdue days) for a council: read once per page (one query), not per row."""
    values = rule_values(["deadline.due_soon_days", "deadline.long_overdue_days"], council, on)
    return int(values.get("deadline.due_soon_days", 3)), int(values.get("deadline.long_overdue_days", 30))


def _check_manage(by: User, council_id: int) -> None:
    from .scoping import get_access
    from .writes import WriteDenied

    if not get_access(by).has(council_id, "can_extend_deadline"):
        raise WriteDenied(_("You lack the permission to manage this council's deadlines."))


def deadline_assign(*, deadline: Deadline, user: User | None, by: User) -> Deadline:
    """Give a deadline its responsible staff member (or take it back): someone with a role on the
    deadline's council; the person assigning manages that council's deadlines."""
    _check_manage(by, deadline.council_id)
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if user is not None and not user.council_roles.filter(council_id=locked.council_id).exists():
            raise DomainError(_("Choose a person who has a role on this council."), field="user")
        locked.responsible_user = user
        locked.save(update_fields=["responsible_user"])
    return locked


def overdue_since(*, council: Council, older_than: int):
    """The council's open deadlines overdue for more than `older_than` days."""
    if not isinstance(older_than, int) or isinstance(older_than, bool) or not 1 <= older_than <= 3650:
        raise DomainError(_("Give a number of days between 1 and 3650."), field="older_than")
    cutoff = timezone.localdate() - timezone.timedelta(days=older_than)
    return Deadline.objects.filter(council=council, state=Deadline.State.OPEN, due_date__lt=cutoff)


def deadline_close_overdue(*, council: Council, older_than: int, reason: str, by: User) -> int:
    """Close in bulk the council's deadlines overdue for more than `older_than` days (the matter was
    settled outside the portal, or the record was entered late), with the reason kept on each."""
    _check_manage(by, council.id)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(_("Give the reason for closing these deadlines."), field="reason")
    return overdue_since(council=council, older_than=older_than).update(
        state=Deadline.State.CANCELLED, completed_at=timezone.now(), closed_reason=reason[:500], closed_by=by,
    )
