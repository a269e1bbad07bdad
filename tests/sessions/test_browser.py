import os
from datetime import date

import pytest
from django.utils import timezone

from hdnd_portal.core.models import CouncilRole
from sessions.models import AgendaItem, CouncilSession, Resolution

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "pw-12345-test"


def login(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chair_opens_a_poll_two_deputies_vote_chair_closes_and_the_resolution_passed(
    live_server, council, term, make_deputy, make_user
):
    from playwright.sync_api import expect, sync_playwright

    today = timezone.localdate()
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        number=7,
        planned_start=today,
        planned_end=today,
        actual_start=today,
        status=CouncilSession.Status.IN_SESSION,
        is_paperless=True,
    )
    item = AgendaItem.objects.create(
        council=council, session=session, position=1, proposes_resolution=True, title="Nghị quyết về dự toán ngân sách"
    )
    deputies = [make_deputy(council, f"Đại biểu {i}", term=term, start_date=date(2021, 6, 25)) for i in range(3)]
    make_user("chutoa", council, CouncilRole.Role.LEADER)
    make_user("daibieu1", council, CouncilRole.Role.DEPUTY, deputy=deputies[0])
    make_user("daibieu2", council, CouncilRole.Role.DEPUTY, deputy=deputies[1])
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        chair = login(browser, base, "chutoa")
        chair.goto(f"{base}/sessions/{session.pk}/")
        chair.click(f"form[action='/sessions/items/{item.pk}/poll/'] button")
        chair.wait_for_url(f"{base}/sessions/polls/*/")
        expect(chair.locator("[data-k=voted]")).to_have_text("0")
        poll_url = chair.url

        for username in ("daibieu1", "daibieu2"):
            deputy = login(browser, base, username)
            deputy.goto(f"{base}/sessions/my/")
            deputy.click("#vote-now a.btn")
            deputy.click("button[name=choice][value=yes]")
            expect(deputy.locator("#my-vote")).to_be_visible()

        # The chair's page polls the tally endpoint and shows both votes without reloading.
        assert chair.url == poll_url
        expect(chair.locator("[data-k=voted]")).to_have_text("2", timeout=10_000)
        expect(chair.locator("[data-k=yes]")).to_have_text("2")
        expect(chair.locator("[data-k=total]")).to_have_text("3")
        chair.click("#close-poll")
        result = chair.locator("#poll-result .alert-success")
        expect(result).to_be_visible()
        result.locator("a").click()
        expect(chair.locator("#vote-result")).to_have_class("badge fs-6 text-bg-success")
        browser.close()

    resolution = Resolution.objects.get()
    assert resolution.vote.passed and (resolution.vote.yes, resolution.vote.total_deputies) == (2, 3)
