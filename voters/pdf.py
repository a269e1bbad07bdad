"""The forwarding letter as PDF (WeasyPrint), in the national administrative-document format.

Fonts come from the pip package fontpkg_noto_serif through @font-face file:// URLs, so every
Vietnamese diacritic renders whatever the host has installed; nothing is fetched from the network."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import override


def font_faces() -> dict[str, str]:
    import fontpkg_noto_serif

    files = Path(fontpkg_noto_serif.ROOT) / "files"
    regular = next(p for p in files.iterdir() if p.name.startswith("NotoSerif[") or p.name == "NotoSerif-Regular.ttf")
    italic = next((p for p in files.iterdir() if "Italic" in p.name), regular)
    return {"regular": regular.as_uri(), "italic": italic.as_uri()}


def _local_only(url: str):
    from weasyprint import default_url_fetcher

    if not url.startswith("file://"):
        raise ValueError(f"refusing to fetch {url}")
    return default_url_fetcher(url)


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with override("vi"):
        html = render_to_string(template, {**context, "fonts": font_faces()})
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
