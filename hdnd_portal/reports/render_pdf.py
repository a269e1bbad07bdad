"""The report as PDF (WeasyPrint) in the national administrative-document format: A4, margins
top/bottom 20 mm, left 30 mm, right 15 mm, Noto Serif 13 pt (static faces, see
hdnd_portal.core.pdf_fonts) through @font-face file:// URLs. Only local files may be fetched: the
url_fetcher refuses anything that is not file://, so a report never reaches the network."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from hdnd_portal.core.pdf_fonts import font_face_css

from .document import Document

# The family name the report templates use (reports/pdf/report.html, programmes/pdf/programme.html).
FAMILY = "Report Serif"


def local_only_fetcher(url: str, *args, **kwargs):
    from weasyprint import default_url_fetcher

    if not url.startswith("file://"):
        raise ValueError(f"refusing to fetch {url!r}: reports load local files only")
    return default_url_fetcher(url, *args, **kwargs)


def render_html(document: Document) -> str:
    with override("vi"):
        return render_to_string(
            "reports/pdf/report.html",
            {"doc": document, "font_faces": font_face_css(FAMILY), "columns": [_("Indicator"), *document.columns]},
        )


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(document), url_fetcher=local_only_fetcher, base_url="file:///").write_pdf()
