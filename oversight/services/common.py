"""Small helpers shared by the oversight services."""

from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError


def same_council(obj, council_id: int, field: str) -> None:
    """Refuse a related record of another council (every form and API call passes through here)."""
    if obj is not None and getattr(obj, "council_id", council_id) != council_id:
        raise DomainError(_("This record belongs to another council."), field=field)


def require_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def date_order(start, end, field: str) -> None:
    if start and end and end < start:
        raise DomainError(_("The end cannot be before the start."), field=field)
