"""Denouncer protection (Luật Tố cáo 2018, Điều 47; DOMAIN_RULES "Denouncer protection").

The one place that decides what of a sender's identity a reader sees. Lists, search results,
exports, PDFs and API lists are always redacted for denunciations; a detail page or API detail
discloses the identity only to a holder of can_view_denouncer_identity (granted only explicitly,
through CouncilRole.extra_permissions), and every disclosure is written to IdentityViewLog."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hdnd_portal.core.prefetch import rows_of

from .apps import VIEW_IDENTITY
from .models import IdentityViewLog, Letter, Visit
from .models.choices import REDACTED


def may_see_identity(access, council_id: int) -> bool:
    return access.has(council_id, VIEW_IDENTITY)


def is_protected(record) -> bool:
    return bool(getattr(record, "is_protected", False))


def people_summary(people, count: int, protected: bool, anonymous: bool = False) -> str:
    """One line for lists and exports: "Nguyễn Văn A and 4 others", or the redaction mark."""
    if anonymous:
        return str(_("Anonymous"))
    if protected:
        return str(REDACTED)
    people = list(people)
    if not people:
        return ""
    first = people[0].full_name
    others = max(count, len(people)) - 1
    if others <= 0:
        return first
    return ngettext("%(name)s and %(n)s other", "%(name)s and %(n)s others", others) % {"name": first, "n": others}


def sender_summary(letter: Letter) -> str:
    """Needs letter.senders prefetched (queries.visible_senders)."""
    return people_summary(rows_of(letter, "senders"), letter.signer_count, letter.is_protected, letter.is_anonymous)


def visitor_summary(visit: Visit) -> str:
    """Needs visit.citizens prefetched (queries.visible_citizens)."""
    return people_summary(rows_of(visit, "citizens"), visit.citizen_count, visit.is_protected)


def redacted_person(person) -> dict:
    return {
        "full_name": str(REDACTED),
        "address": str(REDACTED),
        "id_number": "",
        "phone": "",
        "email": "",
        "is_representative": person.is_representative,
    }


def log_view(
    *,
    request,
    council_id: int,
    letter: Letter | None = None,
    visit: Visit | None = None,
    via: str = IdentityViewLog.Via.PAGE,
) -> IdentityViewLog:
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return IdentityViewLog.objects.create(
        council_id=council_id, user=request.user, letter=letter, visit=visit, via=via, ip_address=ip or None
    )


def disclose(*, request, record, via: str = IdentityViewLog.Via.PAGE) -> bool:
    """Whether the reader of `record` (a Letter or Visit) sees its people's identity. A protected
    identity is disclosed only with the permission, and the disclosure is logged."""
    if not is_protected(record):
        return True
    if not may_see_identity(request.access if hasattr(request, "access") else _access(request), record.council_id):
        return False
    kwargs = {"letter": record} if isinstance(record, Letter) else {"visit": record}
    log_view(request=request, council_id=record.council_id, via=via, **kwargs)
    return True


def _access(request):
    from hdnd_portal.core.scoping import get_access

    return get_access(request.user)
