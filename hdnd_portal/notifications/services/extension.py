"""Extending (or pausing) a deadline through the portal, and telling the people concerned."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hdnd_portal.core.deadlines import deadline_extend
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Deadline, DeadlineExtension, User
from hdnd_portal.core.rules import RuleMissing, rule_value

from ..kinds import kind_label
from ..models import Notification
from .delivery import Claim, deliver
from .plan import PlanBook
from .recipients import RecipientBook


def _optional_rule(codes: list[str], deadline: Deadline, on: date) -> int | None:
    for code in codes:
        try:
            return int(rule_value(code, deadline.council, on))
        except RuleMissing:
            continue
    return None


def extension_limits(deadline: Deadline, on: date | None = None) -> tuple[int | None, int | None]:
    """(how many extensions the law allows, how many days each may add) for the deadline's kind,
    read from rules "<kind>.max_extensions" / "<kind>.extension_days", then the same under the
    kind's first part ("denunciation.resolve" → "denunciation.max_extensions"). None: no limit."""
    on = on or timezone.localdate()
    prefixes = [deadline.kind]
    if "." in deadline.kind:
        prefixes.append(deadline.kind.split(".", 1)[0])
    return (
        _optional_rule([f"{p}.max_extensions" for p in prefixes], deadline, on),
        _optional_rule([f"{p}.extension_days" for p in prefixes], deadline, on),
    )


def deadline_extension_record(
    *,
    deadline: Deadline,
    new_due_date: date,
    legal_basis: str,
    decision_number: str = "",
    is_pause: bool = False,
    user: User | None = None,
) -> DeadlineExtension:
    """Move the deadline on a recorded legal basis and notify the people concerned (in-app and
    e-mail, through the reminder ledger as point "extension_<id>"). Refuses a date that is not
    after the current due date, more extensions than the law allows, or a longer extension than
    one period of "<kind>.extension_days". Atomic: nothing is saved if anything is refused."""
    max_extensions, max_days = extension_limits(deadline)
    if new_due_date is None:
        raise DomainError(_("Enter the new due date."), field="new_due_date")
    if max_days is not None and not is_pause and new_due_date > deadline.due_date + timedelta(days=max_days):
        raise DomainError(
            _("The law allows at most %(days)s days per extension for this deadline: the latest date is %(date)s.")
            % {"days": max_days, "date": (deadline.due_date + timedelta(days=max_days)).strftime("%d/%m/%Y")},
            field="new_due_date",
        )
    with transaction.atomic():
        extension = deadline_extend(
            deadline=deadline,
            new_due_date=new_due_date,
            legal_basis=legal_basis.strip(),
            decision_number=decision_number.strip(),
            user=user,
            is_pause=is_pause,
            max_extensions=max_extensions,
        )
        deadline.refresh_from_db()
        notify_extension(deadline=deadline, extension=extension, actor=user)
    return extension


def notify_extension(*, deadline: Deadline, extension: DeadlineExtension, actor: User | None) -> int:
    """Tell the deadline's people (the same recipients as its reminders) that it moved."""
    today = timezone.localdate()
    plans = PlanBook(today)
    people = RecipientBook()
    row = {
        "id": deadline.pk,
        "council_id": deadline.council_id,
        "content_type_id": deadline.content_type_id,
        "object_id": deadline.object_id,
        "responsible_user_id": deadline.responsible_user_id,
        "responsible_agency_id": deadline.responsible_agency_id,
    }
    recipients = people.resolve([row], plans)[deadline.pk]["regular"]
    with translation.override(settings.LANGUAGE_CODE):
        template = (
            _("Deadline paused until %(date)s: %(title)s")
            if extension.is_pause
            else _("Deadline extended to %(date)s: %(title)s")
        )
        title = template % {"date": extension.new_due_date.strftime("%d/%m/%Y"), "title": deadline.title}
        body = "\n".join(
            [
                _("Kind: %(kind)s") % {"kind": kind_label(deadline.kind)},
                _("Previous due date: %(date)s") % {"date": extension.old_due_date.strftime("%d/%m/%Y")},
                _("New due date: %(date)s") % {"date": extension.new_due_date.strftime("%d/%m/%Y")},
                _("Legal basis: %(basis)s") % {"basis": extension.legal_basis},
                *(
                    [_("Decision: %(number)s") % {"number": extension.decision_number}]
                    if extension.decision_number
                    else []
                ),
            ]
        )
    claims = [
        Claim(
            deadline.pk,
            deadline.council_id,
            f"extension_{extension.pk}",
            user_id,
            reason,
            extension.new_due_date,
            Notification.Kind.EXTENSION,
            title,
            body,
        )
        for user_id, reason in recipients
        if actor is None or user_id != actor.pk
    ]
    return deliver(claims, people.users)["created"]
