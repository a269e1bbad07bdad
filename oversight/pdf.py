"""The confidence-vote result table as PDF (WeasyPrint), in the administrative-document format,
with the Noto Serif files of the `fontpkg-noto-serif` package embedded (full Vietnamese
coverage, no dependence on the host's fonts and no network)."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

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


def font_faces() -> str:
    import fontpkg_noto_serif

    files = fontpkg_noto_serif.ROOT / "files"
    regular = next(files.glob("NotoSerif[[]*.ttf"), None) or next(files.glob("NotoSerif*.ttf"))
    italic = next(files.glob("NotoSerif-Italic*.ttf"), regular)
    return (
        f'@font-face {{ font-family: "Noto Serif"; src: url("{regular.as_uri()}"); font-weight: 100 900; }}\n'
        f'@font-face {{ font-family: "Noto Serif"; font-style: italic; src: url("{italic.as_uri()}"); '
        f"font-weight: 100 900; }}"
    )


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
            "font_faces": font_faces(),
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url="/").write_pdf()
