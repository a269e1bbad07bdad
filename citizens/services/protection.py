"""Denouncer protection as a stored state (Luật Tố cáo 2018, Điều 47).

A letter or visit is protected when it is (or becomes) a denunciation, when it derives from a
protected record, or when the office decides. Only a holder of can_view_denouncer_identity lifts
the protection, with a reason, and the lifting is written to the identity log. A change of kind
never lifts it; copies, splits and duplicates of a protected record are protected too."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import User
from hdnd_portal.core.scoping import get_access
from hdnd_portal.core.writes import WriteDenied

from ..apps import VIEW_IDENTITY
from ..models import IdentityViewLog, Letter, Visit


def may_see_identity(user: User | None, council_id: int) -> bool:
    """None is the system itself (demo data, tasks), which needs no permission."""
    return user is None or get_access(user).has(council_id, VIEW_IDENTITY)


def check_identity_write(*, user: User | None, record, field: str) -> None:
    """Writing the people of a protected record needs the identity permission (the form that
    would write them shows them)."""
    if record.is_protected and not may_see_identity(user, record.council_id):
        raise WriteDenied(_("The identity of a denouncer is protected."), field=field)


def derived_records(record) -> list:
    """The records that copy `record`'s people: letters registered from a visit; the parts and
    the duplicates of a letter (and the original it repeats)."""
    if isinstance(record, Visit):
        return list(Letter.objects.filter(visit=record))
    found = list(Letter.objects.filter(split_from=record)) + list(Letter.objects.filter(duplicate_of=record))
    if record.duplicate_of_id:
        found.append(Letter.objects.get(pk=record.duplicate_of_id))
    return found


def protect_derived(record) -> None:
    """Protect every record derived from a protected one (transitively)."""
    pending, seen = [record], set()
    while pending:
        current = pending.pop()
        key = (type(current), current.pk)
        if key in seen:
            continue
        seen.add(key)
        for other in derived_records(current):
            if not other.identity_protected:
                other.identity_protected = True
                other.save()  # search_text rebuilt without the people; version bumped
            pending.append(other)


@transaction.atomic
def record_protect(*, record, user: User | None = None, expected_version: int | None = None):
    """The office decides to protect a letter's or visit's people (e.g. a complainant who asks
    for secrecy). Anyone who may change the record may protect it; protecting discloses nothing."""
    check_and_bump(record, expected_version)
    record.identity_protected = True
    record.save()
    protect_derived(record)
    return record


@transaction.atomic
def record_lift_protection(
    *,
    record,
    user: User,
    reason: str,
    expected_version: int | None,
    ip_address: str | None = None,
):
    """Lift the protection of a letter or visit (the denouncer disclosed their identity, or
    consented). Only a holder of can_view_denouncer_identity on the record's council; the reason
    is required and the lifting is logged in the identity log."""
    if not may_see_identity(user, record.council_id) or user is None:
        raise WriteDenied(_("Only a holder of the identity permission can lift the protection."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("State why the protection is lifted."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("The reason is at most 2,000 characters."), field="reason")
    if not record.identity_protected:
        raise DomainError(_("The identity of this record is not protected."))
    check_and_bump(record, expected_version)
    record.identity_protected = False
    record.protection_lifted_at = timezone.now()
    record.protection_lifted_by = user
    record.protection_lift_reason = reason
    record.save()
    kwargs = {"letter": record} if isinstance(record, Letter) else {"visit": record}
    IdentityViewLog.objects.create(
        council_id=record.council_id,
        user=user,
        via=IdentityViewLog.Via.LIFT,
        reason=reason,
        ip_address=ip_address or None,
        **kwargs,
    )
    return record


def letter_lift_protection(*, letter: Letter, user: User, reason: str, expected_version: int | None,
                           ip_address: str | None = None) -> Letter:
    return record_lift_protection(
        record=letter, user=user, reason=reason, expected_version=expected_version, ip_address=ip_address
    )


def visit_lift_protection(*, visit: Visit, user: User, reason: str, expected_version: int | None,
                          ip_address: str | None = None) -> Visit:
    return record_lift_protection(
        record=visit, user=user, reason=reason, expected_version=expected_version, ip_address=ip_address
    )


def letter_protect(*, letter: Letter, user: User | None = None, expected_version: int | None = None) -> Letter:
    return record_protect(record=letter, user=user, expected_version=expected_version)


def visit_protect(*, visit: Visit, user: User | None = None, expected_version: int | None = None) -> Visit:
    return record_protect(record=visit, user=user, expected_version=expected_version)
