"""In a real browser: the searchable multi-select (type "nguyen", tick two deputies, the form
saves them), the confirmation dialog before forwarding (Cancel forwards nothing, OK forwards)
and merging by ticking a similar petition (no number to type)."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from hdnd_portal.core.models import Agency, CouncilRole, Deputy, Term  # noqa: E402
from voters.models import Petition, VoterMeeting  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345-test"
SHOTS = os.environ.get("UI_SCREENSHOTS")  # a folder: also save what the tests see there


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def _login(browser, live_server, username, width=1366, height=900):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    # Script errors and refused scripts (CSP); a missing favicon is not one.
    page.on(
        "console",
        lambda m: errors.append(m.text)
        if m.type == "error" and not m.text.startswith("Failed to load resource")
        else None,
    )
    page.console_errors = errors
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name))


def test_typing_nguyen_filters_the_deputies_and_two_ticked_ones_are_saved(browser, live_server, make_user, council):
    term = Term.objects.create(council=council, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    names = ["Nguyễn Văn An", "Nguyễn Thị Bình", "Trần Văn Cường", "Lê Nguyên Hạnh", "Phạm Thị Dung"]
    deputies = {
        n: Deputy.objects.create(council=council, term=term, full_name=n, start_date=date(2021, 6, 25)) for n in names
    }
    make_user("canbo", council, CouncilRole.Role.STAFF)
    page = _login(browser, live_server, "canbo")
    page.goto(f"{live_server.url}/voters/meetings/new/")

    # The plain select is replaced by the search box and the list; the label names the box.
    expect(page.locator("#id_deputies")).to_be_hidden()
    search = page.get_by_role("searchbox", name="Đại biểu có mặt")  # the field's label names the box
    expect(search).to_be_visible()
    options = page.locator("#id_deputies-ms-list .portal-ms-option:visible")
    expect(options).to_have_count(5)
    search.fill("nguyen")  # no accents typed; "Lê Nguyên Hạnh" matches a word too
    expect(options).to_have_count(3)
    search.fill("nguyen van")
    expect(options).to_have_count(1)
    expect(options).to_have_text(["Nguyễn Văn An"])
    search.press("Enter")  # Enter ticks the only match and clears the filter; the form is not sent
    assert page.url.endswith("/voters/meetings/new/")
    search.fill("nguyen thi")
    page.keyboard.press("ArrowDown")  # into the list, then Space ticks
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the list is one tab stop: Tab leaves it
    expect(page.get_by_role("button", name="Chọn tất cả đang hiện")).to_be_focused()
    expect(page.locator(".portal-ms-chip")).to_have_count(2)
    # The list's order: Vietnamese, by given name first (An before Bình).
    expect(page.locator(".portal-ms-chip")).to_have_text(["Nguyễn Văn An", "Nguyễn Thị Bình"])
    _shot(page, "ui-multiselect-test.png")

    page.fill("#id_date", "10/01/2026")
    page.fill("#id_voter_count", "120")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/voters/meetings/*/")
    meeting = VoterMeeting.objects.get()
    assert set(meeting.deputies.values_list("full_name", flat=True)) == {"Nguyễn Văn An", "Nguyễn Thị Bình"}

    # Editing shows the two as chips; removing one by its chip saves the rest.
    page.goto(f"{live_server.url}/voters/meetings/{meeting.pk}/edit/")
    expect(page.locator(".portal-ms-chip")).to_have_count(2)
    page.get_by_role("button", name="Bỏ chọn: Nguyễn Văn An").click()
    expect(page.locator(".portal-ms-chip")).to_have_count(1)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/voters/meetings/{meeting.pk}/")
    assert list(meeting.deputies.all()) == [deputies["Nguyễn Thị Bình"]]
    assert page.console_errors == []


def test_forwarding_asks_first_cancel_forwards_nothing_ok_forwards(
    browser, live_server, make_user, council, make_petition
):
    agency = Agency.objects.create(council=council, name="Sở Giao thông vận tải", short_name="SGTVT")
    petitions = [make_petition(council, content=f"Đề nghị sửa đường số {n} bị xuống cấp") for n in (1, 2, 3)]
    make_user("canbo", council, CouncilRole.Role.STAFF)
    for width, height in ((1366, 900), (390, 844)):
        page = _login(browser, live_server, "canbo", width, height)
        page.goto(f"{live_server.url}/voters/petitions/")
        page.check("#select-all")
        page.click("#forward-selected")
        # The agency is offered by its full name, not its abbreviation.
        expect(page.locator("#id_agency option", has_text="Sở Giao thông vận tải (SGTVT)")).to_have_count(1)
        page.select_option("#id_agency", str(agency.pk))
        page.click("#forward-confirm")
        dialog = page.locator("#portal-confirm")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Chuyển 3 kiến nghị đến Sở Giao thông vận tải (SGTVT)")
        expect(dialog.get_by_role("button", name="Hủy")).to_be_focused()
        _shot(page, f"ui-confirm-{width}.png")
        dialog.get_by_role("button", name="Hủy").click()
        expect(dialog).to_be_hidden()
        assert Petition.objects.filter(status="forwarded").count() == 0
        expect(page.locator("#forward-confirm")).to_be_enabled()  # the form can still be sent
        page.click("#forward-confirm")
        page.keyboard.press("Escape")  # Escape cancels too
        expect(dialog).to_be_hidden()
        assert Petition.objects.filter(status="forwarded").count() == 0
        page.context.close()

    page = _login(browser, live_server, "canbo")
    page.goto(f"{live_server.url}/voters/petitions/")
    page.check("#select-all")
    page.click("#forward-selected")
    page.select_option("#id_agency", str(agency.pk))
    page.click("#forward-confirm")
    # The letter's PDF is made before the answer comes: do not wait for it in the click.
    page.locator("#portal-confirm").get_by_role("button", name="Chuyển").click(no_wait_after=True)
    page.wait_for_selector("#letter-pdf", timeout=60000)
    assert set(Petition.objects.filter(pk__in=[p.pk for p in petitions]).values_list("status", flat=True)) == {
        "forwarded"
    }
    assert page.console_errors == []


def test_ticking_a_suggested_petition_merges_into_it(browser, live_server, make_user, council, make_petition):
    kept = make_petition(council, content="Đề nghị lắp đèn chiếu sáng ngõ 12 phố Cầu Giấy")
    make_petition(council, content="Kiến nghị về giá điện sinh hoạt tăng cao")
    make_user("canbo", council, CouncilRole.Role.STAFF)
    page = _login(browser, live_server, "canbo")

    # Typing a petition that exists: the suggestion offers "Save, then merge with #n".
    page.goto(f"{live_server.url}/voters/petitions/new/")
    page.fill("#id_content", "Cử tri đề nghị lắp đèn chiếu sáng ngõ 12 Cầu Giấy")
    page.select_option("#id_level", "province")
    suggestion = page.locator("#similar-list li", has_text=f"#{kept.pk}")
    expect(suggestion).to_be_visible()
    suggestion.get_by_role("button", name=f"Lưu rồi gộp với #{kept.pk}").click()

    # The merge page opens with the suggestion ticked; merging asks, then merges.
    page.wait_for_url(f"{live_server.url}/voters/petitions/*/merge/?pick={kept.pk}")
    new = Petition.objects.exclude(pk=kept.pk).get(content__startswith="Cử tri")
    expect(page.locator(f"#others-{kept.pk}")).to_be_checked()
    page.click("#merge-this-into")
    dialog = page.locator("#portal-confirm")
    expect(dialog).to_contain_text(f"Gộp kiến nghị #{new.pk} vào #{kept.pk}?")
    dialog.get_by_role("button", name="Gộp").click()
    page.wait_for_url(f"{live_server.url}/voters/petitions/{kept.pk}/")
    new.refresh_from_db()
    assert new.status == Petition.Status.MERGED and new.merged_into_id == kept.pk
    assert kept.sources.count() == 2

    # From a petition's own page: click the similar one in the list to merge it here.
    again = make_petition(council, content="Lắp đèn chiếu sáng ngõ 12 phố Cầu Giấy còn tối")
    page.goto(f"{live_server.url}/voters/petitions/{kept.pk}/merge/")
    page.locator("label", has_text=f"#{again.pk}").click()
    page.click("#merge-into-this")
    page.locator("#portal-confirm").get_by_role("button", name="Gộp").click()
    page.wait_for_url(f"{live_server.url}/voters/petitions/{kept.pk}/")
    again.refresh_from_db()
    assert again.merged_into_id == kept.pk
    assert kept.sources.count() == 3
    assert page.console_errors == []
