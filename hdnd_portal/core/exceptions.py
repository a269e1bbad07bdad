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
