"""The levels below a council, each on its own (historical district councils, commune councils),
for the councils that existed during the period, and the change against a year earlier."""

import threading
from datetime import date

import pytest
from django.db import transaction
from django.utils import translation

from hdnd_portal.core.models import Council
from hdnd_portal.reports import narrative
from hdnd_portal.reports.document import build_document
from hdnd_portal.reports.models import Report
from hdnd_portal.reports.render_pdf import render_html
from hdnd_portal.reports.sections import assemble

from .conftest import resolution, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform(council, make_council):
    """A province; a district dissolved on 30/6/2025 with a pre-merger commune under it; a commune
    established on 1/7/2025 directly under the province."""
    end = date(2025, 6, 30)
    district = make_council("Huyện Đông Anh", level=Council.Level.DISTRICT, parent=council,
                            established_on=date(1961, 4, 1), dissolved_on=end)
    old_commune = make_council("Xã Uy Nỗ", level=Council.Level.COMMUNE, parent=district, dissolved_on=end)
    new_commune = make_council("Xã Đông Anh", level=Council.Level.COMMUNE, parent=council,
                               established_on=date(2025, 7, 1))
    session(council, date(2025, 7, 10))
    session(district, date(2025, 3, 1))
    session(district, date(2024, 12, 20))
    session(old_commune, date(2025, 4, 1))
    session(new_commune, date(2025, 9, 1))
    session(new_commune, date(2026, 2, 1))
    resolution(district, date(2025, 3, 1))
    return council, district, old_commune, new_commune


def _report(council, figures, start, end):
    report = Report(council=council, kind="annual", period_start=start, period_end=end, include_below=True,
                    number="01/BC-HĐND", issued_on=end, title="Báo cáo", figures=figures)
    report.narrative = narrative.build(figures, "annual", start, end)
    return report


def test_a_2025_report_has_the_dissolved_district_and_the_communes_as_separate_levels(reform):
    province, district, old_commune, new_commune = reform
    figures = assemble(province, "annual", date(2025, 1, 1), date(2025, 12, 31), include_below=True)
    assert [(level["key"], level["count"]) for level in figures["levels"]] == [("district", 1), ("commune", 2)]
    district_level, commune_level = figures["levels"]
    assert district_level["sections"]["sessions"]["sessions_held"] == 1
    assert district_level["sections"]["sessions"]["resolutions"] == 1
    assert commune_level["sections"]["sessions"]["sessions_held"] == 2
    assert figures["below"]["sessions"]["sessions_held"] == 3
    assert figures["below_count"] == 3
    assert [r["council"] for r in district_level["by_council"]["rows"]] == ["Huyện Đông Anh"]
    assert {r["council"] for r in commune_level["by_council"]["rows"]} == {"Xã Uy Nỗ", "Xã Đông Anh"}
    # A year earlier: the district's 20/12/2024 session (the new commune did not exist yet).
    assert figures["previous"]["below"]["sessions"]["sessions_held"] == 1
    assert figures["previous"]["own"]["sessions"]["sessions_held"] == 0

    with translation.override("vi"):
        document = build_document(_report(province, figures, date(2025, 1, 1), date(2025, 12, 31)))
        html = render_html(document)
    assert document.columns[:4] == ["HĐND cấp báo cáo", "HĐND cấp huyện (đã giải thể)", "HĐND cấp xã", "Tổng số"]
    held = next(r for s in document.sections for r in s.rows if r["path"] == "sessions_held")
    # own, district, communes, total, a year earlier, change
    assert held["values"] == [1, 1, 2, 4, 1, 3]
    assert "KẾT QUẢ HOẠT ĐỘNG CỦA HĐND CẤP HUYỆN (ĐÃ GIẢI THỂ) (01 ĐƠN VỊ)" in html
    assert "KẾT QUẢ HOẠT ĐỘNG CỦA HĐND CẤP XÃ (02 ĐƠN VỊ)" in html
    text = " ".join(b["text"] for b in document_narrative(figures))
    assert "HĐND cấp huyện (nay đã giải thể; 01 đơn vị) tổ chức 01 kỳ họp, ban hành 01 Nghị quyết" in text
    assert "HĐND cấp xã (02 đơn vị) tổ chức 02 kỳ họp" in text
    assert "HĐND cấp xã (03" not in text  # a district is never counted as a commune


def document_narrative(figures):
    return narrative.build(figures, "annual", date(2025, 1, 1), date(2025, 12, 31))


def test_a_2026_report_leaves_out_the_councils_dissolved_before_it(reform):
    province, district, old_commune, new_commune = reform
    figures = assemble(province, "annual", date(2026, 1, 1), date(2026, 12, 31), include_below=True)
    assert [(level["key"], level["count"]) for level in figures["levels"]] == [("commune", 1)]
    assert figures["below"]["sessions"]["sessions_held"] == 1
    # A year earlier (2025) the levels below were the district and both communes: 3 sessions.
    assert figures["previous"]["below"]["sessions"]["sessions_held"] == 3
    with translation.override("vi"):
        document = build_document(_report(province, figures, date(2026, 1, 1), date(2026, 12, 31)))
    held = next(r for s in document.sections for r in s.rows if r["path"] == "sessions_held")
    assert held["values"] == [0, 1, 1, 1 + 3, -3]


def test_the_change_column_prints_signed_vietnamese_numbers():
    from hdnd_portal.reports.present import change_text

    assert [change_text(v) for v in (12, 3, 0, -4, -1250, None)] == ["+12", "+3", "0", "−4", "−1.250", "—"]


def test_the_earlier_column_names_a_calendar_year_or_the_dates_of_a_custom_period():
    from hdnd_portal.reports.document import column_labels

    with translation.override("vi"):
        year = column_labels([], {"period": {"start": "2024-01-01", "end": "2024-12-31"}})
        mid_term = column_labels([], {"period": {"start": "2020-07-01", "end": "2023-06-30"}})
    assert year == ["Số liệu", "Năm 2024", "Thay đổi"]
    assert mid_term[1] == "Cùng kỳ năm trước (01/07/2020–30/06/2023)"


@pytest.mark.django_db(transaction=True)
def test_the_year_before_is_computed_beside_the_period_with_the_same_figures(reform, monkeypatch):
    """Outside a transaction the year before runs in a thread of its own (its own connection, the
    caller's language); inside one it cannot (the other connection would not see the rows), and
    both give the same figures."""
    from hdnd_portal.reports import sections

    province = reform[0]
    threads = set()
    functions = sections.section_functions()

    def recording():
        def wrap(fn):
            def section(ids, start, end):
                threads.add((start.year, threading.current_thread().name))
                return fn(ids, start, end)
            return section
        return {name: wrap(fn) for name, fn in functions.items()}

    monkeypatch.setattr(sections, "section_functions", recording)
    with translation.override("vi"):
        beside = assemble(province, "annual", date(2025, 1, 1), date(2025, 12, 31), include_below=True)
    assert threads == {(2025, "MainThread"), (2024, "report-figures")}
    assert beside["previous"]["own"]["sessions"]["title"] == "Kỳ họp và nghị quyết"
    threads.clear()
    with translation.override("vi"), transaction.atomic():
        alone = assemble(province, "annual", date(2025, 1, 1), date(2025, 12, 31), include_below=True)
    assert threads == {(2025, "MainThread"), (2024, "MainThread")}
    assert alone == beside


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_thread_beside_reaches_the_caller():
    from hdnd_portal.reports.sections import beside

    wait = beside(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        wait()
