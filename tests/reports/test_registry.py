"""The report module assembles what each app registers and imports no domain model; the core part
counts the members of the standing committee and of the committees."""

import ast
from datetime import date
from pathlib import Path

import pytest

from hdnd_portal.core import report_registry
from hdnd_portal.core.models import Body, Deputy, Membership, Term
from hdnd_portal.core.report_registry import ReportPart, register_report_part
from hdnd_portal.reports import dashboard, sections

REPORTS_DIR = Path(sections.__file__).parent
DOMAIN_PACKAGES = ("sessions", "oversight", "voters", "citizens", "programmes", "public")
CORE_DOMAIN_MODELS = {"Body", "Deputy", "Membership", "Deadline", "Agency", "Term"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_the_report_module_imports_no_domain_model():
    offending = []
    for path in sorted(REPORTS_DIR.glob("*.py")):
        for module, names in _imports(path):
            if module.split(".")[0] in DOMAIN_PACKAGES:
                offending.append(f"{path.name}: {module}")
            if module == "hdnd_portal.core.models" and CORE_DOMAIN_MODELS & set(names):
                offending.append(f"{path.name}: {module} {sorted(CORE_DOMAIN_MODELS & set(names))}")
    assert offending == []


def test_every_app_with_figures_is_registered_in_report_order():
    names = [part.name for part in report_registry.report_parts()]
    assert names == ["core", "documents", "sessions", "oversight", "voters", "citizens", "programmes"]


@pytest.fixture
def extra_part():
    """A part registered by a test app: a section, one figure per council and a dashboard card."""

    def section(ids, start, end):
        return {"title": "Extra", "extra_total": len(ids)}

    def council_figures():
        return [("extra", "Extra per council", lambda ids, start, end: {i: 7 for i in ids})]

    def board(ids, start, end, today):
        return {"cards": [("Extra card", 42)], "charts": []}

    register_report_part(ReportPart(name="extra", order=99, section=section, council_figures=council_figures,
                                    dashboard=board))
    yield
    report_registry._PARTS.pop("extra")


@pytest.mark.django_db
def test_a_registered_part_reaches_the_report_the_table_per_council_and_the_dashboard(extra_part, council, commune):
    figures = sections.assemble(council, "annual", date(2025, 1, 1), date(2025, 12, 31), include_below=True)
    assert figures["sections"][-1] == "extra"
    assert figures["own"]["extra"]["extra_total"] == 1
    table = figures["levels"][0]["by_council"]
    assert "extra" in [c["key"] for c in table["columns"]]
    assert {r["council_id"]: r["extra"] for r in table["rows"]}[commune.id] == 7
    assert ("Extra card", 42) in dashboard.dashboard_data([council.id], 2025)["cards"]


@pytest.mark.django_db
def test_members_of_the_standing_committee_and_committees_sitting_at_the_end_of_the_period(council):
    term = Term.objects.filter(council=council).first() or Term.objects.create(
        council=council, numeral="XVI", start_year=2021, end_year=2026, start_date=date(2021, 6, 1)
    )
    standing = Body.objects.create(council=council, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")
    economy = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Kinh tế - Ngân sách")
    legal = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Pháp chế")

    def deputy(name, start=date(2021, 6, 1), end=None):
        return Deputy.objects.create(council=council, term=term, full_name=name, start_date=start, end_date=end)

    def member(d, body, start=date(2021, 7, 1), end=None, role=Membership.Role.MEMBER):
        Membership.objects.create(council=council, deputy=d, body=body, role=role, start_date=start, end_date=end)

    chair, vice, head, both, left_post, left_council, late = (
        deputy("Nguyễn Văn A"), deputy("Trần Thị B"), deputy("Lê Văn C"), deputy("Phạm Thị D"),
        deputy("Hoàng Văn E"), deputy("Vũ Thị G", end=date(2025, 3, 1)), deputy("Đỗ Văn H"),
    )
    member(chair, standing, role=Membership.Role.CHAIR)
    member(vice, standing, role=Membership.Role.VICE_CHAIR)
    member(head, standing, role=Membership.Role.STANDING_MEMBER)
    member(head, economy, role=Membership.Role.HEAD)
    member(both, economy)
    member(both, legal)  # one deputy in two committees counts once among committee members
    member(left_post, legal, end=date(2025, 6, 30))  # left the committee during the year
    member(left_council, legal)  # left the council during the year
    member(late, legal, start=date(2026, 1, 5))  # joined after the period

    core = sections.core_section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    assert core["standing_committee_members"] == 3
    assert core["committee_members"] == 2
    per_committee = {row["label"]: row["count"] for row in core["members_by_committee"]}
    assert per_committee == {"Ban Kinh tế - Ngân sách": 2, "Ban Pháp chế": 1}
