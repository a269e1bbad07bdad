"""The permission matrix of the whole portal, generated from the URL configuration and the API
schema, so that a new page or endpoint is covered the day it is added.

Every page route (GET) and every API operation (each method of the schema) is requested by each
role — anonymous, admin, staff, leader, deputy, responder, viewer, all holding their role on one
commune council ("own") — on a record of their own council, and by three of them (OTHER_SIDE_ROLES)
on a record of a sibling commune ("other"). The behaviour required of every route:

- anonymous: pages redirect to the login page, the API answers 401/403;
- another council's record answers 404, never 200 with that council's data, and is never written;
- a role lacking the route's declared permission (`permission` on a page view, the viewset's
  `permissions_by_action` in the API) answers 403 and writes nothing;
- no route ever answers 500 for anyone.

The data is the demo data set (hdnd_portal/core/demo.py and each app's demo.py), built once for
this module inside a transaction that is rolled back at the end; every test runs in a savepoint.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from hdnd_portal.core import permissions as core_permissions

ROLES = ["anonymous", "admin", "staff", "leader", "deputy", "responder", "viewer"]
# Another council's record is invisible whatever the role; to keep the run short it is asked for
# by three roles that reach records by different roads: a writer of everything (staff), a deputy
# (own records) and an agency responder (the agency's records).
OTHER_SIDE_ROLES = ("staff", "deputy", "responder")

# --- Routes that need special handling (each says why) ------------------------------------------
# Pages left out of the matrix entirely.
PAGE_EXCLUDED_PREFIXES = (
    "admin/",  # Django admin: its own login and staff flag; covered by tests/core/test_permissions.py
    "api/",  # the API is walked from its schema below
    "^media/",  # the public media URL (DEBUG only) is being removed; files go through checked views
    "cong-khai/",  # the public transparency site: no login by design; tests/public proves only the published shows
)
# Pages whose anonymous/own-council behaviour is not "login required + declared permission".
PAGE_SPECIAL = {
    "login": "the login page is public",
    "logout": "logout accepts POST only and is harmless for anyone",
    "password_change_done": "a static confirmation page behind login",
    "set_language": "i18n: public, POST only, redirects",
    "core:switch_council": "GET redirects home for anyone; POST is tested in tests/core/test_hostile.py",
    "citizens:public_schedule": "the published reception schedule is public by law (any council)",
    "sessions:my_sessions": "a deputy's own page: other roles holding can_view_session get 403",
    "reports:report_narrative": "declares can_view_report but edits the narrative: a viewer gets 403",
    "core:calendar_create": "the national working-day calendar is the system operator's (superuser): every "
                            "council role gets 403 (tests/core/test_hostile.py)",
    "core:calendar_edit": "the national working-day calendar is the system operator's (superuser)",
    "citizens:letter_lift_protection": "needs the explicit identity permission on top of the declared one "
                                       "(tests/citizens/test_hostile.py)",
    "citizens:visit_lift_protection": "needs the explicit identity permission on top of the declared one",
    "citizens:letter_scan_upload": "a denunciation's scans need the explicit identity permission",
    "programmes:assigned_done": "a briefing task is reported done by the council it is assigned to, not the "
                                "council that owns it (tests/programmes/test_permissions.py)",
}
# App-level gaps the app engineers are fixing: (route pattern, method) -> reason (xfail, not strict).
KNOWN_GAPS: dict[tuple[str, str], str] = {}
# API paths not answered by the matrix (documentation).
API_EXCLUDED = {
    "/api/schema/": "the OpenAPI schema itself (public documentation)",
}
# Roles that reach their OWN records on a route without holding its declared permission (by
# design: an agency responder reports on the recommendations, commitments and petitions of their
# agency; a deputy reads the petitions and sessions that are theirs). For these the own-council
# answer may be 200/403/404; another council's record is still 404 and nothing answers 500.
OWN_RECORDS_ROUTES = {
    ("responder", "oversight/recommendations"), ("responder", "oversight/commitments"),
    ("responder", "/api/oversight/recommendations"), ("responder", "/api/oversight/commitments"),
    ("responder", "voters/petitions"), ("responder", "/api/voters/petitions"),
    ("deputy", "voters/petitions"), ("deputy", "/api/voters/petitions"),
    ("responder", "notifications/deadlines"), ("deputy", "notifications/deadlines"),
}
# Values for URL parameters that are not record ids.
PARAM_VALUES = {"fmt": "pdf", "name": "plan_file"}
# Routes whose <pk> is not the view's `.model` (or the view declares none): the model it names.
MODEL_BY_ROUTE = {
    "notifications:open": "notifications.Notification",
    "notifications:read": "notifications.Notification",
    "notifications:deadline_detail": "core.Deadline",
    "notifications:deadline_extend": "core.Deadline",
    "notifications:deadline_assign": "core.Deadline",
    "programmes:assigned_done": "programmes.BriefingTask",
    "sessions:group_create": "council_sessions.CouncilSession",
    "sessions:item_create": "council_sessions.CouncilSession",
    "sessions:attendance": "council_sessions.CouncilSession",
    "sessions:session_record_held": "council_sessions.CouncilSession",
    "sessions:document_create": "council_sessions.CouncilSession",
    "sessions:minutes": "council_sessions.CouncilSession",
    "sessions:minutes_pdf": "council_sessions.CouncilSession",
    "sessions:minutes_docx": "council_sessions.CouncilSession",
    "sessions:vote_record": "council_sessions.AgendaItem",
    "sessions:poll_detail": "council_sessions.Poll",
    "sessions:poll_tally": "council_sessions.Poll",
    "sessions:poll_cast": "council_sessions.Poll",
    "sessions:document_version": "council_sessions.SessionDocument",
    "sessions:document_download": "council_sessions.SessionDocument",
    "sessions:verification_assign": "council_sessions.SessionDocument",
    "citizens:day_held": "citizens.ReceptionDay",
    "citizens:visit_create": "citizens.ReceptionDay",
    "citizens:letter_forwarding_pdf": "citizens.Letter",
    "citizens:scan_download": "citizens.LetterScan",
    "citizens:public_schedule": "core.Council",
}
# Models owned by one user (not only one council): "own" is the acting user's own record.
USER_OWNED = {"notifications.Notification": "user"}
# Excel exports: one list page per app is enough to prove the export path is scoped.
EXPORT_PER_APP = 1


# --- Route discovery ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    kind: str  # "page" or "api"
    pattern: str  # "core/deputies/<int:pk>/" or "/api/core/deputies/{id}/"
    name: str
    method: str = "get"

    @property
    def has_object(self) -> bool:
        return "<" in self.pattern or "{" in self.pattern

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.pattern}"


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback, namespace + (p.name or "")


def page_routes() -> list[Route]:
    routes = []
    for pattern, _callback, name in _walk(get_resolver().url_patterns):
        if pattern.startswith(PAGE_EXCLUDED_PREFIXES) or "(?P" in pattern:
            continue
        routes.append(Route("page", pattern, name))
    return routes


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def api_routes() -> list[Route]:
    schema = _schema()
    routes = []
    seen = set()
    for path, operations in schema["paths"].items():
        if path in API_EXCLUDED:
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if method in operations:
                routes.append(Route("api", path, operations[method].get("operationId", ""), method))
        seen.add(re.sub(r"\{\w+\}", "{}", path))
    # Endpoints the schema generator skipped (an APIView it cannot describe) are still routes.
    for pattern, _callback, name in _walk(get_resolver().url_patterns):
        if not pattern.startswith("api/") or "format" in pattern or pattern in ("api/", "api/schema/", "api/docs/"):
            continue
        path = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern.replace("^", "").replace("$", ""))
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
        if re.sub(r"\{\w+\}", "{}", path) not in seen and path.rstrip("/") != "/api":
            seen.add(re.sub(r"\{\w+\}", "{}", path))
            routes.append(Route("api", path, name, "get"))
    return routes


PAGE_ROUTES = page_routes()
API_ROUTES = api_routes()


def _cases():
    cases = []
    for route in [*PAGE_ROUTES, *API_ROUTES]:
        for role in ROLES:
            sides = ["own", "other"] if role in OTHER_SIDE_ROLES else ["own"]
            for side in sides:
                if route.kind == "page" and not route.has_object and side == "other":
                    continue  # a page without a record has no "other council" to ask for
                cases.append(pytest.param(route, role, side, id=f"{route}-{role}-{side}"))
    return cases


CASES = _cases()


# --- The data set -------------------------------------------------------------------------------


@dataclass
class World:
    own: object
    other: object
    users: dict
    other_user: object


def _label(model) -> str:
    return model._meta.label


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data (Hà Nội and 4 communes) plus one user per role on the first commune; built
    once, rolled back when the module ends."""
    from django.utils import translation

    from hdnd_portal.core.demo import seed_core
    from hdnd_portal.core.models import CouncilRole, Rule, User
    from hdnd_portal.notifications.models import Notification
    from hdnd_portal.reports.models import Report

    with django_db_blocker.unblock(), override_settings(CELERY_TASK_ALWAYS_EAGER=False), transaction.atomic():
        translation.activate("vi")
        ctx = seed_core(scale=False)
        for app in ("sessions", "oversight", "voters", "citizens", "programmes"):
            importlib.import_module(f"{app}.demo").populate(ctx)
        own_data, other_data = ctx.communes[0], ctx.communes[1]
        own, other = own_data.council, other_data.council
        # Commune councils take no confidence votes (the demo has none there); rows only, so that
        # the confidence pages and endpoints are tried on both sides too.
        from oversight.models import ConfidenceSubject, ConfidenceVote

        for council in (own, other):
            vote = ConfidenceVote.objects.create(council=council, title="Lấy phiếu", held_on="2023-12-08",
                                                 total_deputies=20, ballots_issued=20, ballots_returned=20)
            ConfidenceSubject.objects.create(council=council, vote=vote, full_name="Nguyễn Văn A", post="Chủ tịch",
                                             valid_ballots=20, high=15, confidence=5, low=0)
        users = {}
        for role in ROLES[1:]:
            user = User.objects.create_user(username=f"mx-{role}", password="pw-12345-test", full_name=role)
            extra = {}
            if role == "deputy":
                extra["deputy"] = own_data.deputies[0]
            if role == "responder":
                extra["agency"] = own_data.agencies[0]
            CouncilRole.objects.create(user=user, council=own, role=role, **extra)
            users[role] = user
        other_user = User.objects.create_user(username="mx-other", password="pw-12345-test", full_name="other")
        CouncilRole.objects.create(user=other_user, council=other, role="staff")
        national = Rule.objects.filter(council=None).order_by("code").first()
        for council in (own, other):
            Rule.objects.create(code=national.code, name=national.name, value=national.value, unit=national.unit,
                                citation=national.citation, status=national.status,
                                effective_from=national.effective_from, council=council)
            Report.objects.create(council=council, kind=Report.Kind.choices[0][0], period_start="2025-01-01",
                                  period_end="2025-12-31", number=f"{council.pk}/BC", number_seq=council.pk,
                                  issued_on="2026-01-05", title="Báo cáo", status=Report.Status.DONE)
        for user, council in [*((u, own) for u in users.values()), (other_user, other)]:
            Notification.objects.create(user=user, council=council, title="Nhắc hạn", url="/")
        translation.deactivate()
        # Check the deferred foreign keys of the data set now, once: otherwise every test's
        # teardown (which checks constraints inside its savepoint) re-checks all of them.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield World(own, other, users, other_user)
        transaction.set_rollback(True)


def _model_of_page(route: Route):
    from django.apps import apps

    if route.name in MODEL_BY_ROUTE:
        return apps.get_model(MODEL_BY_ROUTE[route.name])
    match = _page_match(route)
    model = match.func.view_initkwargs.get("model") if hasattr(match.func, "view_initkwargs") else None
    view_class = getattr(match.func, "view_class", None)
    return model or getattr(view_class, "model", None)


def _page_match(route: Route):
    sample = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PARAM_VALUES.get(m.group(1), "1"), route.pattern)
    return resolve("/" + sample)


def _api_match(route: Route):
    sample = re.sub(r"\{(\w+)\}", lambda m: PARAM_VALUES.get(m.group(1), "1"), route.pattern)
    return resolve(sample)


def _model_of_api(route: Route):
    cls = getattr(_api_match(route).func, "cls", None)
    queryset = getattr(cls, "queryset", None)
    return queryset.model if queryset is not None else None


def _council_path(model, view_class) -> str | None:
    from hdnd_portal.core.models import Council

    if model is Council:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    if "council" in names:
        return "council"
    path = getattr(view_class, "council_field", None)
    return path if path and path.split("__")[0] in names else None


def pick(model, council, view_class=None, user=None):
    """One record of `model` on `council` (the acting user's own for user-owned records)."""
    from hdnd_portal.core.models import CouncilRole

    qs = model._default_manager.all()
    path = _council_path(model, view_class)
    if path is not None:
        qs = qs.filter(**{path: council.pk})
    if _label(model) in USER_OWNED and user is not None:
        qs = qs.filter(**{USER_OWNED[_label(model)]: user})
    if model is CouncilRole:
        qs = qs.exclude(user=user).order_by("role")  # another user's role ("admin" sorts first)
    return qs.order_by("pk").first() if not qs.query.order_by else qs.first()


def _sub_object(parent, name: str):
    """A record a second URL parameter names (evidence of a recommendation, …)."""
    from django.apps import apps

    targets = {"evidence_pk": "oversight.Evidence", "update_pk": "oversight.CommitmentUpdate"}
    model = apps.get_model(targets[name])
    fks = [f.name for f in model._meta.fields if f.is_relation and f.related_model is type(parent)]
    if not fks:
        return model._default_manager.filter(pk__in=[]).first()
    return model._default_manager.filter(**{fks[0]: parent}).order_by("pk").first()


def build_url(route: Route, obj) -> str:
    def value(match):
        name = match.group(1)
        if name in PARAM_VALUES:
            return PARAM_VALUES[name]
        if name in ("pk", "id", "day", "council_id"):
            return str(obj.pk)
        sub = _sub_object(obj, name)
        if sub is None:
            pytest.skip(f"no {name} record under {obj!r} in the data set")
        return str(sub.pk)

    if route.kind == "page":
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route.pattern)
    return re.sub(r"\{(\w+)\}", value, route.pattern)


def client_for(role: str, world: World, api: bool):
    if api:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        return client
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def role_holds(role: str, permission: str) -> bool:
    return permission in (core_permissions.ROLE_PERMISSIONS.get(role, set()) - core_permissions.EXPLICIT_ONLY)


def request(client, method: str, url: str, data=None):
    try:
        if method == "get":
            return client.get(url, data or {})
        return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")
    except Exception as error:  # the test client re-raises view exceptions: that is a 500
        pytest.fail(f"{method.upper()} {url} raised {type(error).__name__}: {error}")


def assert_no_server_error(response, where: str) -> None:
    assert response.status_code < 500, f"{where} answered {response.status_code}"


# --- Pages --------------------------------------------------------------------------------------


def _page_permission(route: Route):
    match = _page_match(route)
    view_class = getattr(match.func, "view_class", None)
    initkwargs = getattr(match.func, "view_initkwargs", {}) or {}
    return initkwargs.get("permission", getattr(view_class, "permission", None)), view_class


def _page_allows_get(view_class) -> bool:
    return view_class is None or hasattr(view_class, "get")


def _own_records_route(role: str, route: Route) -> bool:
    return any(role == r and route.pattern.startswith(prefix) for r, prefix in OWN_RECORDS_ROUTES)


def _check_page(route: Route, role: str, side: str, world: World):
    permission, view_class = _page_permission(route)
    user = world.users.get(role)
    council = world.own if side == "own" else world.other
    obj = None
    if route.has_object:
        model = _model_of_page(route)
        assert model is not None, f"{route}: name the model of its <pk> in MODEL_BY_ROUTE"
        obj = pick(model, council, view_class, user if side == "own" else world.other_user)
        if obj is None:
            pytest.skip(f"no {_label(model)} on the {side} council in the data set")
    url = build_url(route, obj) if obj is not None else "/" + route.pattern
    response = request(client_for(role, world, api=False), "get", url)
    status = response.status_code
    where = f"GET {url} as {role} ({side})"
    assert_no_server_error(response, where)
    scoped = obj is not None and _council_path(type(obj), view_class) is not None
    if route.name in PAGE_SPECIAL:
        if side == "other" and scoped and route.name != "citizens:public_schedule":
            assert status != 200, where
        return
    if role == "anonymous":
        assert status == 302 and response["Location"].startswith("/login/"), (
            f"{where}: {status}, expected a redirect to the login page")
        return
    lacks = bool(permission) and not role_holds(role, permission)
    if not _page_allows_get(view_class):
        assert status in (403, 404, 405), f"{where}: a POST-only page answered GET with {status}"
        return
    if side == "other" and scoped:
        assert status == 404 or (lacks and status == 403), (
            f"{where}: another council's record answered {status}")
        return
    if _own_records_route(role, route):
        assert status in (200, 302, 403, 404), where
        return
    if lacks:
        assert status == 403, f"{where}: lacks {permission}, answered {status}"
        return
    if permission:
        allowed = {200, 302} if obj is None else {200, 302, 404}  # a file not attached yet: 404
        assert status in allowed, f"{where}: holds {permission}, answered {status}"


PAGE_CASES = [c for c in CASES if c.values[0].kind == "page"]
API_CASES = [c for c in CASES if c.values[0].kind == "api"]


@pytest.mark.parametrize(("route", "role", "side"), PAGE_CASES)
def test_page(route, role, side, world, db):
    _check_page(route, role, side, world)


def _export_routes() -> list[Route]:
    from hdnd_portal.core.views.generic import PortalListView

    chosen: dict[str, Route] = {}
    for route in PAGE_ROUTES:
        if route.has_object or route.name in PAGE_SPECIAL:
            continue
        view_class = getattr(_page_match(route).func, "view_class", None)
        app = route.name.split(":")[0]
        if view_class and issubclass(view_class, PortalListView) and app not in chosen:
            chosen[app] = route
    return list(chosen.values())


@pytest.mark.parametrize("route", _export_routes(), ids=str)
@pytest.mark.parametrize("role", ["anonymous", "staff", "responder", "viewer"])
def test_excel_export_is_scoped(route, role, world, db):
    """?export=xlsx: refused like the list itself, and never includes another council's rows."""
    permission, _view = _page_permission(route)
    response = request(client_for(role, world, api=False), "get", f"/{route.pattern}?export=xlsx")
    assert_no_server_error(response, f"export {route} as {role}")
    if role == "anonymous":
        assert response.status_code == 302
    elif permission and not role_holds(role, permission):
        assert response.status_code == 403
    elif response.status_code == 200:
        import io

        from openpyxl import load_workbook

        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(io.BytesIO(content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
        assert world.other.name not in text


# --- API ----------------------------------------------------------------------------------------


def _api_required(route: Route):
    """The permission the viewset declares for this operation (core.api.CouncilPermission)."""
    match = _api_match(route)
    cls = getattr(match.func, "cls", None)
    mapping = getattr(cls, "permissions_by_action", None)
    if not mapping:
        return None, cls
    actions = getattr(match.func, "actions", None) or {}
    action = actions.get(route.method)
    if action in mapping:
        return mapping[action], cls
    return mapping.get("read" if action in ("list", "retrieve") else "write"), cls


def _snapshot(obj):
    model = type(obj)
    fresh = model._default_manager.filter(pk=obj.pk).values().first()
    return fresh


def _check_api(route: Route, role: str, side: str, world: World):
    permission, cls = _api_required(route)
    user = world.users.get(role)
    council = world.own if side == "own" else world.other
    model = _model_of_api(route)
    obj = None
    if route.has_object:
        if model is None:
            pytest.skip(f"{route}: the view declares no queryset")
        obj = pick(model, council, cls, user if side == "own" else world.other_user)
        if obj is None:
            pytest.skip(f"no {_label(model)} on the {side} council in the data set")
    url = build_url(route, obj) if obj is not None else route.pattern
    unsafe = route.method != "get"
    body = None
    if unsafe:
        # Garbage on one's own records; on "other" a create aimed at the other council.
        body = {"version": "abc", "council": "x"} if side == "own" else {"council": world.other.pk}
    query = None
    if route.method == "get" and not route.has_object and side == "other":
        query = {"council": str(world.other.pk)}
    before = _snapshot(obj) if obj is not None else None
    count_before = model._default_manager.count() if model is not None and unsafe and not route.has_object else None
    client = client_for(role, world, api=True)
    response = request(client, route.method, url + ("?council=" + query["council"] if query else ""), body)
    where = f"{route.method.upper()} {url} as {role} ({side})"
    assert_no_server_error(response, where)

    if response.status_code >= 400 or role == "anonymous" or side == "other":
        # Nothing written: the record unchanged and no new record.
        if before is not None:
            assert _snapshot(obj) == before, f"{where}: answered {response.status_code} but changed the record"
        if count_before is not None and response.status_code >= 400:
            assert model._default_manager.count() == count_before, f"{where}: {response.status_code} but created"

    status = response.status_code
    lacks = bool(permission) and not role_holds(role, permission)
    if role == "anonymous":
        assert status in (401, 403), f"{where}: anonymous answered {status}"
        return
    if side == "other":
        if route.has_object and _council_path(model, cls) is not None:
            assert status == 404 or (lacks and status == 403), f"{where}: another council's record answered {status}"
        elif route.method == "get":
            assert status in (200, 400, 403, 404), where
            if status == 200 and "json" in response.get("Content-Type", ""):
                data = response.json()
                rows = data.get("results", data) if isinstance(data, dict) else data
                if isinstance(rows, list):
                    leaked = [r for r in rows if isinstance(r, dict) and r.get("council") == world.other.pk]
                    assert not leaked, f"{where}: listed another council's records"
        elif _api_action(route) == "create":
            assert status >= 400, f"{where}: a create aimed at another council answered {status}"
            assert model is None or model._default_manager.count() == count_before
        return
    if _own_records_route(role, route):
        return
    if lacks:
        assert status == 403, f"{where}: lacks {permission}, answered {status}"
        return
    if permission and route.method == "get" and _api_action(route) == "list":
        assert status == 200, f"{where}: holds {permission}, answered {status}"


def _api_action(route: Route):
    return (getattr(_api_match(route).func, "actions", None) or {}).get(route.method)


@pytest.mark.parametrize(("route", "role", "side"), API_CASES)
def test_api(route, role, side, world, db, request):
    if (route.pattern, route.method) in KNOWN_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[(route.pattern, route.method)], strict=False))
    _check_api(route, role, side, world)


def test_every_route_is_in_the_matrix():
    """The matrix is generated: every page route and API operation appears in it."""
    assert len(PAGE_ROUTES) > 150 and len(API_ROUTES) > 200
    covered = {c.values[0] for c in CASES}
    assert covered == set(PAGE_ROUTES) | set(API_ROUTES)
