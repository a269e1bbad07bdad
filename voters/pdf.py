"""The forwarding letter as PDF (WeasyPrint), in the national administrative-document format.

Fonts are the static Noto Serif faces of hdnd_portal.core.pdf_fonts through @font-face file:// URLs,
so every Vietnamese diacritic renders whatever the host has installed; nothing is fetched from the
network."""

from django.template.loader import render_to_string
from django.utils.translation import override

from hdnd_portal.core.pdf_fonts import font_face_css


def _local_only(url: str):
    from weasyprint import default_url_fetcher

    if not url.startswith("file://"):
        raise ValueError(f"refusing to fetch {url}")
    return default_url_fetcher(url)


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with override("vi"):
        html = render_to_string(template, {**context, "font_faces": font_face_css("Portal Serif")})
    return HTML(string=html, url_fetcher=_local_only, base_url="file:///").write_pdf()


def forwarding_letter_pdf(letter, petitions) -> bytes:
    council = letter.council
    return render_pdf(
        "voters/pdf/forwarding_letter.html",
        {
            "letter": letter,
            "council": council,
            "petitions": petitions,
            "agency": letter.agency,
            "place": council.place_name or council.name,
        },
    )
