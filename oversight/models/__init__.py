"""Oversight models: programmes, activities, recommendations, questioning, explanation,
commitments and confidence votes. Split by area; import everything from here."""

from .activities import (
    ActivityKind,
    ConductingLevel,
    Evidence,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Recommendation,
    RecommendationReport,
)
from .commitments import Commitment, CommitmentMilestone, CommitmentUpdate
from .confidence import ConfidenceSubject, ConfidenceVote
from .questioning import (
    QUESTIONABLE_POSTS,
    ExplanationSession,
    IssueGroup,
    Post,
    Question,
    QuestioningSession,
    Respondent,
    RespondentReport,
)

__all__ = [
    "QUESTIONABLE_POSTS",
    "ActivityKind",
    "Commitment",
    "CommitmentMilestone",
    "CommitmentUpdate",
    "ConductingLevel",
    "ConfidenceSubject",
    "ConfidenceVote",
    "Evidence",
    "ExplanationSession",
    "IssueGroup",
    "OversightActivity",
    "OversightProgramme",
    "PlannedTopic",
    "Post",
    "Question",
    "QuestioningSession",
    "Recommendation",
    "RecommendationReport",
    "Respondent",
    "RespondentReport",
]
