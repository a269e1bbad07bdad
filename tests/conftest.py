"""Shared fixtures: councils, users with roles, logged-in clients. Tests run on real PostgreSQL."""

from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from hdnd_portal.core.models import Agency, Body, Council, CouncilRole, Deputy, Rule, Term, User

# Fixtures for Redis outages (redis_down) live with their helpers.
pytest_plugins = ["tests.brokers"]

_MIGRATED_RULES: list = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Remember the rule rows the migrations ship (core defaults and every app's own rules)."""
    with django_db_blocker.unblock():
        _MIGRATED_RULES[:] = list(Rule.objects.all())


@pytest.fixture(autouse=True)
def _restore_migrated_rules(request, django_db_blocker):
    """Transactional tests (browser, concurrency) flush every table, the rules table included;
    before each database test, put the shipped rules back if a flush removed them."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")
        if _MIGRATED_RULES:
            with django_db_blocker.unblock():
                if not Rule.objects.exists():
                    Rule.objects.bulk_create(_MIGRATED_RULES)
    yield


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Calendar exceptions are cached per process; a test's rows vanish on rollback, so start
    every test from the database, not from what an earlier test cached."""
    from hdnd_portal.core.refcache import ReferenceCache
    from hdnd_portal.core.workdays import _exceptions
    from hdnd_portal.notifications.queries import HELD_BELLS

    ReferenceCache.clear_all()  # likewise the tables held per process (core.refcache)
    HELD_BELLS.clear()  # and the bells (a transactional test's user id may be held from another)
    _exceptions.cache_clear()
    yield
    _exceptions.cache_clear()
    ReferenceCache.clear_all()
    HELD_BELLS.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def make_council(db):
    counter = {"n": 0}

    def make(name="Thành phố Hà Nội", level=Council.Level.PROVINCE, parent=None, **kwargs):
        counter["n"] += 1
        kind = Council.UnitKind.CITY if level == Council.Level.PROVINCE else Council.UnitKind.WARD
        return Council.objects.create(name=name, level=level, unit_kind=kind, code=kwargs.pop("code", f"T{counter['n']:04d}"),
                                      parent=parent, place_name=name.split(" ", 2)[-1], **kwargs)

    return make


@pytest.fixture
def council(make_council):
    return make_council("Thành phố Hà Nội")


@pytest.fixture
def commune(make_council, council):
    return make_council("Phường Đông Anh", level=Council.Level.COMMUNE, parent=council)


@pytest.fixture
def other_council(make_council):
    return make_council("Tỉnh Nghệ An")


@pytest.fixture
def term(council):
    return Term.objects.create(council=council, numeral="XVI", start_year=2021, end_year=2026,
                               start_date=date(2021, 6, 25), is_current=True)


@pytest.fixture
def make_deputy(db):
    def make(council, name="Nguyễn Văn An", **kwargs):
        term = kwargs.pop("term", None) or Term.objects.filter(council=council).first() or Term.objects.create(
            council=council, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
        return Deputy.objects.create(council=council, term=term, full_name=name,
                                     start_date=kwargs.pop("start_date", date(2021, 6, 25)), **kwargs)

    return make


@pytest.fixture
def agency(council):
    return Agency.objects.create(council=council, name="Sở Xây dựng", short_name="SXD")


@pytest.fixture
def committee(council, term):
    return Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Đô thị", abbreviation="ĐT")


@pytest.fixture
def make_user(db):
    def make(username, council=None, role=None, **role_kwargs):
        user = User.objects.create_user(username=username, password="pw-12345-test", full_name=username.title())
        if council is not None and role is not None:
            CouncilRole.objects.create(user=user, council=council, role=role, **role_kwargs)
        return user

    return make


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_user(make_user, council):
    return make_user("canbo", council, CouncilRole.Role.STAFF)


@pytest.fixture
def staff_client(staff_user):
    return _client(staff_user)


@pytest.fixture
def admin_client(make_user, council):
    return _client(make_user("quantri", council, CouncilRole.Role.ADMIN))


@pytest.fixture
def viewer_client(make_user, council):
    return _client(make_user("xem", council, CouncilRole.Role.VIEWER))


@pytest.fixture
def deputy_user(make_user, make_deputy, council):
    deputy = make_deputy(council, "Trần Thị Bình")
    return make_user("daibieu", council, CouncilRole.Role.DEPUTY, deputy=deputy)


@pytest.fixture
def deputy_client(deputy_user):
    return _client(deputy_user)


@pytest.fixture
def responder_user(make_user, council, agency):
    return make_user("coquan", council, CouncilRole.Role.RESPONDER, agency=agency)


@pytest.fixture
def responder_client(responder_user):
    return _client(responder_user)


@pytest.fixture
def other_staff_client(make_user, other_council):
    return _client(make_user("khac", other_council, CouncilRole.Role.STAFF))


@pytest.fixture
def api_client(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def client_for():
    """client_for(user) -> a logged-in test client."""
    return _client


@pytest.fixture(autouse=True)
def _static_files_from_finders(settings):
    """The settings default to production mode (manifest storage, filled by collectstatic); tests
    serve static files straight from the source tree instead."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
