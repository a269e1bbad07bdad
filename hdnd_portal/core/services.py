"""Core use cases that are more than a field edit. Keyword-only, atomic; pages and API call these."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .concurrency import check_and_bump
from .exceptions import DomainError
from .models import Body, CalendarException, CouncilRole, Membership, PermissionGrant, User
from .scoping import get_access
from .workdays import invalidate_exceptions
from .writes import WriteDenied


def membership_check(*, membership: Membership) -> None:
    """A deputy sits in at most one delegate group of a council at a time, and a membership
    cannot end before it starts."""
    if membership.end_date and membership.start_date and membership.end_date < membership.start_date:
        raise DomainError(_("The membership cannot end before it starts."), field="end_date")
    if membership.deputy_id and membership.body_id and membership.deputy.council_id != membership.body.council_id:
        raise DomainError(_("The deputy and the body belong to different councils."), field="body")
    if membership.body.kind != Body.Kind.GROUP:
        return
    overlapping = Membership.objects.filter(
        deputy_id=membership.deputy_id, body__kind=Body.Kind.GROUP, body__council_id=membership.body.council_id
    ).exclude(pk=membership.pk).exclude(body_id=membership.body_id)
    if membership.end_date:
        overlapping = overlapping.filter(start_date__lte=membership.end_date)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=membership.start_date))
    other = overlapping.select_related("body").first()
    if other:
        raise DomainError(
            _("%(deputy)s is already in delegate group “%(group)s” over these dates; a deputy belongs to one "
              "delegate group of a council at a time.") % {"deputy": membership.deputy, "group": other.body},
            field="body",
        )


def membership_save(*, membership: Membership) -> Membership:
    with transaction.atomic():
        # Lock the deputy so two concurrent saves cannot both pass the overlap check.
        type(membership.deputy).objects.select_for_update().get(pk=membership.deputy_id)
        membership.council_id = membership.body.council_id
        membership_check(membership=membership)
        membership.save()
    return membership


def council_save(*, actor: User, council, predecessors=None, expected_version: int | None = None):
    """Create or change a council. A province-level council is created by the system operator
    (superuser); a council below it (a commune, a historical district or pre-merger commune) by
    an administrator of its parent council. Level, unit kind, parent and dates are checked
    against each other (Council.clean); the parent never changes after creation."""
    from django.core.exceptions import ValidationError

    from .models import Council

    access = get_access(actor)
    with transaction.atomic():
        if council.pk is None:
            if not may_create_council_under(actor, council.parent if council.parent_id else None):
                raise WriteDenied(_("Only an administrator of the parent council creates a council below it."),
                                  field="parent")
        else:
            if not (actor.is_superuser or access.has(council.pk, "can_change_council")
                    or (council.parent_id and access.has(council.parent_id, "can_change_council"))):
                raise WriteDenied(_("You lack the permission on this council."), field="name")
            check_and_bump(council, expected_version)
        try:
            council.full_clean(exclude=["version"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise DomainError(messages[0], field=None if field == "__all__" else field) from None
        council.save()
        if predecessors is not None:
            visible = access.visible_council_ids()
            for other in predecessors:
                if other.pk == council.pk:
                    raise DomainError(_("A council cannot be its own predecessor."), field="predecessors")
                if visible is not None and other.pk not in visible:
                    raise DomainError(_("Choose a council you can see."), field="predecessors")
            council.predecessors.set(predecessors)
        if council.pk and not council.is_active and Council.objects.filter(parent=council, is_active=True).exists():
            raise DomainError(_("Deactivate or dissolve the councils below it first."), field="is_active")
    return council


def may_create_council_under(actor: User, parent) -> bool:
    """A council is created under its parent by an administrator of that parent, or of the
    council above it: nobody administers a dissolved district, so the province's administrator
    back-enters the district's pre-merger communes. A province-level council: the system operator."""
    if actor.is_superuser:
        return True
    if parent is None:
        return False
    access = get_access(actor)
    return access.has(parent.pk, "can_change_council") or (
        parent.parent_id is not None and access.has(parent.parent_id, "can_change_council"))


def council_add_predecessor(*, actor: User, council, predecessor) -> None:
    """Record that `council` replaced `predecessor` (a commune formed by merging, the successor
    of a dissolved district), by someone who may change `council`."""
    from .models import Council

    access = get_access(actor)
    if not (actor.is_superuser or access.has(council.pk, "can_change_council")
            or (council.parent_id and access.has(council.parent_id, "can_change_council"))):
        raise WriteDenied(_("You lack the permission on council %(name)s.") % {"name": council.name},
                          field="successors")
    if predecessor.pk == council.pk:
        raise DomainError(_("A council cannot be its own predecessor."), field="successors")
    with transaction.atomic():
        locked = Council.objects.select_for_update().get(pk=council.pk)
        locked.predecessors.add(predecessor)
        locked.save(update_fields=["version"])  # a new version and a history row


def check_council_date(*, council, day, field: str) -> None:
    """Records of a council are dated within its existence (historical councils included)."""
    if day is None or council.exists_on(day):
        return
    period = []
    if council.established_on:
        period.append(_("from %(d)s") % {"d": council.established_on.strftime("%d/%m/%Y")})
    if council.dissolved_on:
        period.append(_("until %(d)s") % {"d": council.dissolved_on.strftime("%d/%m/%Y")})
    raise DomainError(
        _("%(council)s existed only %(period)s; this date is outside it.")
        % {"council": council.name, "period": " ".join(period)}, field=field)


def check_not_future(day: date | None, *, field: str, label: str, today: date | None = None) -> None:
    """Refuse a date that cannot be true yet. A record of something that happened — a letter
    received, a reception held, an answer given, a meeting's minutes — is dated at the latest
    today: the local date of the portal (settings.TIME_ZONE, Asia/Ho_Chi_Minh), never the
    server's UTC date, which lags seven hours behind after midnight. Planned dates (a meeting to
    come, a target date, a new due date) are not checked here. `label` names the date as the
    sentence's subject ("Ngày nhận đơn"); the error belongs to `field`."""
    if day is None:
        return
    today = today or timezone.localdate()
    if day > today:
        raise DomainError(
            _("%(label)s cannot be after today (%(today)s).") % {"label": label, "today": today.strftime("%d/%m/%Y")},
            field=field,
        )


def calendar_exception_save(*, exception: CalendarException) -> CalendarException:
    exception.save()
    transaction.on_commit(invalidate_exceptions)
    return exception


def known_permissions() -> set[str]:
    from . import permissions

    names: set[str] = set(permissions.EXPLICIT_ONLY)
    for granted in permissions.ROLE_PERMISSIONS.values():
        names |= set(granted)
    return names


def _ancestor_ids(council) -> list[int]:
    ids, parent = [], council.parent
    while parent is not None and len(ids) < 3:
        ids.append(parent.id)
        parent = parent.parent
    return ids


def _may_grant_explicit(actor, council) -> bool:
    """Explicit-only permissions (a denouncer's identity) are granted by a superuser or by an
    administrator of a higher-level council, never by the council's own administrator."""
    if actor.is_superuser:
        return True
    access = get_access(actor)
    return any(access.has(cid, "can_manage_user") and access.role_on(cid, "admin") for cid in _ancestor_ids(council))


def _role_permission_check(*, actor, role: CouncilRole, before: CouncilRole | None) -> None:
    from . import permissions

    access = get_access(actor)
    if not actor.is_superuser:
        if not access.role_on(role.council_id, "admin") or not access.has(role.council_id, "can_manage_user"):
            raise WriteDenied(_("Only an administrator of this council manages its roles."), field="role")
        if role.user_id == actor.pk:
            raise WriteDenied(_("Nobody can change their own roles or permissions; ask another administrator."),
                              field="user")
    unknown = sorted(set(role.extra_permissions or ()) - known_permissions())
    if unknown:
        raise DomainError(_("Unknown permission: %(p)s") % {"p": ", ".join(unknown)}, field="extra_permissions")
    old_extra = set(before.extra_permissions or ()) if before else set()
    new_extra = set(role.extra_permissions or ())
    explicit_changed = (old_extra ^ new_extra) & permissions.EXPLICIT_ONLY
    if explicit_changed:
        if role.user_id == actor.pk:
            raise WriteDenied(_("Nobody can grant themselves this permission."), field="extra_permissions")
        if not _may_grant_explicit(actor, role.council):
            raise WriteDenied(
                _("Only an administrator of a higher-level council grants or revokes “%(p)s”.")
                % {"p": ", ".join(sorted(explicit_changed))}, field="extra_permissions")
    if role.deputy_id and role.user_id == actor.pk:
        raise WriteDenied(_("Nobody can link their own account to a deputy record."), field="deputy")


def _log_grants(*, actor, role: CouncilRole, before: CouncilRole | None, deleted: bool = False) -> None:
    old = set(before.extra_permissions or ()) | ({f"role:{before.role}"} if before else set())
    new = set() if deleted else set(role.extra_permissions or ()) | {f"role:{role.role}"}
    rows = [PermissionGrant(council_id=role.council_id, user_id=role.user_id, permission=name, granted=True, by=actor)
            for name in sorted(new - old)]
    rows += [PermissionGrant(council_id=role.council_id, user_id=role.user_id, permission=name, granted=False,
                             by=actor) for name in sorted(old - new)]
    PermissionGrant.objects.bulk_create(rows)


def role_save(*, actor: User, role: CouncilRole, expected_version: int | None = None) -> CouncilRole:
    """Create or change a user's role on a council. An administrator manages roles of their own
    council only, never their own; explicit-only permissions need a higher-level administrator
    and are never self-granted; deputy and agency links stay within the council. Every grant and
    revocation is logged (PermissionGrant)."""
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        before = None
        if role.pk is not None:
            before = CouncilRole.objects.select_for_update().get(pk=role.pk)
            check_and_bump(role, expected_version)
        _role_permission_check(actor=actor, role=role, before=before)
        try:
            role.full_clean(exclude=["version"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise DomainError(messages[0], field=None if field == "__all__" else field) from None
        role.save()
        _log_grants(actor=actor, role=role, before=before)
    return role


def role_delete(*, actor: User, role: CouncilRole) -> None:
    with transaction.atomic():
        _role_permission_check(actor=actor, role=role, before=role)
        from . import permissions

        if set(role.extra_permissions or ()) & permissions.EXPLICIT_ONLY and not _may_grant_explicit(actor, role.council):
            raise WriteDenied(_("Only an administrator of a higher-level council revokes this permission."),
                              field="extra_permissions")
        _log_grants(actor=actor, role=role, before=role, deleted=True)
        role.delete()


def role_assign(*, user: User, council, role: str, deputy=None, agency=None, extra_permissions=(),
                actor: User | None = None) -> CouncilRole:
    """Give `user` a role (demo data and commands pass no actor: they act as the system)."""
    council_role = CouncilRole(user=user, council=council, role=role, deputy=deputy, agency=agency,
                               extra_permissions=list(extra_permissions))
    if actor is not None:
        return role_save(actor=actor, role=council_role)
    from django.core.exceptions import ValidationError

    try:
        council_role.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None
    council_role.save()
    return council_role
