"""Read a page as a person does: its visible text, then look for what must not be on a Vietnamese screen."""

import re
from html.parser import HTMLParser

# Elements whose content is never shown as text.
_HIDDEN = {"script", "style", "template", "noscript", "svg", "textarea", "code", "pre"}
# Attributes a person reads (or hears from a screen reader).
_SHOWN_ATTRS = ("placeholder", "title", "alt", "aria-label")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.hidden = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if not self.hidden and attrs.get("type") != "hidden":
            shown = [attrs.get(name) for name in _SHOWN_ATTRS]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                shown.append(attrs.get("value"))
            self.parts += [value.strip() for value in shown if value and value.strip()]
        if tag in _VOID:
            return
        hide = tag in _HIDDEN or "hidden" in attrs or "d-none" in (attrs.get("class") or "").split()
        self.stack.append(tag)
        self.hidden += 1 if hide else 0
        self._hide_flags = getattr(self, "_hide_flags", []) + [hide]

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if self._hide_flags.pop():
                self.hidden -= 1
            if top == tag:
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> tuple[str, list[str]]:
    """The text a reader sees (one line per text node) and the page's links."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts), parser.links


# English words a Vietnamese screen must not show (whole words, case as a programmer writes them).
ENGLISH = [
    "session",
    "Session",
    "None",
    "True",
    "False",
    "pending",
    "Pending",
    "assigned",
    "Assigned",
    "done",
    "Done",
    "planned",
    "Planned",
    "draft",
    "Draft",
    "open",
    "Open",
    "closed",
    "Closed",
    "overdue",
    "Overdue",
    "Choose File",
    "No file chosen",
    "Submit",
    "Delete",
    "Edit",
    "Save",
    "Search",
    "Cancel",
    "Back",
    "Next",
    "Previous",
    "Filter",
    "Export",
    "Download",
    "Upload",
    "Login",
    "Log in",
    "Log out",
    "Logout",
    "Password",
    "Username",
    "Home",
    "Dashboard",
    "Settings",
    "Profile",
    "Details",
    "Status",
    "Name",
    "Date",
    "Title",
    "Actions",
    "Add",
    "New",
    "Create",
    "Update",
    "Yes",
    "No",
    "Loading",
    "Error",
    "Warning",
    "Notifications",
    "Report",
    "Reports",
    "Deadline",
    "Deadlines",
    "Council",
    "Councils",
    "Deputy",
    "Deputies",
    "Agency",
    "Letter",
    "Letters",
    "Petition",
    "Petitions",
    "Meeting",
    "Meetings",
    "Resolution",
    "Resolutions",
    "Page",
    "of",
    "the",
    "and",
    "with",
    "from",
    "by",
    "for",
    "are",
    "not",
    "All",
    "unknown",
    "Unknown",
    "null",
    "undefined",
    "NaN",
    "Field",
    "This field is required",
]
# Tokens that are legitimately Latin in a Vietnamese UI.
ALLOWED = {
    "PDF",
    "Excel",
    "Word",
    "API",
    "ID",
    "CSV",
    "JSON",
    "XLSX",
    "DOCX",
    "OpenAPI",
    "Swagger",
    "Email",
    "e-mail",
    "QR",
    "URL",
    "HĐND",
    "UBND",
    "CSP",
    "OK",
    "SMS",
    "Zalo",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"(https?://|www\.)\S+|/[\w\-./]+/")
# an internal code: lowercase identifier with a dot or underscore (citizens.complaint_resolve, documents_sent)
_CODE = re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w@/-])")
_PATH = re.compile(
    r"(?:^|\s)(?:/?[\w-]+/)+[\w-]+\.(?:py|html|pdf|docx|xlsx|csv|txt|json|png|jpg)\b|\b\w+\.(?:py|html)\b"
)
_DOT_DECIMAL = re.compile(r"\b\d+\.\d+\s?(?:%|[KMG]?B\b)")
_WORD_CACHE: dict[str, re.Pattern] = {}


def _word(word: str) -> re.Pattern:
    if word not in _WORD_CACHE:
        _WORD_CACHE[word] = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])")
    return _WORD_CACHE[word]


def problems(text: str, *, allowed_words: set[str] = frozenset()) -> list[str]:
    """Every line of text that shows a code, a path, an English word or a number in English format."""
    found = []
    for line in text.splitlines():
        clean = _URL.sub(" ", _EMAIL.sub(" ", line))
        for match in _CODE.finditer(clean):
            found.append(f"code {match.group()!r} in {line!r}")
        for match in _PATH.finditer(line):
            found.append(f"path {match.group().strip()!r} in {line!r}")
        for match in _DOT_DECIMAL.finditer(line):
            found.append(f"number {match.group()!r} in {line!r}")
        for word in ENGLISH:
            if word in allowed_words or word in ALLOWED:
                continue
            if _word(word).search(clean):
                found.append(f"English {word!r} in {line!r}")
    return found


_SKIP = re.compile(
    r"^/(api/|admin/|logout|static/|media/|i18n/)|/(export|download|xlsx|docx|pdf|file)\b|[?&](format|export)="
)
_NUM = re.compile(r"/\d+(?=/)")


def shape(path: str) -> str:
    return _NUM.sub("/{n}", path.split("?")[0])


def crawl(client, start: str = "/", *, seen: set[str] | None = None, limit: int = 400) -> dict[str, str]:
    """The pages reachable from the start page and the navigation (depth 1), and from each of those
    the first link of every kind not seen yet (a detail page of each kind of record). Returns
    {path: visible text} of every HTML page that answered 200.

    `seen` (the kinds of page another role's crawl already read) is shared between calls: a later
    role reads its start page and only the kinds of page no earlier role reached."""
    from urllib.parse import urlsplit

    seen = set() if seen is None else seen
    pages: dict[str, str] = {}
    queue = [(start, 0)]
    queued = {shape(start)}
    while queue and len(pages) < limit:
        path, depth = queue.pop(0)
        response = client.get(path)
        seen.add(shape(path))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text, links = visible(response.content.decode())
        pages[path] = text
        if depth >= 2:
            continue
        for href in links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or _SKIP.search(href):
                continue
            target = parts.path
            kind = shape(target)
            if kind in seen or kind in queued:
                continue
            queued.add(kind)
            queue.append((target, depth + 1))
    return pages
