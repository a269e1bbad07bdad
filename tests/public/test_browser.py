"""A citizen with a phone (390×844): finds the commune without typing accents, reads its latest
resolution, sees when a deputy receives citizens, and follows a petition by its tracking code to
the agency's answer. Every page passes axe-core with no serious or critical violation."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import date, time  # noqa: E402

import pytest  # noqa: E402

from hdnd_portal.core.models import Agency, CouncilRole, Deputy, Term  # noqa: E402
from public import services  # noqa: E402
from public.models import TrackingCode  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def _axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def _published_commune(commune, make_user):
    from citizens.models import ReceptionSchedule
    from sessions.models import Resolution
    from voters.models import Petition

    staff = make_user("canboxa", commune, CouncilRole.Role.STAFF)
    term = Term.objects.create(council=commune, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    deputy = Deputy.objects.create(council=commune, term=term, full_name="Trần Thị Bình", constituency="Đơn vị số 1",
                                   start_date=date(2021, 6, 25), phone="0900000000")
    agency = Agency.objects.create(council=commune, name="UBND Phường Đông Anh")
    older = Resolution.objects.create(council=commune, number="07/NQ-HĐND", number_seq=7, year=2025,
                                      title="Nghị quyết về kế hoạch đầu tư công", adopted_on=date(2025, 6, 20))
    latest = Resolution.objects.create(council=commune, number="12/NQ-HĐND", number_seq=12, year=2025,
                                       title="Nghị quyết về hỗ trợ học phí năm học 2025-2026",
                                       adopted_on=date(2025, 12, 10))
    schedule = ReceptionSchedule.objects.create(
        council=commune, title="Lịch tiếp công dân của đại biểu HĐND phường",
        receiver_kind=ReceptionSchedule.Receiver.DEPUTIES, location="Nhà văn hóa tổ dân phố số 3",
        weekday=ReceptionSchedule.Weekday.THURSDAY, sessions_per_month=4, start_time=time(8, 0),
        end_time=time(11, 0), valid_from=date(2021, 7, 1))
    schedule.receivers.add(deputy)
    petition = Petition.objects.create(
        council=commune, content="Đề nghị sửa chữa đường liên xã bị xuống cấp", locality="Tổ dân phố số 3",
        received_on=date(2025, 3, 10), is_public=True, status=Petition.Status.RESOLVED, agency=agency,
        forwarded_on=date(2025, 3, 20), response_date=date(2025, 4, 15), response_number="45/UBND",
        response_text="UBND phường đã sửa chữa xong tuyến đường trong tháng 5/2025.")
    for kind, record in [("resolution", older), ("resolution", latest), ("reception", schedule),
                         ("petition", petition)]:
        services.publication_publish(user=staff, kind=kind, object_id=record.pk)
    return TrackingCode.objects.get(object_id=petition.pk).code


def test_citizen_on_a_phone_finds_the_commune_reads_the_resolution_and_follows_the_petition(
    browser, live_server, commune, make_user
):
    code = _published_commune(commune, make_user)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: dict[str, list[str]] = {}

    # 1. Find the commune, typing without accents.
    page.goto(f"{live_server.url}/cong-khai/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"  # keyboard users skip the header
    violations["home"] = _axe_serious(page)
    page.fill("#council-q", "dong anh")
    page.press("#council-q", "Enter")
    page.click("#council-results >> text=Phường Đông Anh")
    page.wait_for_url("**/cong-khai/phuong-dong-anh-*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    violations["council"] = _axe_serious(page)

    # 2. Its latest resolution comes first.
    page.click("#h-res ~ ul a >> nth=0")
    assert "12/NQ-HĐND" in page.locator("h1").inner_text()
    assert "hỗ trợ học phí" in page.content()
    violations["resolution"] = _axe_serious(page)

    # 3. When a deputy receives citizens.
    page.click("nav.pub-tabs >> text=Tiếp công dân")
    days = page.locator("#reception-days li")
    assert days.count() >= 3
    assert "Trần Thị Bình" in days.first.inner_text() and "Nhà văn hóa tổ dân phố số 3" in days.first.inner_text()
    assert "0900000000" not in page.content()
    violations["reception"] = _axe_serious(page)

    # 4. The petition raised, by its tracking code, to the agency's answer.
    page.click("header >> text=Tra cứu kiến nghị, đơn thư")
    page.fill("#track-code", code.lower())
    page.press("#track-code", "Enter")
    assert "Đã giải quyết" in page.locator("#track-result").inner_text()
    violations["tracking"] = _axe_serious(page)
    page.click("#track-result >> text=Xem kiến nghị và văn bản trả lời")
    answer = page.locator("#petition-answer").inner_text()
    assert "sửa chữa xong tuyến đường" in answer and "15/04/2025" in answer
    violations["petition"] = _axe_serious(page)

    assert not any(violations.values()), violations
    context.close()


def test_every_public_page_has_no_serious_accessibility_violation(browser, live_server, commune, make_user):
    from public.queries import council_slug

    _published_commune(commune, make_user)
    s = council_slug(commune.name, commune.code)
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    found = {}
    for path in ["", "nghi-quyet/?q=hoc+phi", "ky-hop/", "giam-sat/", "kien-nghi/", "dai-bieu/", "du-lieu/"]:
        page.goto(f"{live_server.url}/cong-khai/{s}/{path}")
        found[path] = _axe_serious(page)
    for path in ["/cong-khai/du-lieu/", f"/cong-khai/theo-doi/?hoi_dong={s}", "/cong-khai/tra-cuu/?ma=ZZZZZZZZZZ"]:
        page.goto(f"{live_server.url}{path}")
        found[path] = _axe_serious(page)
    assert not any(found.values()), found
