"""Oversight models: programmes, activities, recommendations, questioning, explanation,
commitments and confidence votes. Split by area; import everything from here."""

from .commitments import Commitment, CommitmentMilestone, CommitmentUpdate

__all__ = ["Commitment", "CommitmentMilestone", "CommitmentUpdate"]
