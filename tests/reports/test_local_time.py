"""Every date and time a person reads is in Asia/Ho_Chi_Minh, wherever it is shown: a page's list
and its detail, the notification list and the bell, the report list and the report page, a
record's history, an Excel export, a PDF and an e-mail.

The instant used is 2026-03-01 20:37 UTC, which is 02/03/2026 03:37 in Hà Nội: a value shown
in UTC has the wrong day as well as the wrong hour."""

import subprocess
from datetime import UTC, date, datetime
from io import BytesIO
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from hdnd_portal.notifications.models import Notification, ScanRun
from hdnd_portal.reports import services
from hdnd_portal.reports.models import Report

from .test_pages import make_report

pytestmark = pytest.mark.django_db

INSTANT = datetime(2026, 3, 1, 20, 37, tzinfo=UTC)
LOCAL = "02/03/2026 03:37"
UTC_TEXT = ("01/03/2026 20:37", "01/03/2026 20:37".replace(" ", "\xa0"))


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_notification_list_the_bell_and_the_excel_export_show_local_time(staff_client, staff_user, council):
    Notification.objects.create(user=staff_user, council=council, title="Thư khiếu nại sắp đến hạn", created_at=INSTANT)
    listing = _page(staff_client, reverse("notifications:list"))
    assert LOCAL in listing and not any(t in listing for t in UTC_TEXT)
    bell = _page(staff_client, reverse("home"))
    assert LOCAL in bell and not any(t in bell for t in UTC_TEXT)

    export = staff_client.get(reverse("notifications:list") + "?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, datetime)]
    assert [c.value for c in cells] == [datetime(2026, 3, 2, 3, 37)]
    assert "HH:MM" in cells[0].number_format.upper()  # the hour is shown, not only the day


def test_the_report_list_and_the_report_page_show_the_local_day_and_hour(staff_client, staff_user, council):
    report = make_report(council, staff_user, requested_at=INSTANT, finished_at=INSTANT)
    Report.objects.filter(pk=report.pk).update(requested_at=INSTANT, finished_at=INSTANT)
    detail = _page(staff_client, reverse("reports:report_detail", args=[report.pk]))
    assert LOCAL in detail and not any(t in detail for t in UTC_TEXT)
    listing = _page(staff_client, reverse("reports:report_list"))
    assert not any(t in listing for t in UTC_TEXT)


def test_the_reminder_scans_on_the_operations_page_and_in_their_name(admin_client):
    run = ScanRun.objects.create(today=date(2026, 3, 2), started_at=INSTANT, finished_at=INSTANT, duration_ms=12)
    assert str(run).startswith(LOCAL)
    text = _page(admin_client, reverse("notifications:operations"))
    assert LOCAL in text and not any(t in text for t in UTC_TEXT)


def test_a_records_history_shows_the_local_time_of_each_change(admin_client, make_deputy, council):
    with time_machine.travel(INSTANT, tick=False):
        deputy = make_deputy(council, "Đỗ Thị Hạnh")
    detail = _page(admin_client, reverse("core:deputy_detail", args=[deputy.pk]))
    assert LOCAL in detail and not any(t in detail for t in UTC_TEXT)


def test_a_report_requested_late_in_the_evening_utc_carries_the_local_date_in_its_pdf(
    staff_user, council, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with time_machine.travel(INSTANT, tick=False), django_capture_on_commit_callbacks(execute=True):
        report, _created = services.report_request(
            user=staff_user,
            council=council,
            kind="annual",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            include_below=False,
        )
    report.refresh_from_db()
    assert report.issued_on == date(2026, 3, 2)
    path = tmp_path / "r.pdf"
    path.write_bytes(report.pdf.read())
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "ngày 02 tháng 03 năm 2026" in text


def test_the_public_digest_email_says_since_when_in_local_time(council):
    from public.notify import send_digest

    subscription = SimpleNamespace(token="t" * 32, email="ban@example.vn", council=council)
    send_digest(subscription, [], INSTANT)
    body = mail.outbox[-1].body
    assert LOCAL in body and "20:37" not in body
