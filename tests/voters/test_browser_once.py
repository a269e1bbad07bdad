"""In a real browser: a double click on "save" and the back button followed by "save" again each
leave one petition, not two (the one-time form token, core.forms_base)."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402

from hdnd_portal.core.models import CouncilRole  # noqa: E402
from tests.voters import test_browser_ui as ui  # noqa: E402
from voters.models import Petition  # noqa: E402

browser = ui.browser  # the Chromium fixture of the multi-select tests
_login = ui._login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Đề nghị sửa chữa tuyến đường liên thôn bị sạt lở sau mưa lũ"


def _fill_and_save(page, live_server, click="click"):
    page.goto(f"{live_server.url}/voters/petitions/new/")
    page.fill("#id_content", TEXT)
    save = page.locator("main form button[type=submit]").last
    getattr(save, click)()
    page.wait_for_url(lambda url: "/new/" not in url)


def test_a_double_click_on_save_creates_one_petition(browser, live_server, make_user, council):
    make_user("canbo", council, CouncilRole.Role.STAFF)
    page = _login(browser, live_server, "canbo")
    _fill_and_save(page, live_server, click="dblclick")
    page.wait_for_load_state("networkidle")
    assert Petition.objects.filter(content=TEXT).count() == 1


def test_back_then_save_again_creates_no_second_petition(browser, live_server, make_user, council):
    make_user("canbo", council, CouncilRole.Role.STAFF)
    page = _login(browser, live_server, "canbo")
    _fill_and_save(page, live_server)
    first = page.url
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert "/new/" in page.url
    if not page.locator("#id_content").input_value():
        page.fill("#id_content", TEXT)  # a browser that reloads the form: the user types it again
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert Petition.objects.filter(content=TEXT).count() == 1
    assert page.url == first  # the repeat lands on the petition the first save created
