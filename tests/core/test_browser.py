"""In headless Chromium: log in, switch council, create a deputy, find it by an unaccented search."""

import os

import pytest

from hdnd_portal.core.models import Council, CouncilRole, Term

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page():
    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("Debian's chromium is required for the browser tests (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_staff_switches_council_creates_a_deputy_and_finds_it_unaccented(live_server, page, make_user):
    province = Council.objects.create(name="Thành phố Hà Nội", level="province", unit_kind="thanh_pho", code="01")
    commune = Council.objects.create(name="Xã Đông Anh", level="commune", unit_kind="xa", code="00100",
                                     parent=province)
    Term.objects.create(council=commune, numeral="I", start_year=2021, end_year=2026, is_current=True)
    user = make_user("canbo")
    CouncilRole.objects.create(user=user, council=province, role="staff")
    CouncilRole.objects.create(user=user, council=commune, role="staff")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "pw-12345-test")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text().startswith("Thành phố Hà Nội")

    with page.expect_navigation():
        page.select_option("#council-switch", label="Xã Đông Anh")
    assert page.locator("h1").inner_text().startswith("Xã Đông Anh")

    page.goto(f"{live_server.url}/core/deputies/new/")
    page.fill("#id_full_name", "Nguyễn Thị Đông Hà")
    page.select_option("#id_term", index=1)
    page.locator("#id_start_date").press_sequentially("25062021")  # the slashes come by themselves
    assert page.input_value("#id_start_date") == "25/06/2021"
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    assert "Nguyễn Thị Đông Hà" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/core/deputies/")
    page.fill("#id_q", "nguyen thi dong ha")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("table.portal-table tbody tr")
    assert rows.count() == 1
    assert "Nguyễn Thị Đông Hà" in rows.first.inner_text()
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path="test-artifacts/core-deputy-search.png")
