"""Requesting and generating a report: the number, the files, the PDF's text, the Excel cells,
a second request while running, and a report whose worker died completing on retry."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import CouncilRole
from hdnd_portal.reports import services
from hdnd_portal.reports.models import Report
from hdnd_portal.reports.tasks import generate_report

from .conftest import EXPECTED, YEAR_END, YEAR_START

pytestmark = pytest.mark.django_db


def _request(user, council, **kwargs):
    params = dict(
        kind="annual", period_start=YEAR_START, period_end=YEAR_END, include_below=True, issued_on=date(2026, 1, 5)
    )
    params.update(kwargs)
    return services.report_request(user=user, council=council, **params)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def generated(dataset, staff_user, django_capture_on_commit_callbacks, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        report, created = _request(staff_user, dataset.province)
    assert created
    report.refresh_from_db()
    return report


def test_a_requested_report_is_numbered_generated_and_stored(generated):
    report = generated
    assert report.number == "01/BC-HĐND"
    assert report.status == Report.Status.DONE and report.progress == 100
    assert report.pdf.name.endswith(".pdf") and report.xlsx and report.docx
    assert report.finished_at and report.figures_seconds is not None
    assert report.title == "Kết quả hoạt động của Hội đồng nhân dân Thành phố Hà Nội năm 2025"
    assert [b["key"] for b in report.narrative][:2] == ["intro", "core"]


def test_the_pdf_text_has_the_national_heading_the_number_and_the_figures(generated, tmp_path):
    text = pdf_text(generated.pdf.read(), tmp_path)
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "HỘI ĐỒNG NHÂN DÂN" in flat and "THÀNH PHỐ HÀ NỘI" in flat
    assert "Số: 01/BC-HĐND" in flat
    assert "Hà Nội, ngày 05 tháng 01 năm 2026" in flat
    assert "TM. HỘI ĐỒNG NHÂN DÂN" in flat and "CHỦ TỊCH" in flat and "Nơi nhận:" in flat
    # The narrative with the figures filled in (counts below ten are written 02, 03…).
    assert "tổ chức 02 kỳ họp" in flat and "ban hành 03 Nghị quyết" in flat
    assert "HĐND cấp xã (02 đơn vị) tổ chức 02 kỳ họp, ban hành 03 Nghị quyết" in flat
    assert "Năm 2024" in flat  # the column of the same period a year earlier
    assert "Phường Đông Anh" in flat and "Xã Thanh Trì" in flat  # the table per commune
    assert "1/" in flat  # page numbers


def test_the_excel_cells_equal_the_figures(generated):
    book = load_workbook(BytesIO(generated.xlsx.read()))
    sheet = list(book["Tổng hợp"].iter_rows(min_row=5, values_only=True))
    header = sheet[0]
    assert header[2:5] == ("HĐND cấp báo cáo", "HĐND cấp xã", "Tổng số") and header[7] == "Mã chỉ tiêu"
    assert header[5] == "Năm 2024"  # the same period a year earlier, a calendar year
    rows = {row[7]: row[2:5] for row in sheet[1:]}
    # The same period a year earlier (the dataset's 31/12/2024 records) and the change.
    earlier = {row[7]: row[5:7] for row in sheet[1:]}
    assert earlier["sessions.sessions_held"] == (1, 3)
    assert earlier["sessions.resolutions"] == (1, 5)
    assert earlier["voters.meetings.count"] == (1, 2)
    assert earlier["citizens.letters.total"] == (1, 3)
    assert rows["sessions.sessions_held"] == (2, 2, 4)
    assert rows["sessions.resolutions"] == (3, 3, 6)
    assert rows["sessions.resolutions_normative"] == (1, 0, 1)
    assert rows["core.deputies.sitting"] == (3, 3, 6)
    assert rows["oversight.recommendations.made"] == (2, 1, 3)
    assert rows["voters.meetings.count"] == (1, 2, 3)
    assert rows["citizens.letters.total"] == (3, 1, 4)
    assert rows["citizens.visits"] == (2, 1, 3)
    per_council = {r[0]: r for r in book["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    # Columns: council, code, deputies, documents issued (none in this dataset), sessions held,
    # resolutions, activities, recommendations, meetings, petitions, visits, letters.
    for name in ("Phường Đông Anh", "Xã Thanh Trì"):
        expected = EXPECTED["commune_a" if name.startswith("Phường") else "commune_b"]
        keys = [
            "deputies",
            "sessions_held",
            "resolutions",
            "oversight_activities",
            "recommendations",
            "voter_meetings",
            "petitions",
            "visits",
            "letters",
        ]
        assert list(per_council[name][2:]) == [expected["deputies"], 0] + [expected[k] for k in keys[1:]]
    assert list(per_council["Tổng số"][2:5]) == [3, 0, 2]


def test_the_word_file_carries_the_heading_and_the_narrative(generated):
    from docx import Document

    doc = Document(BytesIO(generated.docx.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Số: 01/BC-HĐND" in cells
    assert "tổ chức 02 kỳ họp" in text


def test_a_second_request_while_running_returns_the_first(dataset, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, created = _request(staff_user, dataset.province)
    assert created and len(callbacks) == 1
    Report.objects.filter(pk=first.pk).update(status="running", progress=40)
    second, created_again = _request(staff_user, dataset.province)
    assert not created_again and second.pk == first.pk and second.progress == 40
    assert Report.objects.count() == 1
    # Another period is another report, with the next number.
    third, created = _request(
        staff_user, dataset.province, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30), kind="six_month"
    )
    assert created and third.number == "02/BC-HĐND"


def test_the_database_refuses_two_reports_in_flight_for_the_same_request(dataset, staff_user):
    from django.db import IntegrityError, transaction

    report, _ = _request(staff_user, dataset.province)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            council=report.council,
            kind=report.kind,
            period_start=report.period_start,
            period_end=report.period_end,
            include_below=report.include_below,
            number="x",
            number_seq=99,
            issued_on=report.issued_on,
            title="x",
        )


def test_a_report_whose_worker_died_completes_on_retry(dataset, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    report, _ = _request(staff_user, dataset.province)  # the on_commit enqueue never ran: no worker yet
    # A worker claimed it and was killed half-way: "running", 40 %, no files.
    Report.objects.filter(pk=report.pk).update(status="running", progress=40, attempts=1)
    # acks_late: the broker delivers the same message again; the task completes the report.
    assert generate_report.apply(args=(report.pk, report.generation, True)).get() == "done"
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100 and report.attempts == 2 and report.pdf
    # A duplicate delivery after completion does nothing.
    assert generate_report.apply(args=(report.pk, report.generation, True)).get() == "skipped"


def test_regenerating_replaces_the_files(generated, django_capture_on_commit_callbacks, tmp_path):
    import os

    old_pdf = generated.pdf.path
    with django_capture_on_commit_callbacks(execute=True):
        services.report_regenerate(report=generated)
    generated.refresh_from_db()
    assert generated.status == "done" and generated.generation == 2
    assert os.path.exists(generated.pdf.path)
    files = os.listdir(os.path.dirname(generated.pdf.path))
    assert len([f for f in files if f.endswith(".pdf")]) == 1, files
    assert old_pdf == generated.pdf.path or not os.path.exists(old_pdf)


def test_an_edited_narrative_is_printed_and_kept(generated, django_capture_on_commit_callbacks, tmp_path):
    blocks = [dict(b) for b in generated.narrative]
    blocks[1]["text"] = "Đoạn văn do Văn phòng sửa: tổ chức 02 kỳ họp."
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update_text(
            report=generated,
            blocks=blocks,
            signer_name="Nguyễn Ngọc Tuấn",
            recipients="Thường trực Thành ủy\nLưu: VT.",
            expected_version=generated.version,
        )
    generated.refresh_from_db()
    assert generated.narrative_edited and generated.status == "done"
    flat = " ".join(pdf_text(generated.pdf.read(), tmp_path).split())
    assert "Đoạn văn do Văn phòng sửa" in flat and "Nguyễn Ngọc Tuấn" in flat and "Thường trực Thành ủy" in flat


def test_bad_requests_are_refused(dataset, staff_user, other_council, make_user):
    with pytest.raises(DomainError) as error:
        _request(staff_user, dataset.province, period_start=date(2025, 12, 31), period_end=date(2025, 1, 1))
    assert error.value.field == "period_end"
    with pytest.raises(DomainError) as error:
        _request(staff_user, other_council)
    assert error.value.field == "council"
    viewer = make_user("chixem", dataset.province, CouncilRole.Role.VIEWER)
    with pytest.raises(DomainError):
        _request(viewer, dataset.province)
    assert Report.objects.count() == 0


def test_a_province_user_may_report_on_a_commune(dataset, staff_user, django_capture_on_commit_callbacks):
    report, created = _request(staff_user, dataset.commune_a)
    assert created and not report.include_below  # a commune has no councils below
    assert report.council == dataset.commune_a


def test_the_pdf_fetcher_refuses_the_network():
    from hdnd_portal.reports.render_pdf import local_only_fetcher

    with pytest.raises(ValueError):
        local_only_fetcher("https://example.com/font.ttf")


def test_stale_reports_are_sent_again(dataset, staff_user, monkeypatch, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from hdnd_portal.reports import tasks

    sent = []
    monkeypatch.setattr(tasks.generate_report, "apply_async", lambda args, **kw: sent.append(tuple(args)))
    report, _ = _request(staff_user, dataset.province)
    fresh, _ = _request(staff_user, dataset.province, kind="six_month", period_end=date(2025, 6, 30))
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    Report.objects.filter(pk=report.pk).update(requested_at=long_ago, status="running", started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert services.requeue_stale() == 1
    assert sent == [(report.pk, report.generation, True)]


def test_a_failing_render_marks_the_report_failed(dataset, staff_user, monkeypatch):
    from hdnd_portal.reports import render_pdf

    def boom(document):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(render_pdf, "render_pdf", boom)
    report, _ = _request(staff_user, dataset.province)
    generate_report.apply(args=(report.pk, report.generation, True))
    report.refresh_from_db()
    assert report.status == "failed" and "no fonts" in report.error
    # Failed is not in flight: asking again starts a new report.
    again, created = _request(staff_user, dataset.province)
    assert created and again.pk != report.pk
