"""The confidence-vote result table as PDF (WeasyPrint), in the administrative-document format,
with the static Noto Serif faces of hdnd_portal.core.pdf_fonts embedded (full Vietnamese
coverage, no dependence on the host's fonts and no network)."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from hdnd_portal.core.pdf_fonts import font_face_css

from .models import ConfidenceSubject, ConfidenceVote
from .services.confidence import percent


@dataclass
class Row:
    subject: ConfidenceSubject
    high_pct: float
    confidence_pct: float
    low_pct: float


def confidence_rows(vote: ConfidenceVote, subjects) -> list[Row]:
    total = vote.total_deputies
    return [Row(s, percent(s.high, total), percent(s.confidence, total), percent(s.low, total)) for s in subjects]


def render_confidence_pdf(vote: ConfidenceVote) -> bytes:
    from weasyprint import HTML

    from .queries import confidence_subjects
    from .services.confidence import thresholds

    html = render_to_string(
        "oversight/pdf/confidence.html",
        {
            "vote": vote,
            "council": vote.council,
            "rows": confidence_rows(vote, confidence_subjects(vote)),
            "limits": thresholds(vote.council, vote.held_on),
            "font_faces": font_face_css("Noto Serif"),
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url="/").write_pdf()
