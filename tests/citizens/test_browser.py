"""In a real browser: a reception officer receives a group visit, registers the denunciation it
brings as a letter and forwards it; then an office staff member without the identity permission
opens the letter, the register and the search, and sees the denouncers' identity redacted."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from citizens.models import IdentityViewLog, Letter, ReceptionDay, Visit  # noqa: E402
from citizens.rules import ensure_rules  # noqa: E402
from hdnd_portal.core.models import CouncilRole  # noqa: E402
from hdnd_portal.core.rules_loader import load_default_rules  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345-test"
REPRESENTATIVES = ["Hoàng Văn Đạidiện", "Phùng Thị Tốgiác"]


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
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _submit(page):
    page.click("form.portal-form button[type=submit]")


def test_group_visit_denunciation_forwarded_then_redacted_for_staff(browser, live_server, make_user, council, agency):
    load_default_rules()  # a transactional test starts from a flushed database
    ensure_rules()
    day = ReceptionDay.objects.create(council=council, date=date(2026, 3, 19), location="Trụ sở tiếp công dân")
    make_user("tiepdan", council, CouncilRole.Role.STAFF, extra_permissions=["can_view_denouncer_identity"])
    make_user("canbo", council, CouncilRole.Role.STAFF)

    # 1. The reception officer records a group visit of 8 citizens with two representatives.
    officer = _login(browser, live_server, "tiepdan")
    officer.goto(f"{live_server.url}/citizens/days/{day.pk}/")
    officer.click("#new-visit")
    officer.select_option("#id_kind", "denunciation")
    officer.fill("#id_citizen_count", "8")
    officer.fill("#id_content", "Tố cáo cán bộ địa chính phường nhận tiền khi cấp giấy chứng nhận")
    officer.fill("#id_requests", "Đề nghị xác minh, xử lý nghiêm")
    officer.select_option("#id_outcome", "letter")
    for index, name in enumerate(REPRESENTATIVES):
        officer.fill(f"#id_people-{index}-full_name", name)
        officer.fill(f"#id_people-{index}-address", f"Số {index + 3} ngõ 8 Đông Anh")
        officer.check(f"#id_people-{index}-is_representative")
    _submit(officer)
    officer.wait_for_selector("#register-letter")
    visit = Visit.objects.get()
    assert visit.is_group and visit.citizen_count == 8

    # 2. She registers the denunciation letter from the visit (the visitors become its senders).
    officer.click("#register-letter")
    officer.wait_for_selector("#id_copy_visitors")
    assert officer.input_value("#id_kind") == "denunciation"
    officer.fill("#id_letter_date", "19/03/2026")
    _submit(officer)
    officer.wait_for_selector("#forwarding-pdf, a[href$='/decide/']")
    letter = Letter.objects.get()
    assert letter.kind == "denunciation" and letter.visit == visit and letter.signer_count == 8
    assert sorted(letter.senders.values_list("full_name", flat=True)) == sorted(REPRESENTATIVES)

    # 3. …and forwards it to the competent agency: a numbered forwarding document.
    officer.click(f"a[href$='/letters/{letter.pk}/decide/']")
    officer.select_option("#id_decision", "forward")
    officer.fill("#id_decided_on", "20/03/2026")
    officer.select_option("#id_forwarded_to", str(agency.pk))
    _submit(officer)
    officer.wait_for_selector("#forwarding-pdf")
    letter.refresh_from_db()
    assert letter.decision == "forward" and letter.forward_doc_number.endswith("/PC-HĐND")
    # The officer holds the permission: revealing the identity shows it and logs the view.
    officer.click("#reveal-identity")
    officer.wait_for_selector(".identity-table")
    assert REPRESENTATIVES[0] in officer.content()
    assert IdentityViewLog.objects.filter(letter=letter).count() == 1

    # 4. A staff member without the permission sees the identity redacted everywhere.
    staff = _login(browser, live_server, "canbo")
    staff.goto(f"{live_server.url}/citizens/letters/{letter.pk}/")
    staff.wait_for_selector(".redacted")
    html = staff.content()
    assert all(name not in html for name in REPRESENTATIVES)
    assert staff.locator("#reveal-identity").count() == 0
    staff.goto(f"{live_server.url}/citizens/letters/")
    assert letter.register_number in staff.content()
    assert all(name not in staff.content() for name in REPRESENTATIVES)
    staff.goto(f"{live_server.url}/citizens/letters/?q=dia+chinh")  # the content is searchable…
    assert letter.register_number in staff.locator("table.portal-table").inner_text()
    staff.goto(f"{live_server.url}/citizens/letters/?q=Ho%C3%A0ng+V%C4%83n+%C4%90%E1%BA%A1idi%E1%BB%87n")
    assert staff.input_value("#id_q") == REPRESENTATIVES[0]  # …the denouncer's name is not
    assert letter.register_number not in staff.locator("table.portal-table").inner_text()
    staff.goto(f"{live_server.url}/citizens/visits/{visit.pk}/")
    assert all(name not in staff.content() for name in REPRESENTATIVES)
    assert IdentityViewLog.objects.filter(letter=letter).count() == 1
