"""In headless Chromium: an agency responder posts a progress report with an evidence file,
a staff member accepts it, the recommendation shows as done."""

import os
from datetime import date

import pytest

from hdnd_portal.core.models import Agency, Body, Council, CouncilRole, Term
from oversight import services
from oversight.models import OversightActivity, Recommendation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("Debian's chromium is required for the browser tests (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def _login(browser, url: str, username: str):
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-12345-test")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_responder_reports_with_evidence_staff_accepts_and_it_shows_done(
    live_server, browser, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    council = Council.objects.create(name="Thành phố Hà Nội", level="province", unit_kind="thanh_pho", code="01")
    term = Term.objects.create(council=council, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    standing = Body.objects.create(council=council, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")
    agency = Agency.objects.create(council=council, name="Sở Xây dựng", short_name="SXD")
    activity = services.activity_save(
        activity=OversightActivity(
            council=council,
            topic="Giám sát quản lý trật tự xây dựng",
            conducting_level="standing",
            body=standing,
            start_date=date(2025, 5, 5),
            end_date=date(2025, 5, 30),
        ),
        agencies=[agency],
    )
    rec = services.recommendation_create(
        activity=activity,
        agency=agency,
        text="Xử lý dứt điểm công trình vi phạm",
        issued_on=date(2025, 6, 5),
        deadline=date(2025, 9, 30),
    )
    make_user("coquan", council, CouncilRole.Role.RESPONDER, agency=agency)
    make_user("canbo", council, CouncilRole.Role.STAFF)
    evidence = tmp_path / "bao-cao-ket-qua.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    responder = _login(browser, live_server.url, "coquan")
    responder.goto(f"{live_server.url}/oversight/recommendations/")
    responder.click(f"a[href='/oversight/recommendations/{rec.pk}/']")
    responder.click(f"a[href='/oversight/recommendations/{rec.pk}/report/']")
    responder.select_option("#id_status", "done")
    responder.fill("#id_text", "Đã xử lý xong 12/12 công trình vi phạm.")
    responder.fill("#id_document_number", "345/BC-SXD")
    responder.set_input_files("#id_evidence", str(evidence))
    responder.click("form.portal-form button[type=submit]")
    responder.wait_for_load_state()
    assert responder.url.endswith(f"/oversight/recommendations/{rec.pk}/")
    assert responder.locator("a", has_text="bao-cao-ket-qua").count() == 1
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.DONE and rec.evaluation == Recommendation.Evaluation.PENDING
    # Not the responder's to evaluate.
    assert responder.locator(f"a[href='/oversight/recommendations/{rec.pk}/evaluate/']").count() == 0

    staff = _login(browser, live_server.url, "canbo")
    staff.goto(f"{live_server.url}/oversight/recommendations/{rec.pk}/")
    staff.click(f"a[href='/oversight/recommendations/{rec.pk}/evaluate/']")
    staff.select_option("#id_accepted", "yes")
    staff.fill("#id_note", "Đủ hồ sơ chứng minh.")
    staff.click("form.portal-form button[type=submit]")
    staff.wait_for_load_state()
    badge = staff.locator("#rec-status")
    assert "text-bg-success" in badge.get_attribute("class")
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.DONE and rec.evaluation == Recommendation.Evaluation.ACCEPTED
    assert str(rec.get_status_display()) in badge.inner_text()
    # Closed: the agency can no longer post a report.
    responder.reload()
    assert responder.locator(f"a[href='/oversight/recommendations/{rec.pk}/report/']").count() == 0
    staff.goto(f"{live_server.url}/oversight/recommendations/?overdue=false&q=cong trinh vi pham")
    assert staff.locator("table.portal-table tbody tr").count() == 1
