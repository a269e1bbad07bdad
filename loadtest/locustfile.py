"""Locust load test of the portal: office staff, deputies, agency responders and public readers on
the demo data (accounts of seed_demo, password demo12345). Run it with `scripts/loadtest`, which
starts the production stack on 127.0.0.1 and writes the summary; or by hand:

    .venv-load/bin/locust -f loadtest/locustfile.py --headless -u 40 -r 4 -t 5m --host http://127.0.0.1:8000

Each simulated person connects from an address of its own in 127.0.0.0/8 (loopback), as people at
their own machines do: the public site limits requests per address, and one shared address would
turn a crowd of readers into one client over its limit.

Requests are named "<group>: <page>" (groups: staff, deputy, agency, public, login); at the end
the per-group counts, failures, p50/p95 and requests per second go to $LOAD_RESULTS (JSON).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from datetime import date

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

from loadtest.forms import links, post_form

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo12345")
TRACKING_CODES = [code for code in os.environ.get("LOAD_TRACKING_CODES", "").split(",") if code]
# Accent-free searches, as people type them.
SEARCHES = ["dat dai", "ngan sach", "giao thong", "moi truong", "dong anh", "nuoc sach", "y te", "truong hoc"]
_addresses = itertools.cycle(f"127.0.{a}.{b}" for a in range(1, 250) for b in range(2, 250))


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def today() -> str:
    return date.today().strftime("%d/%m/%Y")


class PortalUser(HttpUser):
    abstract = True
    group = ""
    accounts: tuple[str, ...] = ()
    wait_time = between(2, 6)

    def on_start(self):
        self.client.mount("http://", SourceAddressAdapter(next(_addresses)))
        self.detail_links: dict[str, list[str]] = {}
        if self.accounts:
            self.login(random.choice(self.accounts))

    def login(self, username: str) -> None:
        page = self.client.get("/login/", name="login: form")
        form = post_form(page.text, "username")
        form["fields"].update(username=username, password=PASSWORD)
        with self.client.post("/login/", data=form["fields"], name="login: submit", catch_response=True,
                              headers={"Referer": self.host + "/login/"}) as response:
            if "/login/" in response.url:
                response.failure(f"login of {username} refused")

    def page(self, path: str, label: str, pattern: str | None = None, **kwargs):
        """GET a page; remember the detail links it shows (pattern) for later tasks."""
        response = self.client.get(path, name=f"{self.group}: {label}", **kwargs)
        if pattern and response.ok:
            found = links(response.text, pattern)
            if found:
                self.detail_links[pattern] = found
        return response

    def detail(self, list_path: str, pattern: str, label: str):
        if not self.detail_links.get(pattern):
            self.page(list_path, label.replace("detail", "list"), pattern)
        if self.detail_links.get(pattern):
            return self.page(random.choice(self.detail_links[pattern]), label)
        return None

    def submit(self, form_path: str, marker: str, values: dict, label: str, success: str) -> None:
        """Open a form, fill it as a person would, post it; a page that shows the form again is a
        failure (the save was refused)."""
        page = self.client.get(form_path, name=f"{self.group}: {label} form")
        form = post_form(page.text, marker) if page.ok else None
        if form is None:
            return
        form["fields"].update(values)
        with self.client.post(form["action"] or form_path, data=form["fields"], name=f"{self.group}: {label} save",
                              headers={"Referer": self.host + form_path}, catch_response=True) as response:
            if not response.ok:
                text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
                response.failure(f"{response.status_code} at {response.url}: {text[:300]}")
            elif not re.search(success, response.url):
                errors = re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>\s*([^<]+)',
                                    response.text)
                response.failure(f"not saved ({response.url}): {errors[:3]}")


PETITION = r"/voters/petitions/\d+/"
LETTER = r"/citizens/letters/\d+/"


class OfficeStaff(PortalUser):
    """Chuyên viên Văn phòng: lists, records, accent-free searches, now and then a new petition or letter."""

    weight = 3
    group = "staff"
    accounts = ("canbo", "xa")

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(6)
    def petitions(self):
        self.page(f"/voters/petitions/?page={random.randint(1, 3)}", "petition list", PETITION)

    @task(6)
    def petition(self):
        self.detail("/voters/petitions/", PETITION, "petition detail")

    @task(4)
    def letters(self):
        self.page("/citizens/letters/", "letter list", LETTER)

    @task(4)
    def letter(self):
        self.detail("/citizens/letters/", LETTER, "letter detail")

    @task(4)
    def search(self):
        where = random.choice(["/voters/petitions/", "/citizens/letters/"])
        self.page(where, "search", params={"q": random.choice(SEARCHES)})

    @task(2)
    def deadlines(self):
        self.page("/notifications/deadlines/", "my deadlines")

    @task(1)
    def new_petition(self):
        self.submit("/voters/petitions/new/", "content", {
            "content": f"Cử tri đề nghị sửa đường liên thôn, kiểm thử tải {time.time_ns()}",
            "received_on": today(),
        }, "petition", r"/voters/petitions/\d+/$")

    @task(1)
    def new_letter(self):
        self.submit("/citizens/letters/new/", "subject", {
            "received_on": today(),
            "channel": random.choice(["post", "in_person", "email"]),
            "kind": "reflection",
            "people-0-full_name": "Nguyễn Văn An",
            "people-0-address": "Thôn Đông, xã Đông Anh",
            "subject": f"Đơn kiến nghị về trật tự xây dựng {time.time_ns() % 100000}",
            "content": "Công dân phản ánh công trình xây dựng lấn chiếm vỉa hè (kiểm thử tải).",
        }, "letter", r"/citizens/letters/\d+/$")


class Deputy(PortalUser):
    """Đại biểu: the petitions they carry, their sessions, the session documents."""

    weight = 2
    group = "deputy"
    accounts = ("daibieu", "daibieu2")

    @task(2)
    def home(self):
        self.page("/", "home")

    @task(4)
    def my_petitions(self):
        self.page("/voters/mine/", "my petitions", PETITION)

    @task(3)
    def petition(self):
        self.detail("/voters/mine/", PETITION, "petition detail")

    @task(3)
    def my_sessions(self):
        self.page("/sessions/my/", "my sessions", r"/sessions/\d+/")

    @task(2)
    def session(self):
        self.detail("/sessions/my/", r"/sessions/\d+/", "session detail")

    @task(3)
    def documents(self):
        self.page("/sessions/documents/", "document list", r"/sessions/documents/\d+/")

    @task(2)
    def document(self):
        self.detail("/sessions/documents/", r"/sessions/documents/\d+/", "document detail")


class AgencyResponder(PortalUser):
    """Cán bộ cơ quan (Sở Xây dựng): the petitions forwarded to the agency, and answers to them."""

    weight = 1
    group = "agency"
    accounts = ("coquan",)

    @task(2)
    def home(self):
        self.page("/", "home")

    @task(5)
    def petitions(self):
        self.page("/voters/petitions/", "petition list", PETITION)

    @task(4)
    def petition(self):
        self.detail("/voters/petitions/", PETITION, "petition detail")

    @task(1)
    def answer(self):
        page = self.client.get("/voters/petitions/?status=forwarded", name="agency: awaiting answer")
        waiting = links(page.text, PETITION) if page.ok else []
        if not waiting:
            return
        target = random.choice(waiting)
        self.submit(f"{target}answer/", "response_date", {
            "status": random.choice(["resolved", "explained"]),
            "response_text": "Sở đã kiểm tra hiện trường và bố trí kinh phí sửa chữa trong quý tới.",
            "response_date": today(),
            "response_by": "Sở Xây dựng",
        }, "answer", r"/voters/petitions/\d+/$")


class PublicReader(PortalUser):
    """A citizen on the public site (/cong-khai/), no login: councils, petitions, sessions,
    resolutions, deputies, and a tracking look-up."""

    weight = 4
    group = "public"
    wait_time = between(3, 8)

    def on_start(self):
        super().on_start()
        home = self.page("/cong-khai/", "home")
        slugs = [s for s in links(home.text, r'href="/cong-khai/([-a-z0-9]+)/"')
                 if s not in {"tra-cuu", "theo-doi", "du-lieu", "quan-tri"}]
        self.slug = slugs[0] if slugs else "ha-noi"

    @task(2)
    def home(self):
        self.page("/cong-khai/", "home")

    @task(3)
    def council(self):
        self.page(f"/cong-khai/{self.slug}/", "council")

    @task(4)
    def petitions(self):
        self.page(f"/cong-khai/{self.slug}/kien-nghi/", "petition list", rf"/cong-khai/{self.slug}/kien-nghi/\d+/")

    @task(3)
    def petition(self):
        self.detail(f"/cong-khai/{self.slug}/kien-nghi/", rf"/cong-khai/{self.slug}/kien-nghi/\d+/", "petition detail")

    @task(2)
    def sessions(self):
        self.page(f"/cong-khai/{self.slug}/ky-hop/", "session list")

    @task(2)
    def resolutions(self):
        self.page(f"/cong-khai/{self.slug}/nghi-quyet/", "resolution list",
                  rf"/cong-khai/{self.slug}/nghi-quyet/\d+/")

    @task(1)
    def resolution(self):
        self.detail(f"/cong-khai/{self.slug}/nghi-quyet/", rf"/cong-khai/{self.slug}/nghi-quyet/\d+/",
                    "resolution detail")

    @task(1)
    def deputies(self):
        self.page(f"/cong-khai/{self.slug}/dai-bieu/", "deputy list")

    @task(1)
    def track(self):
        if TRACKING_CODES:
            self.page("/cong-khai/tra-cuu/", "tracking look-up", params={"ma": random.choice(TRACKING_CODES)})


# --- summary per group ----------------------------------------------------------------------------
_times: dict[str, list[float]] = defaultdict(list)
_failures: dict[str, int] = defaultdict(int)
_errors: dict[str, int] = defaultdict(int)
_window: dict[str, float] = {}


@events.test_start.add_listener
def _started(**_kwargs):
    _window["start"] = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kwargs):
    group = name.split(":", 1)[0]
    for key in (group, "all"):
        _times[key].append(response_time)
        if exception is not None:
            _failures[key] += 1
    if exception is not None and len(_errors) < 50:
        _errors[f"{name}: {str(exception)[:200]}"] += 1


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


@events.quitting.add_listener
def _write(environment, **_kwargs):
    path = os.environ.get("LOAD_RESULTS")
    if not path:
        return
    seconds = max(time.time() - _window.get("start", time.time()), 1e-6)
    groups = {
        group: {
            "requests": len(values),
            "failures": _failures[group],
            "rps": round(len(values) / seconds, 2),
            "p50_ms": round(_percentile(values, 0.50)),
            "p95_ms": round(_percentile(values, 0.95)),
            "max_ms": round(max(values)),
        }
        for group, values in sorted(_times.items())
    }
    stats = environment.stats
    pages = {
        name: {"requests": entry.num_requests, "failures": entry.num_failures,
               "p50_ms": entry.get_response_time_percentile(0.5), "p95_ms": entry.get_response_time_percentile(0.95)}
        for (name, _method), entry in sorted(stats.entries.items())
    }
    with open(path, "w") as handle:
        json.dump({"seconds": round(seconds, 1), "groups": groups, "pages": pages, "errors": dict(_errors)}, handle,
                  ensure_ascii=False, indent=1)
