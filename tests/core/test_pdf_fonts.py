"""The PDFs' fonts: four static Noto Serif faces, cut once from the package's variable fonts, with
every Vietnamese letter."""

from fontTools.ttLib import TTFont

from hdnd_portal.core.pdf_fonts import FACES, font_face_css, font_files


def test_the_four_faces_are_static_fonts_with_every_vietnamese_letter():
    files = font_files()
    assert set(files) == {"regular", "bold", "italic", "bolditalic"}
    for face, path in files.items():
        font = TTFont(path)
        assert "fvar" not in font and "gvar" not in font  # static: WeasyPrint embeds it as it is
        assert font["OS/2"].usWeightClass == FACES[face][1]
        cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in "ẮẰẲẴẶắằẳẵặỆệỘộỞởỠỡỨứỰựỲỳỸỹĐđ")


def test_font_face_css_declares_each_face_with_its_weight_and_style():
    css = font_face_css("Report Serif")
    assert css.count("@font-face") == 4
    assert 'font-family: "Report Serif"' in css
    assert "font-style: italic; font-weight: 700" in css
    assert "file://" in css and "[wdth,wght]" not in css
