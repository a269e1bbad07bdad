from .documents import DocumentRead, DocumentVersion, SessionDocument, Verification
from .minutes import SessionMinutes
from .polls import Choice, Poll, PollBallot, PollCounter, PollEntitlement, PollParticipation
from .resolutions import Resolution, Vote
from .session import AgendaItem, Attendance, CouncilSession, IssueGroup, ResolutionKind, Threshold

__all__ = [
    "AgendaItem",
    "Attendance",
    "Choice",
    "CouncilSession",
    "DocumentRead",
    "DocumentVersion",
    "IssueGroup",
    "Poll",
    "PollBallot",
    "PollCounter",
    "PollEntitlement",
    "PollParticipation",
    "Resolution",
    "ResolutionKind",
    "SessionDocument",
    "SessionMinutes",
    "Threshold",
    "Verification",
    "Vote",
]
