"""Every oversight write: keyword-only, atomic, one use case each. Pages, API and tasks call these.

Other apps (voters) call `commitment_create` with exactly its documented signature."""

from .activities import (
    activity_save,
    programme_save,
    recommendation_create,
    recommendation_deadline,
    recommendation_evaluate,
    recommendation_report,
    recommendation_update,
    topic_save,
)
from .commitments import (
    commitment_create,
    commitment_milestone_add,
    commitment_milestone_save,
    commitment_progress_report,
    commitment_update,
)
from .confidence import confidence_outcome, confidence_subject_save, confidence_vote_save, percent, thresholds
from .questioning import (
    explanation_save,
    issue_group_add,
    question_answer,
    question_ask,
    questioning_conclude,
    questioning_session_save,
    respondent_add,
    respondent_report_receive,
    respondent_reports_schedule,
)

__all__ = [
    "activity_save",
    "commitment_create",
    "commitment_milestone_add",
    "commitment_milestone_save",
    "commitment_progress_report",
    "commitment_update",
    "confidence_outcome",
    "confidence_subject_save",
    "confidence_vote_save",
    "explanation_save",
    "issue_group_add",
    "percent",
    "programme_save",
    "question_answer",
    "question_ask",
    "questioning_conclude",
    "questioning_session_save",
    "recommendation_create",
    "recommendation_deadline",
    "recommendation_evaluate",
    "recommendation_report",
    "recommendation_update",
    "respondent_add",
    "respondent_report_receive",
    "respondent_reports_schedule",
    "thresholds",
    "topic_save",
]
