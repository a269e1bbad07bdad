"""Database errors in words a user can read.

A constraint that the database enforces is reported by name; each model declares its own
message with Django's `violation_error_message`, and this module finds it by that name, so a
violation caught at the database (a concurrent insert, a path that skipped full_clean) reads the
same as one caught by validation. Other integrity and data errors get a general message."""

from functools import lru_cache

from django.apps import apps
from django.utils.translation import gettext as _


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[object, str | None]]:
    """constraint name → (message, field) for every model constraint and unique field of the portal."""
    found: dict[str, tuple[object, str | None]] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = getattr(constraint, "violation_error_message", None)
            fields = list(getattr(constraint, "fields", ()) or ())
            field = getattr(constraint, "violation_error_field", None) or (fields[-1] if len(fields) == 1 else None)
            if message:
                found[constraint.name] = (message, field)
    return found


def constraint_info(error: Exception) -> tuple[str, str | None]:
    """(message, field) for a database error."""
    cause = getattr(error, "__cause__", None)
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name and name in _by_name():
        message, field = _by_name()[name]
        return str(message), field
    code = getattr(cause, "pgcode", None) or ""
    if code == "23505":
        return _("A record with these values already exists."), None
    if code == "23503":
        return _("A related record does not exist or is still in use."), None
    if code == "22001":
        return _("A text is longer than the field allows."), None
    if code.startswith("22"):
        return _("A value is not valid for its field."), None
    if code == "23514":
        return _("The values do not satisfy a rule of this record."), None
    return _("The data could not be saved; check the values and try again."), None


def constraint_message(error: Exception) -> str:
    return constraint_info(error)[0]
