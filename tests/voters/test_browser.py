"""In a real browser: staff type five petitions from one meeting with the keyboard only, forward
them in one letter, the agency's responder answers one, the deputy who took it sees it answered."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from django.utils.translation import override  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from hdnd_portal.core.models import Body, CouncilRole, Deputy, Term  # noqa: E402
from hdnd_portal.core.rules_loader import load_default_rules  # noqa: E402
from voters import services  # noqa: E402
from voters.models import Petition, VoterMeeting  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345-test"
TEXTS = [
    "Đề nghị sửa chữa đường liên xã Đông Anh bị xuống cấp",
    "Đề nghị lắp đèn chiếu sáng ngõ 12 phố Cầu Giấy",
    "Ý kiến về tình trạng rác thải tồn đọng tại chợ Bưởi",
    "Đề nghị bổ sung bác sĩ cho trạm y tế phường",
    "Đề nghị xây thêm phòng học trường mầm non Hoa Sen",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def _login(browser, live_server, username):
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_keyboard_intake_forward_answer_and_deputy_follow_up(browser, live_server, make_user, council, agency):
    load_default_rules()  # a transactional test starts from a flushed database
    term = Term.objects.create(council=council, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    deputy = Deputy.objects.create(council=council, term=term, full_name="Trần Thị Bình", start_date=date(2021, 6, 25))
    group = Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ đại biểu số 3")
    meeting = services.meeting_save(
        meeting=VoterMeeting(council=council, date=date(2026, 1, 10), group=group, voter_count=150), deputies=[deputy]
    )
    make_user("canbo", council, CouncilRole.Role.STAFF)
    make_user("coquan", council, CouncilRole.Role.RESPONDER, agency=agency)
    make_user("daibieu", council, CouncilRole.Role.DEPUTY, deputy=deputy)

    # 1. Staff type five petitions, keyboard only: the cursor starts in the content box.
    staff = _login(browser, live_server, "canbo")
    staff.goto(f"{live_server.url}/voters/meetings/{meeting.pk}/intake/")
    for number, text in enumerate(TEXTS, start=1):
        staff.keyboard.type(text)
        staff.keyboard.press("Control+Enter")
        # A locator wait, not wait_for_function: evaluating a string is eval, which the CSP forbids.
        expect(staff.locator("#intake-count")).to_have_text(str(number))
        assert staff.evaluate("document.activeElement.id") == "id_content"
    assert staff.locator("#intake-table tbody tr").count() == 5
    assert Petition.objects.filter(sources__meeting=meeting, deputies=deputy).count() == 5

    # 2. Staff forward the five petitions in one action, producing the numbered letter.
    staff.goto(f"{live_server.url}/voters/petitions/")
    staff.check("#select-all")
    staff.click("#forward-selected")
    staff.select_option("#id_agency", str(agency.pk))
    staff.click("#forward-confirm")
    staff.locator("#portal-confirm [data-confirm-ok]").click(no_wait_after=True)  # "Forward 5 petitions to …?"
    staff.wait_for_selector("#letter-pdf", timeout=30000)
    assert Petition.objects.filter(status="forwarded", agency=agency).count() == 5
    assert staff.locator("text=01/CV-HĐND").count() >= 1

    # 3. The agency's responder answers one.
    target = Petition.objects.get(content=TEXTS[0])
    responder = _login(browser, live_server, "coquan")
    responder.goto(f"{live_server.url}/voters/petitions/")
    assert responder.locator("#petition-table tbody tr").count() == 5
    responder.goto(f"{live_server.url}/voters/petitions/{target.pk}/answer/")
    responder.select_option("#id_status", "resolved")
    responder.fill("#id_response_text", "Sở đã sửa chữa xong tuyến đường.")
    responder.fill("#id_response_by", "Giám đốc Sở Xây dựng")
    responder.click("main form button[type=submit]")
    responder.wait_for_selector("#response")
    target.refresh_from_db()
    assert target.status == "resolved"

    # 4. The deputy who took it sees it answered among their petitions.
    mine = _login(browser, live_server, "daibieu")
    mine.goto(f"{live_server.url}/voters/mine/")
    row = mine.locator("tr", has_text=TEXTS[0][:40])
    with override("vi"):
        assert str(Petition.Status.RESOLVED.label) in row.inner_text()
    mine.click(f"a[href='/voters/petitions/{target.pk}/']")
    assert "Sở đã sửa chữa xong tuyến đường." in mine.locator("#response").inner_text()
