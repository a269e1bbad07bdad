"""Core use cases that are more than a field edit. Keyword-only, atomic; pages and API call these."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import Body, CalendarException, CouncilRole, Membership, User
from .workdays import invalidate_exceptions


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


def calendar_exception_save(*, exception: CalendarException) -> CalendarException:
    exception.save()
    transaction.on_commit(invalidate_exceptions)
    return exception


def role_assign(*, user: User, council, role: str, deputy=None, agency=None, extra_permissions=()) -> CouncilRole:
    council_role = CouncilRole(user=user, council=council, role=role, deputy=deputy, agency=agency,
                               extra_permissions=list(extra_permissions))
    from django.core.exceptions import ValidationError

    try:
        council_role.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None
    council_role.save()
    return council_role
