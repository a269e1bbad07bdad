"""In a real browser: a staff member sees the bell count, opens the reminder from the dropdown,
extends the deadline (an earlier date is refused beside the field), and reads "My deadlines"."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from hdnd_portal.core.models import CouncilRole  # noqa: E402
from hdnd_portal.notifications.models import Notification  # noqa: E402
from hdnd_portal.notifications.services import reminder_scan  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345-test"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def test_bell_reminder_extension_and_my_deadlines(browser, live_server, make_user, council, agency, make_deadline):
    staff = make_user("canbo", council, CouncilRole.Role.STAFF)
    make_user("quantri", council, CouncilRole.Role.ADMIN)
    today = timezone.localdate()
    overdue = make_deadline(
        today - timedelta(days=3), responsible_user=staff, title="Trả lời kiến nghị cử tri phường Đông Anh"
    )
    make_deadline(
        today + timedelta(days=1),
        responsible_user=staff,
        kind="letter.resolution",
        title="Giải quyết đơn khiếu nại số 12",
    )
    reminder_scan(today)
    assert Notification.objects.filter(user=staff).count() == 2

    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("#bell-count") == "2"
    page.click("#bell-toggle")
    page.screenshot(path=str(SHOTS / "notifications_bell.png"))
    page.click("text=Quá hạn 3 ngày: Trả lời kiến nghị cử tri phường Đông Anh")
    page.wait_for_url(f"{live_server.url}/notifications/deadlines/{overdue.pk}/")
    assert page.inner_text("#bell-count") == "1"  # opening it marked it read
    page.screenshot(path=str(SHOTS / "notifications_deadline.png"), full_page=True)

    page.click("#extend-link")
    earlier = (overdue.due_date - timedelta(days=2)).strftime("%d/%m/%Y")
    page.fill("#id_new_due_date", earlier)
    page.fill("#id_legal_basis", "Quy chế phối hợp giải quyết kiến nghị cử tri, Điều 12")
    page.click("form.portal-form button[type=submit]")
    # Refused beside the field, naming the current due date.
    assert overdue.due_date.strftime("%d/%m/%Y") in page.inner_text(".invalid-feedback")
    page.screenshot(path=str(SHOTS / "notifications_extension_error.png"), full_page=True)
    later = (today + timedelta(days=20)).strftime("%d/%m/%Y")
    page.fill("#id_new_due_date", later)
    page.fill("#id_decision_number", "25/QĐ-UBND")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/notifications/deadlines/{overdue.pk}/")
    assert "25/QĐ-UBND" in page.content()
    overdue.refresh_from_db()
    assert overdue.due_date == today + timedelta(days=20)

    page.goto(f"{live_server.url}/notifications/deadlines/council/")
    assert "Giải quyết đơn khiếu nại số 12" in page.inner_text("table")
    page.screenshot(path=str(SHOTS / "notifications_my_deadlines.png"), full_page=True)
    page.goto(f"{live_server.url}/notifications/")
    page.screenshot(path=str(SHOTS / "notifications_list.png"), full_page=True)
    page.click("#read-all")
    assert page.locator("#bell-count").count() == 0
