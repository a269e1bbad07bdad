"""In a real browser: a secretariat user picks the council, the kind and the period, follows the
progress and downloads the PDF, Excel and Word files."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402

from hdnd_portal.core.models import CouncilRole  # noqa: E402
from hdnd_portal.core.rules_loader import load_default_rules  # noqa: E402
from hdnd_portal.reports.models import Report  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def test_request_follow_and_download_a_report(browser, live_server, dataset, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_default_rules()  # a transactional test starts from a flushed database
    make_user("thuky", dataset.province, CouncilRole.Role.LEADER)
    page = browser.new_context(locale="vi-VN", accept_downloads=True).new_page()
    page.set_default_timeout(60000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", "pw-12345-test")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/reports/new/")
    page.select_option("#id_council", str(dataset.province.id))
    page.select_option("#id_kind", "quarterly")
    page.select_option("#quick-year", "2025")
    page.click("[data-period=q4]")
    assert page.input_value("#id_period_start") == "01/10/2025"
    assert page.input_value("#id_period_end") == "31/12/2025"
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/reports/*/")
    page.wait_for_selector("#report-downloads a", timeout=90000)
    assert "100%" in page.inner_text("#report-bar")
    report = Report.objects.get()
    assert report.status == "done" and report.number == "01/BC-HĐND"
    for fmt in ("PDF", "XLSX", "DOCX"):
        with page.expect_download() as info:
            page.click(f"#report-downloads a:has-text('{fmt}')")
        path = info.value.path()
        assert os.path.getsize(path) > 1000
    with page.expect_download() as info:
        page.click("#report-downloads a:has-text('PDF')")
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
