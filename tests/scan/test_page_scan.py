"""Every page a person reaches from the navigation and the home page — and one record of each
kind linked from them — read as the visible text, by each demo role and by the public: no
internal codes, no file paths, no English words, no numbers in English format."""

import pytest
from django.test import Client

from .textscan import crawl, problems, visible

pytestmark = pytest.mark.django_db

# canbo first: the office staff reach the most pages; each later role reads its own home page and
# the kinds of page no earlier role reached (a deputy's petitions, a responder's assignments…).
ROLES = ["canbo", "lanhdao", "daibieu", "coquan", "xa", "admin"]


# Known and left as is (reported in issue #14): the role form's extra permissions are typed as
# permission codes, so its help text shows one as the example. The real fix is a list of named
# permissions to tick; until then only this code, only on the role pages, is tolerated.
KNOWN = {("/core/roles/", "'can_view_denouncer_identity'")}


def _report(pages: dict[str, str]) -> list[str]:
    return [
        f"{path}: {problem}"
        for path, text in pages.items()
        for problem in problems(text)
        if not any(path.startswith(prefix) and token in problem for prefix, token in KNOWN)
    ]


def test_every_page_each_role_and_the_public_reach_reads_as_vietnamese(demo):
    seen: set[str] = set()
    found, counts = [], {}
    for username in ROLES:
        client = Client()
        client.force_login(demo.users[username])
        pages = crawl(client, "/", seen=seen)
        counts[username] = len(pages)
        found += _report(pages)
    public = crawl(Client(), "/cong-khai/", seen=seen)
    counts["public"] = len(public)
    found += _report(public)
    # the crawl really went through the portal (every area's list and records)
    assert counts["canbo"] > 60 and counts["public"] > 10, counts
    assert found == []


def test_the_scanner_finds_what_it_must():
    """The scanner itself: each kind of problem is caught, legitimate text is not."""
    html = """<html><head><title>x</title><style>.a{}</style></head><body>
      <script>var session = null;</script>
      <p class="x" data-kind="documents_sent">Hạn: citizens.complaint_resolve</p>
      <p>Trạng thái: pending → done</p><p>Tỷ lệ 85.11%</p><p>Tệp 25.0 MB</p>
      <p>media/attachments/2025/don.pdf</p><button>Save</button><span hidden>Delete</span>
      <p>Liên hệ vanphong@hanoi.gov.vn, tải PDF hoặc Excel, tỷ lệ 85,11%</p></body></html>"""
    text, _links = visible(html)
    found = problems(text)
    assert "var session" not in text and "documents_sent" not in text and "Delete" not in text
    assert any("citizens.complaint_resolve" in f for f in found)
    assert any("'pending'" in f for f in found) and any("'done'" in f for f in found)
    assert any("85.11%" in f for f in found) and any("25.0 MB" in f for f in found)
    assert any("path" in f and "don.pdf" in f for f in found)
    assert any("'Save'" in f for f in found)
    assert not any("vanphong" in f or "85,11" in f or "'PDF'" in f or "'Excel'" in f for f in found)
