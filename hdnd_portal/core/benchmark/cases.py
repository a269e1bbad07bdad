"""What the benchmark measures on the scale dataset: each main staff list page and its API list
(typical filters, accent-insensitive search, with and without the councils below), the main
detail pages, the home page and the dashboard — as the city's office staff (`canbo`) and, for
the busiest lists, as a commune's staff (`xa`: its cost must not grow with the other councils)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass
class ListSpec:
    """A list: its model (for the admin changelist), the page path and the API path."""

    key: str
    model: str  # app_label.ModelName
    page: str
    api: str | None
    columns: list[str]
    ordering: list[str]
    filters: list[tuple[str, str, str]]  # (label, page query string, admin query string)
    search: str | None  # a typical search, typed without accents
    city_api: str = "council={city}"  # the API's "this council only"


LISTS = [
    ListSpec(
        "petitions",
        "voters.Petition",
        "/voters/petitions/",
        "/api/voters/petitions/",
        [
            "content",
            "kind",
            "field",
            "locality",
            "level",
            "committee",
            "received_on",
            "agency",
            "response_due",
            "status",
            "evaluation",
        ],
        ["-received_on", "-id"],
        [("status forwarded", "status=forwarded", "status__exact=forwarded")],
        "duong",
    ),
    ListSpec(
        "letters",
        "citizens.Letter",
        "/citizens/letters/",
        "/api/citizens/letters/",
        ["register_number", "received_on", "kind", "subject", "field", "channel", "status", "forwarded_to"],
        ["-received_on", "-id"],
        [("status accepted", "status=accepted", "status__exact=accepted")],
        "dat dai",
    ),
    ListSpec(
        "deadlines",
        "core.Deadline",
        "/notifications/deadlines/council/",
        "/api/notifications/deadlines/",
        ["title", "kind", "due_date", "responsible_agency", "state"],
        ["due_date", "id"],
        [("overdue", "status=overdue", "state__exact=open")],
        "xay dung",
        city_api="scope=council&council={city}",
    ),
    ListSpec(
        "resolutions",
        "council_sessions.Resolution",
        "/sessions/resolutions/",
        "/api/sessions/resolutions/",
        [
            "number",
            "title",
            "kind",
            "field",
            "adopted_on",
            "effective_on",
            "session",
            "implementation_status",
            "is_published",
        ],
        ["-adopted_on", "-number_seq"],
        [],
        "ngan sach",
    ),
    ListSpec(
        "voter meetings",
        "voters.VoterMeeting",
        "/voters/meetings/",
        "/api/voters/meetings/",
        ["date", "title", "kind", "group", "commune", "field", "session"],
        ["-date", "-id"],
        [],
        None,
    ),
    ListSpec(
        "citizen visits",
        "citizens.Visit",
        "/citizens/visits/",
        "/api/citizens/visits/",
        ["date", "sequence", "kind", "field", "outcome", "forwarded_to"],
        ["-date", "-id"],
        [],
        None,
    ),
    ListSpec(
        "sessions",
        "council_sessions.CouncilSession",
        "/sessions/",
        "/api/sessions/sessions/",
        ["number", "kind", "planned_start", "status", "term"],
        ["-planned_start", "-id"],
        [],
        None,
    ),
]


def model_of(spec: ListSpec):
    return apps.get_model(spec.model)


@dataclass
class PageCase:
    name: str
    group: str
    url: str
    user: str = "canbo"
    list_key: str | None = None
    admin_query: str | None = None  # the admin changelist's query string for the same page


def list_cases(city_id: int) -> list[PageCase]:
    cases = []
    for spec in LISTS:
        admin_city = f"council__id__exact={city_id}"
        variants = [("city only", "", admin_city), ("with councils below", "below=1", "")]
        for label, query, admin_query in variants:
            cases.append(
                PageCase(
                    f"{spec.key} page, {label}",
                    "list",
                    _url(spec.page, query),
                    list_key=spec.key,
                    admin_query=admin_query,
                )
            )
        for label, query, admin_query in spec.filters:
            cases.append(
                PageCase(
                    f"{spec.key} page, {label}, with below",
                    "list",
                    _url(spec.page, f"below=1&{query}"),
                    list_key=spec.key,
                    admin_query=admin_query,
                )
            )
        if spec.search:
            q = spec.search.replace(" ", "+")
            cases.append(
                PageCase(
                    f"{spec.key} page, search “{spec.search}”",
                    "search",
                    _url(spec.page, f"q={q}"),
                    list_key=spec.key,
                    admin_query=f"{admin_city}&q={q}",
                )
            )
            cases.append(
                PageCase(
                    f"{spec.key} page, search “{spec.search}”, with below",
                    "search",
                    _url(spec.page, f"below=1&q={q}"),
                    list_key=spec.key,
                    admin_query=f"q={q}",
                )
            )
        if spec.api:
            city = spec.city_api.format(city=city_id)
            everything = "scope=council" if "scope=" in spec.city_api else ""
            cases.append(
                PageCase(
                    f"{spec.key} API, city only", "api", _url(spec.api, city), list_key=spec.key, admin_query=admin_city
                )
            )
            cases.append(
                PageCase(
                    f"{spec.key} API, with councils below",
                    "api",
                    _url(spec.api, everything),
                    list_key=spec.key,
                    admin_query="",
                )
            )
            if spec.search:
                q = spec.search.replace(" ", "+")
                cases.append(
                    PageCase(
                        f"{spec.key} API, search “{spec.search}”, with below",
                        "search",
                        _url(spec.api, f"{everything}&q={q}".lstrip("&")),
                        list_key=spec.key,
                        admin_query=f"q={q}",
                    )
                )
    # A commune's staff: its own lists must cost what they cost in a small province.
    for key, page in (("petitions", "/voters/petitions/"), ("letters", "/citizens/letters/")):
        cases.append(PageCase(f"{key} page, commune staff", "commune", page, user="xa", list_key=key))
    return cases


def detail_cases(ids: dict[str, int]) -> list[PageCase]:
    paths = {
        "petition": "/voters/petitions/{}/",
        "letter": "/citizens/letters/{}/",
        "resolution": "/sessions/resolutions/{}/",
        "deadline": "/notifications/deadlines/{}/",
        "voter meeting": "/voters/meetings/{}/",
        "session": "/sessions/{}/",
    }
    return [PageCase(f"{name} detail", "detail", path.format(ids[name])) for name, path in paths.items() if name in ids]


def overview_cases() -> list[PageCase]:
    return [
        PageCase("home, city staff", "home", "/"),
        PageCase("home, commune staff", "home", "/", user="xa"),
        PageCase("home, leader", "home", "/", user="lanhdao"),
        PageCase("dashboard (reports)", "home", "/reports/dashboard/"),
    ]


def _url(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path
