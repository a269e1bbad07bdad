"""Each section's figures equal the counts of the hand-built dataset, for one council, for the
communes together and per commune, with the period boundaries honoured."""

import pytest

from hdnd_portal.reports.sections import assemble, by_council, core_section

from .conftest import EXPECTED, YEAR_END, YEAR_START

pytestmark = pytest.mark.django_db


def _sum(key, names=("commune_a", "commune_b")):
    return sum(EXPECTED[n][key] for n in names)


def test_core_section_counts_deputies_sitting_at_the_end_of_the_period(dataset):
    own = core_section([dataset.province.id], YEAR_START, YEAR_END)
    assert own["deputies"] == {"sitting": 3, "full_time": 1, "female": 1, "joined": 1, "left": 1}
    assert own["committees"] == 1 and own["delegate_groups"] == 1


def test_own_figures_of_the_province(dataset):
    figures = assemble(dataset.province, "annual", YEAR_START, YEAR_END, include_below=False)
    own, e = figures["own"], EXPECTED["province"]
    assert figures["below"] is None and figures["by_council"] is None
    assert own["core"]["deputies"]["sitting"] == e["deputies"]
    assert own["sessions"]["sessions_held"] == e["sessions_held"]
    assert own["sessions"]["resolutions"] == e["resolutions"]
    assert own["sessions"]["resolutions_normative"] == e["normative"]
    assert own["oversight"]["activities"]["total"] == e["oversight_activities"]
    assert own["oversight"]["recommendations"]["made"] == e["recommendations"]
    assert own["oversight"]["recommendations"]["done"] == 1
    assert own["voters"]["meetings"]["count"] == e["voter_meetings"]
    assert own["voters"]["meetings"]["voters"] == e["voters"]
    assert own["voters"]["petitions"]["received"] == e["petitions"]
    assert own["citizens"]["visits"] == e["visits"] and own["citizens"]["citizens"] == e["citizens"]
    assert own["citizens"]["letters"]["total"] == e["letters"]


def test_communes_are_totalled_and_tabled_per_commune(dataset, django_assert_max_num_queries):
    figures = assemble(dataset.province, "annual", YEAR_START, YEAR_END, include_below=True)
    below = figures["below"]
    assert figures["below_count"] == 2
    assert below["core"]["deputies"]["sitting"] == _sum("deputies")
    assert below["sessions"]["sessions_held"] == _sum("sessions_held") == 2
    assert below["sessions"]["resolutions"] == _sum("resolutions") == 3
    assert below["oversight"]["activities"]["total"] == _sum("oversight_activities")
    assert below["oversight"]["recommendations"]["made"] == _sum("recommendations")
    assert below["voters"]["meetings"]["count"] == _sum("voter_meetings")
    assert below["voters"]["petitions"]["received"] == _sum("petitions")
    assert below["citizens"]["visits"] == _sum("visits")
    assert below["citizens"]["letters"]["total"] == _sum("letters")
    # The province's own figures are not mixed into the communes' totals.
    assert figures["own"]["sessions"]["sessions_held"] == EXPECTED["province"]["sessions_held"]
    rows = {r["council_id"]: r for r in figures["by_council"]["rows"]}
    assert set(rows) == {dataset.commune_a.id, dataset.commune_b.id}
    for name, council in (("commune_a", dataset.commune_a), ("commune_b", dataset.commune_b)):
        for key in (
            "deputies",
            "sessions_held",
            "resolutions",
            "oversight_activities",
            "recommendations",
            "voter_meetings",
            "petitions",
            "visits",
            "letters",
        ):
            assert rows[council.id][key] == EXPECTED[name][key], (name, key)
    # The per-commune table adds up to the communes' section totals.
    totals = figures["by_council"]["totals"]
    assert totals["sessions_held"] == below["sessions"]["sessions_held"]
    assert totals["letters"] == below["citizens"]["letters"]["total"]


def test_the_table_per_commune_is_a_fixed_number_of_grouped_queries(dataset, make_council, django_assert_num_queries):
    from hdnd_portal.core.models import Council

    ids = [dataset.commune_a.id, dataset.commune_b.id]
    # The councils' names, then one grouped query per column (10 columns).
    with django_assert_num_queries(11):
        by_council(ids, YEAR_START, YEAR_END)
    more = [make_council(f"Xã {i}", level=Council.Level.COMMUNE, parent=dataset.province).id for i in range(20)]
    with django_assert_num_queries(11):
        table = by_council(ids + more, YEAR_START, YEAR_END)
    assert len(table["rows"]) == 22


def test_a_quarter_only_counts_its_own_days(dataset):
    from datetime import date

    q4 = assemble(dataset.province, "quarterly", date(2025, 10, 1), date(2025, 12, 31), include_below=True)
    assert q4["own"]["sessions"]["sessions_held"] == 1  # 31/12/2025 only
    assert q4["below"]["sessions"]["sessions_held"] == 1  # commune B on 31/12/2025
    assert q4["own"]["citizens"]["letters"]["total"] == 1


def test_kind_selects_its_sections(dataset):
    figures = assemble(dataset.province, "citizens", YEAR_START, YEAR_END, include_below=True)
    assert figures["sections"] == ["citizens"]
    assert [c["key"] for c in figures["by_council"]["columns"]] == ["visits", "letters"]
