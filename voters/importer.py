"""Excel import of petitions: a downloadable template, row-by-row validation, and nothing
written unless every row is valid (one transaction, bulk inserts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from hdnd_portal.core.excel_import import cell_date, cell_text, header_matches, read_rows
from hdnd_portal.core.exports import xlsx_bytes
from hdnd_portal.core.models import Body, Council, Deputy, Field
from hdnd_portal.core.search import fold

from .models import TEXT_MAX, Petition, PetitionSource, VoterMeeting
from .queries import parse_id
from .services import check_upload, default_committee

COLUMNS = [
    ("content", gettext_lazy("Content"), True),
    ("kind", gettext_lazy("Kind (petition / opinion)"), False),
    ("field", gettext_lazy("Field"), False),
    ("locality", gettext_lazy("Locality"), False),
    ("level", gettext_lazy("Competence level (central / province / commune / district)"), False),
    ("committee", gettext_lazy("Responsible committee"), False),
    ("received_on", gettext_lazy("Received on (dd/mm/yyyy)"), False),
    ("meeting", gettext_lazy("Meeting number"), False),
    ("deputies", gettext_lazy("Deputies who took it (separated by ;)"), False),
    ("urgent", gettext_lazy("Urgent (yes / no)"), False),
]
MAX_ROWS = 20_000

KIND_WORDS = {
    "kien nghi": Petition.Kind.PETITION,
    "petition": Petition.Kind.PETITION,
    "y kien": Petition.Kind.OPINION,
    "opinion": Petition.Kind.OPINION,
}
LEVEL_WORDS = {
    "trung uong": "central",
    "central": "central",
    "tinh": "province",
    "thanh pho": "province",
    "province": "province",
    "xa": "commune",
    "phuong": "commune",
    "commune": "commune",
    "huyen": "district",
    "quan": "district",
    "district": "district",
}
YES = {"co", "x", "yes", "1", "true", "khan"}
NO = {"", "khong", "no", "0", "false"}


def template_bytes() -> bytes:
    example = [
        "Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp",
        "Kiến nghị",
        "Giao thông",
        "Xã Đông Anh",
        "Tỉnh",
        "",
        timezone.localdate().strftime("%d/%m/%Y"),
        "",
        "",
        "không",
    ]
    return xlsx_bytes(str(_("Petitions")), [str(c[1]) for c in COLUMNS], [example])


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def petition_import(*, council: Council, uploaded, user=None, commit: bool = True) -> ImportResult:
    """Validate every row; if all are valid, create all petitions in one transaction.

    Before a single row is read: the user may import into `council` (when a user is given), and
    the file passes the one upload validator (an .xlsx by its signature, within the size limit)."""
    if user is not None:
        from hdnd_portal.core.writes import check_council_write

        check_council_write(user=user, council_id=council.id, permission="can_import_petition")
    check_upload(uploaded, (".xlsx",), "file")
    rows = read_rows(uploaded)
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
    fields = {}
    for f in Field.objects.all():
        fields[fold(f.name)] = f
        fields[fold(f.code)] = f
    committees = {}
    for b in Body.objects.filter(council=council, kind=Body.Kind.COMMITTEE):
        committees[fold(b.name)] = b
        if b.abbreviation:
            committees[fold(b.abbreviation)] = b
    deputies: dict[str, list[Deputy]] = {}
    for d in Deputy.objects.filter(council=council).only("id", "full_name"):
        deputies.setdefault(fold(d.full_name), []).append(d)
    meetings = dict(VoterMeeting.objects.filter(council=council).values_list("pk", "date"))
    default_level = "commune" if council.level == Council.Level.COMMUNE else "province"
    today = timezone.localdate()
    committee_cache: dict[int | None, Body | None] = {}
    parsed = []
    for line, raw in data:
        cells = [cell_text(c) for c in (list(raw) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        values = dict(zip([c[0] for c in COLUMNS], cells, strict=True))
        problems = []
        if not values["content"]:
            problems.append(_("the content is empty"))
        elif len(values["content"]) > TEXT_MAX:
            problems.append(
                _("the content has %(n)s characters; at most %(limit)s are allowed")
                % {"n": len(values["content"]), "limit": TEXT_MAX}
            )
        if len(values["locality"]) > 200:
            problems.append(_("the locality is longer than %(limit)s characters") % {"limit": 200})
        kind = KIND_WORDS.get(fold(values["kind"]), None) if values["kind"] else Petition.Kind.PETITION
        if kind is None:
            problems.append(_("unknown kind “%(v)s”") % {"v": values["kind"]})
        field_obj = None
        if values["field"]:
            field_obj = fields.get(fold(values["field"]))
            if field_obj is None:
                problems.append(_("unknown field “%(v)s”") % {"v": values["field"]})
        level = LEVEL_WORDS.get(fold(values["level"])) if values["level"] else default_level
        if level is None:
            problems.append(_("unknown competence level “%(v)s”") % {"v": values["level"]})
        committee = None
        if values["committee"]:
            committee = committees.get(fold(values["committee"]))
            if committee is None:
                problems.append(_("unknown committee “%(v)s”") % {"v": values["committee"]})
        received = None
        try:
            received = cell_date(raw[6] if len(raw) > 6 else None)
        except (ValueError, TypeError):
            problems.append(_("the date “%(v)s” is not dd/mm/yyyy") % {"v": values["received_on"]})
        if received and received > today:
            problems.append(_("the date %(v)s is in the future") % {"v": received.strftime("%d/%m/%Y")})
        meeting_id = None
        if values["meeting"]:
            if parse_id(values["meeting"]) not in meetings:
                problems.append(_("no meeting number %(v)s in this council") % {"v": values["meeting"]})
            else:
                meeting_id = parse_id(values["meeting"])
                received = received or meetings[meeting_id]
        deputy_ids = []
        for name in filter(None, (n.strip() for n in values["deputies"].split(";"))):
            found = deputies.get(fold(name), [])
            if len(found) != 1:
                problems.append(
                    (_("no deputy named “%(v)s”") if not found else _("several deputies are named “%(v)s”"))
                    % {"v": name}
                )
            else:
                deputy_ids.append(found[0].pk)
        urgent_word = fold(values["urgent"])
        if urgent_word not in YES | NO:
            problems.append(_("urgent must be yes or no, not “%(v)s”") % {"v": values["urgent"]})
        if problems:
            result.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        if committee is None:
            key = field_obj.pk if field_obj else None
            if key not in committee_cache:
                committee_cache[key] = default_committee(council=council, field=field_obj)
            committee = committee_cache[key]
        parsed.append(
            (
                Petition(
                    council=council,
                    content=values["content"],
                    kind=kind,
                    field=field_obj,
                    locality=values["locality"],
                    level=level,
                    committee=committee,
                    received_on=received or today,
                    is_urgent=urgent_word in YES,
                    created_by=user,
                ),
                meeting_id,
                deputy_ids,
            )
        )
    if result.errors or not commit:
        return result
    with transaction.atomic():
        petitions = [p for p, _m, _d in parsed]
        for p in petitions:
            p.search_text = p.build_search_text()
        created = bulk_create_with_history(petitions, Petition, batch_size=2000, default_user=user)
        through = Petition.deputies.through
        sources, links = [], []
        for p, (_p, meeting_id, deputy_ids) in zip(created, parsed, strict=True):
            sources.append(PetitionSource(petition=p, meeting_id=meeting_id))
            links += [through(petition_id=p.pk, deputy_id=d) for d in deputy_ids]
        PetitionSource.objects.bulk_create(sources, batch_size=5000)
        through.objects.bulk_create(links, batch_size=5000)
    result.created = len(created)
    return result
