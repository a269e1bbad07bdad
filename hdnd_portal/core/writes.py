"""The one guarded write path. Pages (core.views.generic.DomainErrorFormMixin and its subclasses)
and the API (core.api.CouncilScopedViewSet) both come through here before an app's service
saves a record, so that neither door can skip a check:

- the acting user holds the write permission on the record's council;
- every related record a new value points to belongs to the same council, or to one where the
  user holds the same permission (a council reference must be one the user can see);
- the record's council never changes (also enforced by PortalModel.save on every road);
- an update names the version it was made on; a stale one is refused (check_and_bump).
"""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext as _

from .concurrency import check_and_bump
from .exceptions import DomainError
from .scoping import get_access


class WriteDenied(DomainError):
    """The user may not write here (403 in the API, a form error on pages)."""


def _items(value) -> Iterable:
    """The records a value points to: one record, a list of them, or a related manager/queryset."""
    if isinstance(value, models.Model):
        return (value,)
    if isinstance(value, (list, tuple, set)):
        return value
    if hasattr(value, "all"):
        return value.all()
    return ()


def check_council_write(*, user, council_id: int | None, permission: str | None) -> None:
    """403 (WriteDenied) on a council the user sees but may not write; 400 on one it cannot see."""
    if council_id is None:
        raise DomainError(_("Choose a council you can edit."), field="council")
    access = get_access(user)
    if permission and not access.has(council_id, permission):
        visible = access.visible_council_ids()
        if visible is None or council_id in visible:
            raise WriteDenied(_("You lack the permission on this council."), field="council")
        raise DomainError(_("Choose a council you can edit."), field="council")


def check_relations(*, user, council_id: int | None, values: dict, permission: str | None) -> None:
    """Refuse values that point into another council the user may not write."""
    from .models import Council

    access = get_access(user)
    visible = access.visible_council_ids()
    for name, value in values.items():
        if name == "council":
            continue
        for item in _items(value):
            if isinstance(item, Council):
                if visible is not None and item.pk not in visible:
                    raise DomainError(_("Choose a council you can see."), field=name)
                continue
            related = getattr(item, "council_id", None)
            if related is None or council_id is None or related == council_id:
                continue
            if permission and access.has(related, permission):
                continue
            raise DomainError(_("This record belongs to another council."), field=name)


def check_council_unchanged(instance, values: dict) -> None:
    new = values.get("council")
    if new is None or instance.pk is None:
        return
    new_id = new.pk if isinstance(new, models.Model) else new
    if getattr(instance, "council_id", None) not in (None, new_id):
        raise DomainError(_("A record cannot be moved to another council."), field="council")


def guard_create(*, user, council_id: int | None, values: dict, permission: str | None) -> None:
    check_council_write(user=user, council_id=council_id, permission=permission)
    check_relations(user=user, council_id=council_id, values=values, permission=permission)


def guard_update(*, user, instance, values: dict, permission: str | None, expected_version: int | None,
                 council_id: int | None = None) -> None:
    """Checks for an update; must run inside the transaction that saves (check_and_bump locks the row)."""
    check_council_unchanged(instance, values)
    council_id = council_id if council_id is not None else getattr(instance, "council_id", None)
    if council_id is not None:
        check_council_write(user=user, council_id=council_id, permission=permission)
    check_relations(user=user, council_id=council_id, values=values, permission=permission)
    check_and_bump(instance, expected_version)
