"""Small helpers shared by the oversight services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.writes import check_council_write


def same_council(obj, council_id: int, field: str) -> None:
    """Refuse a related record of another council (every form and API call passes through here)."""
    if obj is not None and getattr(obj, "council_id", council_id) != council_id:
        raise DomainError(_("This record belongs to another council."), field=field)


def require_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def check_constraints(obj) -> None:
    """The model's own constraints, checked before saving: a violation is a DomainError with the
    constraint's translated message on its field (oversight.models.constraints), the same words
    the database error would give (hdnd_portal.core.constraints). Deferred fields are left out:
    loading one would refresh the record's remembered version in the middle of a guarded update."""
    deferred = obj.get_deferred_fields()
    for constraint in type(obj)._meta.constraints:
        try:
            constraint.validate(type(obj), obj, exclude=deferred)
        except ValidationError:
            raise DomainError(
                str(constraint.violation_error_message), field=getattr(constraint, "violation_error_field", None)
            ) from None


def require_permission(user, council_id: int, permission: str) -> None:
    """The acting user holds `permission` on the record's council (WriteDenied, a 403, if not).
    `user=None` is the system itself (imports, tasks, demo data), never a request."""
    if user is not None:
        check_council_write(user=user, council_id=council_id, permission=permission)


DOCUMENTS = (".pdf", ".docx", ".xlsx", ".doc")
EVIDENCE = (".pdf", ".docx", ".xlsx", ".doc", ".xls", ".jpg", ".jpeg", ".png")


def checked_file(uploaded, allowed: tuple[str, ...], field: str):
    """Every stored file passes the one upload check (core.forms_base.validate_upload), whichever
    door it came in by; the pages' and API's fields ran it already, importers and tasks did not."""
    from django import forms

    from hdnd_portal.core.forms_base import validate_upload

    if not uploaded:
        return uploaded
    try:
        validate_upload(uploaded, allowed)
    except forms.ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None
    return uploaded
