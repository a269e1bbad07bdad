"""A list page's cells (core.views.generic.Column): the text Django's own formatting gives — dates in
the short format of the active language, datetimes in the portal's time zone, choice labels
translated — computed with the language read once per page."""

from datetime import UTC, date, datetime

import pytest
from django.utils import dateformat, formats, translation

from citizens.models import Letter
from hdnd_portal.core.views import generic
from hdnd_portal.core.views.generic import Column


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_cells_read_as_djangos_own_formatting(lang):
    letter = Letter(received_on=date(2026, 3, 7), status="accepted", kind="complaint")
    letter.created_at = datetime(2026, 12, 31, 18, 5, tzinfo=UTC)  # 1 January in Hà Nội
    with translation.override(lang):
        assert Column("received_on", "").display(letter) == formats.date_format(letter.received_on, "SHORT_DATE_FORMAT")
        assert Column("received_on", "").display(letter, lang) == "07/03/2026"
        assert Column("created_at", "").display(letter, lang) == "01/01/2027 01:05"
        for name in ("status", "kind"):
            column = Column(f"get_{name}_display", "")
            assert column.display(letter, lang) == getattr(letter, f"get_{name}_display")() == column.display(letter)
    with translation.override("vi"):
        assert Column("get_status_display", "").display(letter) != Column("get_status_display", "").display(letter, "en")


def test_a_format_with_other_codes_goes_through_django(monkeypatch):
    monkeypatch.setattr(generic, "_DATE_FORMATTERS", {})
    monkeypatch.setattr(generic.formats, "get_format", lambda name, lang=None, use_l10n=None: "D, j N Y")
    monkeypatch.setattr(generic.formats, "date_format", lambda value, format: dateformat.format(value, "D, j N Y"))
    with translation.override("en"):
        assert generic.date_text(date(2026, 3, 7), "SHORT_DATE_FORMAT", "en") == "Sat, 7 March 2026"
