"""PDF documents of the citizens app, in the national administrative format (A4, serif font with
full Vietnamese coverage embedded through @font-face: hdnd_portal.core.pdf_fonts)."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from hdnd_portal.core.pdf_fonts import font_face_css

from . import deadlines as dl
from .models import Letter


def date_line(place: str, on: date) -> str:
    """“Hà Nội, ngày 05 tháng 01 năm 2024” — days below 10 and months 1–2 zero-padded."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def render_html(template: str, context: dict) -> str:
    with translation.override("vi"):
        return render_to_string(template, {"font_faces": font_face_css("Portal Serif"), **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///").write_pdf()


def forwarding_html(letter: Letter) -> str:
    """The forwarding document (phiếu chuyển đơn). For a denunciation the denouncer's identity is
    left out (Luật Tố cáo 2018, Điều 47): the agency receives a redacted copy."""
    report = next(
        (
            d
            for d in dl.deadlines_of(letter)
            if d.kind in (dl.AGENCY_REPORT, dl.COMPLAINT_ACCEPT, dl.RECOMMENDATION_RESOLVE)
        ),
        None,
    )
    senders = [] if letter.is_protected or letter.is_anonymous else list(letter.senders.all())
    council = letter.council
    return render_html(
        "citizens/pdf/forwarding.html",
        {
            "letter": letter,
            "council": council,
            "senders": senders,
            "place_date": date_line(council.place_name or council.name, letter.decided_on or letter.received_on),
            "report_deadline": report,
        },
    )


def forwarding_pdf(letter: Letter) -> bytes:
    return html_to_pdf(forwarding_html(letter))
