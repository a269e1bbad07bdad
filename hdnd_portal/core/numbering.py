"""Document numbers: sequential per issuing body, type series and calendar year, restarting at
01 on 1 January, zero-padded below 10, never reused. "12/NQ-HĐND", "06/2021/NQ-HĐND", "71/BC-HĐND".

The counter row is locked (SELECT … FOR UPDATE) so two numbers issued at the same moment differ.
Whether all document types share one counter is a per-council rule (numbering.shared_series)."""

from datetime import date

from django.db import IntegrityError, transaction

from .models import Council, DocumentCounter
from .rules import RuleMissing, rule_value

NORMATIVE_SERIES = "QPPL"


def _shared_series(council: Council, on: date) -> bool:
    try:
        return bool(rule_value("numbering.shared_series", council, on))
    except RuleMissing:
        return False


def next_number(*, council: Council, doc_type: str, on: date, issuer: str = "HĐND", normative: bool = False) -> tuple[int, str]:
    """Reserve the next number; returns (sequence, formatted number). Runs in its own atomic block."""
    if normative:
        series = NORMATIVE_SERIES
    else:
        series = "ALL" if _shared_series(council, on) else doc_type
    with transaction.atomic():
        counter = _locked_counter(council, issuer, series, on.year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    sequence = counter.last_number
    return sequence, format_number(sequence, doc_type, issuer, on.year if normative else None)


def format_number(sequence: int, doc_type: str, issuer: str = "HĐND", year: int | None = None) -> str:
    middle = f"/{year}" if year else ""
    return f"{sequence:02d}{middle}/{doc_type}-{issuer}"


def _locked_counter(council: Council, issuer: str, series: str, year: int) -> DocumentCounter:
    lookup = dict(council=council, issuer=issuer, series=series, year=year)
    try:
        return DocumentCounter.objects.select_for_update().get(**lookup)
    except DocumentCounter.DoesNotExist:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(**lookup)
        except IntegrityError:
            pass  # created concurrently by another transaction; lock it below
        return DocumentCounter.objects.select_for_update().get(**lookup)
