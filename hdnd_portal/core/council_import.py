"""Excel import of councils: the historical district councils and pre-merger commune councils
of a province (which no kept official list holds) entered from one sheet — a downloadable
template, every row checked, nothing written unless every row is valid (one transaction).

Each row goes through the same service as the council form and the API (services.council_save:
who may create, level / unit kind / parent / dates checked against each other). A row's parent,
predecessors and successors are given by administrative code, of a council already in the
portal or of a row above it in the same file — a district, then its communes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from .excel_import import cell_date, cell_text, header_matches, read_rows
from .exceptions import DomainError
from .exports import xlsx_bytes
from .forms_base import validate_upload
from .models import Council
from .search import fold

COLUMNS = [
    ("name", gettext_lazy("Name"), True),
    ("level", gettext_lazy("Level (province / district / commune)"), True),
    ("unit_kind", gettext_lazy("Unit kind (e.g. huyện, quận, xã, phường, thị trấn)"), True),
    ("code", gettext_lazy("Administrative code"), True),
    ("parent", gettext_lazy("Parent council's code (empty: the current council)"), False),
    ("established_on", gettext_lazy("Established on (dd/mm/yyyy)"), False),
    ("dissolved_on", gettext_lazy("Dissolved on (dd/mm/yyyy)"), False),
    ("predecessors", gettext_lazy("Predecessor councils' codes (separated by ;)"), False),
    ("successors", gettext_lazy("Successor councils' codes (separated by ;)"), False),
    ("place_name", gettext_lazy("Place name"), False),
]
MAX_ROWS = 5_000

LEVEL_WORDS = {
    "tinh": Council.Level.PROVINCE, "cap tinh": Council.Level.PROVINCE, "province": Council.Level.PROVINCE,
    "huyen": Council.Level.DISTRICT, "cap huyen": Council.Level.DISTRICT, "district": Council.Level.DISTRICT,
    "xa": Council.Level.COMMUNE, "cap xa": Council.Level.COMMUNE, "commune": Council.Level.COMMUNE,
}
# "Thành phố" names a centrally-run city at province level and a provincial city at district level.
CITY_BY_LEVEL = {Council.Level.PROVINCE: Council.UnitKind.CITY, Council.Level.DISTRICT: Council.UnitKind.PROVINCIAL_CITY}


def _unit_kind_words() -> dict[str, str]:
    words = {}
    for kind in Council.UnitKind:
        words[fold(kind.value)] = kind.value
        words[fold(kind.value.replace("_", " "))] = kind.value
        for language in ("vi", "en"):
            with override(language):
                words[fold(str(kind.label))] = kind.value
    words.pop("thanh pho", None)
    return words


def template_bytes() -> bytes:
    examples = [
        ["Huyện Đông Anh", "Huyện", "Huyện", "017", "", "", "30/06/2025", "", "", "Đông Anh"],
        ["Xã Kim Chung", "Xã", "Xã", "00520", "017", "", "30/06/2025", "", "", "Đông Anh"],
    ]
    return xlsx_bytes(str(_("Councils")), [str(c[1]) for c in COLUMNS], examples)


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[Council] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(";") if c.strip()]


def _read_rows(uploaded) -> list[tuple]:
    try:
        validate_upload(uploaded, (".xlsx",))
    except Exception as error:  # forms.ValidationError: wrong kind of file or too large
        raise DomainError(" ".join(str(m) for m in getattr(error, "messages", [error])), field="file") from None
    return read_rows(uploaded)


def council_import(*, actor, council: Council, uploaded) -> ImportResult:
    """Check every row and create every council in one transaction, or none: a row that fails
    (its own values, or the service refusing it) is listed with its line and reason."""
    from . import services

    rows = _read_rows(uploaded)
    result = ImportResult()
    if not rows:
        result.errors.append((1, _("The file is empty.")))
        return result
    if not header_matches(rows[0], COLUMNS):
        result.errors.append((1, _("The header row does not match the template; download the template and use it.")))
        return result
    data = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(cell_text(c) for c in r)]
    if len(data) > MAX_ROWS:
        result.errors.append((1, _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
        return result
    result.rows = len(data)
    labels = {key: str(label) for key, label, _required in COLUMNS}
    kinds = _unit_kind_words()
    wanted = set()
    for _line, raw in data:
        cells = [cell_text(c) for c in (list(raw) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        wanted.update([cells[4], *_codes(cells[7]), *_codes(cells[8])])
    # Councils named by code: only those the user sees (another province's reads as unknown).
    from .scoping import get_access

    found = Council.objects.filter(code__in=wanted - {""}).select_related("parent")
    visible = get_access(actor).visible_council_ids()
    known = {c.code: c for c in (found if visible is None else found.filter(id__in=visible))}
    with transaction.atomic():
        for line, raw in data:
            padded = (list(raw) + [None] * len(COLUMNS))[: len(COLUMNS)]
            values = dict(zip([c[0] for c in COLUMNS], [cell_text(c) for c in padded], strict=True))
            problems = []
            for key, label, required in COLUMNS:
                if required and not values[key]:
                    problems.append(_("%(column)s is empty") % {"column": label})
            level = LEVEL_WORDS.get(fold(values["level"])) if values["level"] else None
            if values["level"] and level is None:
                problems.append(_("unknown level “%(v)s”") % {"v": values["level"]})
            kind_word = fold(values["unit_kind"])
            unit_kind = CITY_BY_LEVEL.get(level) if kind_word == "thanh pho" else kinds.get(kind_word)
            if values["unit_kind"] and unit_kind is None:
                problems.append(_("unknown unit kind “%(v)s”") % {"v": values["unit_kind"]})
            dates = {}
            for key in ("established_on", "dissolved_on"):
                try:
                    dates[key] = cell_date(padded[[c[0] for c in COLUMNS].index(key)])
                except (ValueError, TypeError):
                    problems.append(_("%(column)s: “%(v)s” is not dd/mm/yyyy") % {"column": labels[key], "v": values[key]})
            parent = council
            if values["parent"]:
                parent = known.get(values["parent"])
                if parent is None:
                    problems.append(_("no council with code %(v)s (in the portal or in a row above)") % {"v": values["parent"]})
            linked = {}
            for key in ("predecessors", "successors"):
                linked[key] = []
                for code in _codes(values[key]):
                    other = known.get(code)
                    if other is None:
                        problems.append(_("%(column)s: no council with code %(v)s") % {"column": labels[key], "v": code})
                    else:
                        linked[key].append(other)
            if problems:
                result.errors.append((line, "; ".join(str(p) for p in problems)))
                continue
            new = Council(name=values["name"], level=level, unit_kind=unit_kind, code=values["code"], parent=parent,
                          place_name=values["place_name"], **dates)
            try:
                with transaction.atomic():
                    services.council_save(actor=actor, council=new, predecessors=linked["predecessors"])
                    for successor in linked["successors"]:
                        services.council_add_predecessor(actor=actor, council=successor, predecessor=new)
            except DomainError as error:
                label = labels.get(error.field or "", "")
                result.errors.append((line, f"{label}: {error.message}" if label else str(error.message)))
                continue
            known[new.code] = new
            result.created.append(new)
        if result.errors:
            transaction.set_rollback(True)
            result.created = []
    return result
