"""Citizen reception (tiếp công dân) and letters (đơn thư).

Denouncer protection (Luật Tố cáo 2018, Điều 47): the identity of people who file a
denunciation lives only in VisitCitizen, LetterSender and LetterScan — never in the
search_text, title or deadline title of a Visit or Letter — and is read through
citizens.identity, which redacts it and logs every disclosure."""

from .letters import IdentityViewLog, Letter, LetterScan, LetterSender
from .reception import Case, ReceptionDay, ReceptionSchedule, ReceptionSubstitution, Visit, VisitCitizen

__all__ = [
    "Case",
    "IdentityViewLog",
    "Letter",
    "LetterScan",
    "LetterSender",
    "ReceptionDay",
    "ReceptionSchedule",
    "ReceptionSubstitution",
    "Visit",
    "VisitCitizen",
]
