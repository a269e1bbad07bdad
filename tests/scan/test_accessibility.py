"""axe-core in headless Chromium over the main staff pages (as `canbo`) and the public pages:
no "serious" or "critical" violation. Screenshots of every page go to test-artifacts/axe/."""

import os

import pytest
from django.urls import reverse

from public.queries import council_slug

from .conftest import build_demo

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "home",
    "notifications:list",
    "notifications:my_deadlines",
    "notifications:council_deadlines",
    "reports:report_list",
    "reports:report_request",
    "reports:dashboard",
    "core:deputy_list",
    "core:deputy_create",
    "core:rule_list",
    "sessions:session_list",
    "sessions:session_create",
    "sessions:resolution_list",
    "sessions:document_list",
    "oversight:activity_list",
    "oversight:activity_create",
    "oversight:recommendation_list",
    "voters:meeting_list",
    "voters:meeting_create",
    "voters:petition_list",
    "voters:petition_create",
    "citizens:letter_list",
    "citizens:letter_create",
    "citizens:visit_list",
    "citizens:schedule_list",
    "programmes:programme_list",
    "programmes:programme_create",
    "programmes:briefing_list",
]
PUBLIC_PAGES = ["public:home", "public:datasets", "public:track", "login"]
PUBLIC_COUNCIL_PAGES = [
    "public:council",
    "public:sessions",
    "public:resolutions",
    "public:oversight",
    "public:petitions",
    "public:reception",
    "public:deputies",
]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def browser_context():
    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("Debian's chromium is required for the browser tests (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        # axe-core is injected by the test, not by the page: the page's CSP would refuse it.
        yield browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
        browser.close()


def _violations(page, axe, url: str, shot: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    os.makedirs("test-artifacts/axe", exist_ok=True)
    page.screenshot(path=f"test-artifacts/axe/{shot}.png", full_page=True)
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['impact']} {violation['id']} ({violation['help']}) at {targets}")
    return found


def test_the_main_pages_have_no_serious_accessibility_violation(live_server, browser_context):
    demo = build_demo()
    demo.users["canbo"].set_password("pw-axe-12345")
    demo.users["canbo"].save()
    axe = axe_module.Axe()
    page = browser_context.new_page()
    found = []
    for name in PUBLIC_PAGES:
        found += _violations(page, axe, live_server.url + reverse(name), "public-" + name.replace(":", "-"))
    province = demo.province.council
    slug = council_slug(province.name, province.code)
    for name in PUBLIC_COUNCIL_PAGES:
        found += _violations(page, axe, live_server.url + reverse(name, args=[slug]), name.replace(":", "-"))
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "pw-axe-12345")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for name in STAFF_PAGES:
        found += _violations(page, axe, live_server.url + reverse(name), name.replace(":", "-"))
    assert found == []
