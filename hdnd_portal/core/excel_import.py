"""What every Excel import of the portal shares (petitions: voters/importer.py; councils:
core/council_import.py): reading the first sheet, a cell as text or as a dd/mm/yyyy date, the
header row checked against the template's columns in either interface language."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from .exceptions import DomainError
from .search import fold


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def cell_date(value) -> date | None:
    """A date cell, or a text cell written dd/mm/yyyy (ValueError otherwise)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.strptime(str(value).strip(), "%d/%m/%Y").date()


def read_rows(uploaded) -> list[tuple]:
    """The first sheet's rows (the file has passed the upload validator)."""
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as error:  # not a readable workbook
        raise DomainError(_("The file is not a readable Excel workbook (%(e)s).") % {"e": error}, field="file")
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def header_matches(row, columns) -> bool:
    """The header row is the template's (columns: (key, label, required)), downloaded in either
    interface language."""
    header = [fold(cell_text(c)) for c in row][: len(columns)]
    for language in ("vi", "en"):
        with override(language):
            if header == [fold(str(c[1])) for c in columns]:
                return True
    return False
