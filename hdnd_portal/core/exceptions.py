"""Domain errors: each carries a translated message. Pages turn them into form errors,
the API into {"message", "extra"} (see core.api.exception_handler)."""

from typing import Any


class DomainError(Exception):
    """A business rule refused the action. `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None, extra: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def __str__(self) -> str:
        return str(self.message)


class StaleEditError(DomainError):
    """The record changed since the form was opened; `extra` lists what changed."""


class VersionRequired(DomainError):
    """An update did not say (or garbled) which version of the record it was made on."""

    def __init__(self, invalid: bool = False) -> None:
        from django.utils.translation import gettext as _

        message = (_("“version” must be the whole number of the version you edited.") if invalid
                   else _("An update must send “version”, the version of the record you edited."))
        super().__init__(message, field="version")
