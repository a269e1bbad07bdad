"""In headless Chromium: a staff member creates a quarterly plan with a task, holds a briefing
with two communes, assigns them tasks, and a commune's staff sees its task in 'My deadlines'."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from hdnd_portal.core.models import Body, Council, CouncilRole, Term
from programmes.models import Briefing, BriefingTask, Programme

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


def test_quarterly_plan_and_briefing_tasks_reach_a_communes_deadlines(live_server, browser, make_user):
    city = Council.objects.create(name="Thành phố Hà Nội", level="province", unit_kind="thanh_pho", code="01",
                                  place_name="Hà Nội")
    term = Term.objects.create(council=city, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    Body.objects.create(council=city, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")
    ba_dinh = Council.objects.create(name="Phường Ba Đình", level="commune", unit_kind="phuong", code="00004",
                                     parent=city)
    cua_nam = Council.objects.create(name="Phường Cửa Nam", level="commune", unit_kind="phuong", code="00005",
                                     parent=city)
    make_user("canbo", city, CouncilRole.Role.STAFF)
    xa = make_user("xa", ba_dinh, CouncilRole.Role.STAFF)
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    due = (today + timedelta(days=10)).strftime("%d/%m/%Y")

    page = _login(browser, live_server.url, "canbo")
    page.goto(f"{live_server.url}/programmes/new/")
    page.select_option("#id_kind", "quarter")
    page.fill("#id_year", str(year))
    page.fill("#id_part", str(quarter))
    page.fill("#id_title", f"Kế hoạch công tác quý {quarter}/{year}")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    programme = Programme.objects.get(kind="quarter")
    assert page.url.endswith(f"/programmes/{programme.pk}/")
    page.click(f"a[href='/programmes/{programme.pk}/tasks/new/']")
    page.fill("#id_title", "Tổ chức hội nghị giao ban quý")
    page.fill("#id_due_date", due)
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    assert "Tổ chức hội nghị giao ban quý" in page.inner_text("table.programme-tasks")

    page.goto(f"{live_server.url}/programmes/briefings/new/")
    page.fill("#id_title", f"Giao ban quý {quarter}/{year}")
    page.fill("#id_year", str(year))
    page.fill("#id_part", str(quarter))
    page.fill("#id_held_on", today.strftime("%d/%m/%Y"))
    for commune_council in (ba_dinh, cua_nam):  # the searchable list of communes (core.widgets)
        page.fill("#id_participants-ms-q", commune_council.name)
        page.locator("#id_participants-ms-list .portal-ms-option:visible", has_text=commune_council.name).locator(
            "input"
        ).check()
    page.select_option("#id_status", "held")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    briefing = Briefing.objects.get()
    assert page.url.endswith(f"/programmes/briefings/{briefing.pk}/")
    assert "Phường Ba Đình" in page.inner_text(".briefing-figures")
    for council, title, user in ((ba_dinh, "Báo cáo kết quả giám sát chuyên đề", xa),
                                 (cua_nam, "Rà soát kiến nghị cử tri tồn đọng", None)):
        page.goto(f"{live_server.url}/programmes/briefings/{briefing.pk}/tasks/new/")
        page.fill("#id_title", title)
        page.select_option("#id_assignee_council", str(council.pk))
        if user:
            page.select_option("#id_assignee_user", str(user.pk))
        page.fill("#id_due_date", due)
        page.click("form.portal-form button[type=submit]")
        page.wait_for_load_state()
    assert BriefingTask.objects.count() == 2
    assert "Rà soát kiến nghị cử tri tồn đọng" in page.inner_text("table.briefing-tasks")

    commune = _login(browser, live_server.url, "xa")
    commune.goto(f"{live_server.url}/notifications/deadlines/")
    text = commune.inner_text("main") if commune.locator("main").count() else commune.inner_text("body")
    assert "Báo cáo kết quả giám sát chuyên đề" in text
    assert "Rà soát kiến nghị cử tri tồn đọng" not in text
