"""Every oversight write: keyword-only, atomic, one use case each. Pages, API and tasks call these.

Other apps (voters) call `commitment_create` with exactly its documented signature."""

from .commitments import (
    commitment_create,
    commitment_milestone_add,
    commitment_progress_report,
)

__all__ = ["commitment_create", "commitment_milestone_add", "commitment_progress_report"]
