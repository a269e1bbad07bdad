"""The one typeface of every PDF the portal prints: Noto Serif (pip package fontpkg-noto-serif, SIL
Open Font License, full Vietnamese coverage), a Times-like serif for the administrative format of
Nghị định 30/2020.

The package ships variable fonts only, and WeasyPrint instantiates a variable font on every render
(seconds per PDF). So the four static faces a document uses — Regular, Bold, Italic, Bold Italic —
are cut from it once with fontTools' instancer and kept on disk under
VAR_DIR/fonts/noto-serif-<package version>/ (`prepare` makes them; the first render does, if not).
Every renderer embeds these files through `font_face_css()` (file:// URLs, nothing fetched from the
network, nothing depending on the host's fonts)."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# face → (variable font file in the package, weight, CSS font-style)
FACES = {
    "regular": ("NotoSerif[wdth,wght].ttf", 400, "normal"),
    "bold": ("NotoSerif[wdth,wght].ttf", 700, "normal"),
    "italic": ("NotoSerif-Italic[wdth,wght].ttf", 400, "italic"),
    "bolditalic": ("NotoSerif-Italic[wdth,wght].ttf", 700, "italic"),
}
_lock = threading.Lock()


def font_dir() -> Path:
    from importlib.metadata import version

    return Path(settings.VAR_DIR) / "fonts" / f"noto-serif-{version('fontpkg-noto-serif')}"


def _instantiate(source: Path, weight: int, target: Path) -> None:
    """Cut the static face at `weight` (normal width) and write it atomically (a concurrent process
    never sees half a file; two processes racing write the same bytes)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    quiet = logging.getLogger("fontTools")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # its INFO lines narrate every table it rewrites
    try:
        static = instancer.instantiateVariableFont(TTFont(source), {"wght": weight, "wdth": 100})
    finally:
        quiet.setLevel(level)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        static.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """face → path of its static TrueType file, made the first time (once per machine)."""
    import fontpkg_noto_serif

    source_dir = Path(fontpkg_noto_serif.ROOT) / "files"
    directory = font_dir()
    files = {face: directory / f"NotoSerif-{face}.ttf" for face in FACES}
    with _lock:
        for face, (source, weight, _style) in FACES.items():
            if not files[face].exists():
                _instantiate(source_dir / source, weight, files[face])
    return files


def font_face_css(family: str) -> SafeString:
    """The @font-face rules of `family` (Regular, Bold, Italic, Bold Italic), for a PDF template."""
    files = font_files()
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{files[face].as_uri()}"); '
        f"font-style: {style}; font-weight: {weight}; }}"
        for face, (_source, weight, style) in FACES.items()
    ]
    return mark_safe("\n".join(rules))
