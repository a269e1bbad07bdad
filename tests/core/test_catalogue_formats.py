"""Every committed Vietnamese catalogue compiles as Django's compilemessages compiles it (with
msgfmt --check-format): ./run recompiles a catalogue whose .mo looks older than its .po, which a
fresh clone can give, and one bad format string stopped the portal from starting."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(p for p in Path(settings.BASE_DIR).glob("**/locale/vi/LC_MESSAGES/django.po")
                    if ".venv" not in p.parts and "var" not in p.relative_to(settings.BASE_DIR).parts)


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 9


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_catalogue_compiles_with_its_format_checks(po, tmp_path):
    result = subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
