"""The rules, the councils' tree, the users' roles and the filter bars' directory choices are held
per process (core.refcache) and re-read when another write changes them: the pages stop querying
them, and no change is missed."""

import time
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hdnd_portal.core.models import Council, CouncilRole, Rule
from hdnd_portal.core.refcache import ReferenceCache
from hdnd_portal.core.rules import RULES, rule_value
from hdnd_portal.core.scoping import COUNCIL_TREE, Access

pytestmark = pytest.mark.django_db(transaction=True)  # held only outside a transaction


def _queries(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        value = fn()
    return value, len(queries.captured_queries)


def test_a_rule_is_read_once_then_again_after_any_write(council):
    on = date(2026, 6, 1)
    assert _queries(lambda: rule_value("petition.response_wd", council, on)) == (30, 1)
    assert _queries(lambda: rule_value("petition.response_wd", council, on)) == (30, 0)
    override = Rule.objects.create(
        code="petition.response_wd", name="Quy chế", value=20, unit="working_days",
        citation="Quy chế HĐND Thành phố", effective_from=date(2022, 1, 1), council=council,
    )
    assert _queries(lambda: rule_value("petition.response_wd", council, on)) == (20, 1)
    override.delete()
    assert rule_value("petition.response_wd", council, on) == 30


def test_another_process_sees_a_write_through_the_shared_version(council):
    """A second process is a second copy sharing the version number in Redis."""
    other = ReferenceCache("rules", RULES.load)
    other.get()
    assert _queries(other.get)[1] == 0
    Rule.objects.filter(code="petition.response_wd", council__isnull=True).update(value=25)  # no signal
    assert _queries(other.get)[1] == 0  # held until a signal or MAX_AGE …
    Rule.objects.get(code="petition.response_wd", council__isnull=True).save()  # … a write bumps the number
    rows, count = _queries(other.get)
    assert count == 1 and {r.value for r in rows if r.code == "petition.response_wd" and r.council_id is None} == {25}


def test_expired_copies_are_read_again(council):
    short = ReferenceCache("rules", RULES.load, max_age=0)
    short.get()
    assert _queries(short.get)[1] == 1


def test_without_redis_every_read_goes_to_the_database(council, settings):
    settings.CACHES = {"default": {
        "BACKEND": "hdnd_portal.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}
    # (changing CACHES makes Django open new cache connections, and again when the test ends)
    assert RULES.version() is None
    assert _queries(lambda: rule_value("petition.response_wd", council, date(2026, 6, 1)))[1] == 1
    assert _queries(lambda: rule_value("petition.response_wd", council, date(2026, 6, 1)))[1] == 1


def test_a_new_council_below_is_seen_at_once(council, make_council, make_user):
    user = make_user("tinh", council=council, role="staff")
    first = make_council("Xã Một", level=Council.Level.COMMUNE, parent=council)
    assert first.id in Access(user).council_ids("can_view_petition")
    assert _queries(lambda: Access(user).council_ids("can_view_petition"))[1] == 0  # roles and tree held
    second = make_council("Xã Hai", level=Council.Level.COMMUNE, parent=council)
    assert second.id in Access(user).council_ids("can_view_petition")
    # A revoked role is gone on the next request.
    CouncilRole.objects.filter(user=user).delete()
    assert Access(user).council_ids("can_view_petition") == []


def test_the_tree_is_not_held_inside_a_transaction(council):
    from django.db import transaction

    COUNCIL_TREE.get()
    with transaction.atomic():
        assert _queries(COUNCIL_TREE.get)[1] == 1


def test_refreshing_the_shipped_rules_is_announced(council):
    """The loader corrects shipped rows with update(), which sends no signal."""
    from hdnd_portal.core.rules_loader import refresh_default_rules

    RULES.get()
    before = RULES.version()
    refresh_default_rules()
    assert RULES.version() > before and _queries(RULES.get)[1] == 1


def test_the_councils_below_come_from_the_users_own_subtree(council, make_council, make_user):
    """Two levels below the role councils, in the councils' order; other provinces are not walked."""
    from hdnd_portal.core.scoping import CouncilTree

    district = make_council("Quận Một", level=Council.Level.DISTRICT, parent=council)
    ward = make_council("Phường Hai", level=Council.Level.COMMUNE, parent=district)
    commune = make_council("Xã Ba", level=Council.Level.COMMUNE, parent=council)
    other = make_council("Tỉnh Khác")
    make_council("Xã Khác", level=Council.Level.COMMUNE, parent=other)
    tree = COUNCIL_TREE.load()
    assert isinstance(tree, CouncilTree)
    below = tree.below({council.id})
    assert {row[0] for row in below} == {district.id, ward.id, commune.id}
    assert [row[0] for row in below] == [r[0] for r in tree.rows if r[0] in {district.id, ward.id, commune.id}]
    assert {row[0]: row[2] for row in below}[ward.id] == council.id  # the grandparent
    assert tree.below({commune.id}) == []


# --- The users' roles ------------------------------------------------------------------------


def _roles(user) -> tuple[list, int]:
    return _queries(lambda: Access(user).roles)


def test_a_users_roles_are_held_until_what_they_carry_is_written(council, make_user, make_deputy, agency):
    deputy = make_deputy(council, "Lê Văn Cường")
    user = make_user("daibieu", council, CouncilRole.Role.DEPUTY, deputy=deputy, agency=agency)
    assert _roles(user)[1] == 1
    assert _roles(user)[1] == 0
    for write in (
        lambda: council.save(),
        lambda: deputy.save(),
        lambda: deputy.term.save(),
        lambda: agency.save(),
        lambda: CouncilRole.objects.get(user=user).save(),
    ):
        write()
        roles, count = _roles(user)
        assert count == 1 and [r.deputy_id for r in roles] == [deputy.id]
        assert _roles(user)[1] == 0
    deputy.end_date = date(2026, 1, 31)
    deputy.save()
    assert _roles(user)[0][0].deputy.end_date == date(2026, 1, 31)


def test_a_revoked_or_granted_role_is_seen_on_the_next_request(council, make_council, make_user):
    commune = make_council("Xã Một", level=Council.Level.COMMUNE, parent=council)
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    assert Access(user).has(council.id, "can_change_petition")
    CouncilRole.objects.create(user=user, council=commune, role=CouncilRole.Role.STAFF)
    assert Access(user).has(commune.id, "can_change_petition")
    CouncilRole.objects.get(user=user, council=council).delete()
    access = Access(user)
    assert not access.has(council.id, "can_change_petition") and access.has(commune.id, "can_change_petition")


def test_the_hierarchy_a_users_roles_give_is_worked_out_once_per_process(council, make_council, make_user):
    """The councils below a role and the permissions there are kept for the same roles on the same
    tree on the same day; a role or a council written is a new key, seen at once."""
    from hdnd_portal.core.scoping import HIERARCHIES

    commune = make_council("Xã Một", level=Council.Level.COMMUNE, parent=council)
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    first, second = Access(user), Access(user)
    assert first._hierarchy is second._hierarchy
    assert second.council_and_below(council) == [council.id, commune.id]
    assert second.has(commune.id, "can_view_petition") and not second.has(commune.id, "can_change_petition")
    names = second.council_names()
    names[0] = "changed by one request"  # each caller gets its own copy
    ids = second.council_ids("can_view_petition")
    ids.append(0)
    assert 0 not in Access(user).council_names() and 0 not in Access(user).council_ids("can_view_petition")
    ward = make_council("Xã Hai", level=Council.Level.COMMUNE, parent=council)  # a new council: a new tree
    assert sorted(Access(user).council_and_below(council)) == sorted([council.id, commune.id, ward.id])
    assert all(tree is COUNCIL_TREE.get() for _roles, tree, _day in HIERARCHIES)  # the old tree's are gone
    CouncilRole.objects.create(user=user, council=commune, role=CouncilRole.Role.STAFF)  # a new role
    assert Access(user).has(commune.id, "can_change_petition")


def test_no_hierarchy_is_kept_from_inside_a_transaction(council, make_user):
    from django.db import transaction

    from hdnd_portal.core.scoping import HIERARCHIES

    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    HIERARCHIES.clear()
    with transaction.atomic():
        assert Access(user).has(council.id, "can_change_petition")
    assert HIERARCHIES == {}
    assert Access(user).has(council.id, "can_change_petition")
    assert len(HIERARCHIES) == 1


def test_held_roles_are_new_instances_on_each_request(council, make_user):
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    first = Access(user).roles[0]
    first.council.name = "changed by one request"
    second = Access(user).roles[0]
    assert second is not first and second.council.name == council.name


def test_roles_are_not_held_inside_a_transaction(council, make_user):
    from django.db import transaction

    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    assert Access(user).roles  # held outside the transaction
    with transaction.atomic():
        assert _roles(user)[1] == 1
        assert _roles(user)[1] == 1


def test_a_page_refuses_a_revoked_role_at_once(council, make_user, client):
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    client.force_login(user)
    assert client.get("/voters/petitions/").status_code == 200
    assert client.get("/voters/petitions/").status_code == 200  # served from the held roles
    CouncilRole.objects.filter(user=user).delete()
    assert client.get("/voters/petitions/").status_code == 403


# --- The filter bars' directory choices --------------------------------------------------------


def test_a_new_agency_is_offered_at_once_and_the_choices_are_then_held(council, make_user, client):
    from hdnd_portal.core.models import Agency

    client.force_login(make_user("canbo", council, CouncilRole.Role.STAFF))
    Agency.objects.create(council=council, name="Sở Xây dựng", short_name="SXD")
    client.get("/voters/petitions/")
    with CaptureQueriesContext(connection) as held:
        page = client.get("/voters/petitions/").content.decode()
    assert "Sở Xây dựng (SXD)" in page
    # The choices' query (the page's own rows join the agency for its name).
    assert not any('FROM "core_agency"' in q["sql"] for q in held.captured_queries)
    Agency.objects.create(council=council, name="Sở Giao thông vận tải", short_name="SGTVT")
    with CaptureQueriesContext(connection) as after:
        page = client.get("/voters/petitions/").content.decode()
    assert "Sở Giao thông vận tải (SGTVT)" in page and "Sở Xây dựng (SXD)" in page
    assert any('FROM "core_agency"' in q["sql"] for q in after.captured_queries)


def test_directory_choices_are_held_per_council(council, other_council, make_user, client):
    from hdnd_portal.core.models import Agency

    Agency.objects.create(council=council, name="Sở Xây dựng", short_name="SXD")
    Agency.objects.create(council=other_council, name="Sở Y tế", short_name="SYT")
    client.force_login(make_user("canbo", council, CouncilRole.Role.STAFF))
    assert "Sở Y tế" not in client.get("/voters/petitions/").content.decode()
    other = Client()
    other.force_login(make_user("canbo2", other_council, CouncilRole.Role.STAFF))
    page = other.get("/voters/petitions/").content.decode()
    assert "Sở Y tế (SYT)" in page and "Sở Xây dựng" not in page


def test_terms_are_held_per_language_and_a_changed_term_is_shown_at_once(council, term, make_user, client):
    client.force_login(make_user("canbo", council, CouncilRole.Role.STAFF))
    client.get("/sessions/")
    with CaptureQueriesContext(connection) as held:
        page = client.get("/sessions/").content.decode()
    assert "Khóa XVI, nhiệm kỳ 2021–2026" in page
    assert not any('FROM "core_term"' in q["sql"] for q in held.captured_queries)
    client.cookies["django_language"] = "en"
    assert "Term XVI, 2021–2026" in client.get("/sessions/").content.decode()
    del client.cookies["django_language"]
    term.end_year = 2027
    term.save()
    assert "Khóa XVI, nhiệm kỳ 2021–2027" in client.get("/sessions/").content.decode()


# --- One read of the version numbers per request ------------------------------------------------


def test_a_request_reads_the_versions_once_and_sees_its_own_writes(council):
    from django.core.cache import cache

    from hdnd_portal.core import refcache

    refcache._request_started()
    try:
        before = RULES.version()
        cache.incr(RULES.key)  # another process's write during this request …
        assert RULES.version() == before  # … is seen from the next request on
        RULES.bump()  # this request's own write is seen at once
        assert RULES.version() == before + 2
    finally:
        refcache._request_finished()
    assert RULES.version() == before + 2



def test_another_version_is_read_with_the_tables_and_forgotten_when_it_changes(council, monkeypatch):
    """read_with_tables: a user's bell version rides on the tables' round trip; once dropped
    (forget_in_request), the request reads it again."""
    from django.core.cache import cache

    from hdnd_portal.core import refcache

    key = "test:another:v"
    cache.set(key, 41)
    refcache._request_started()
    try:
        refcache.read_with_tables(key)
        RULES.version()  # the tables' round trip
        monkeypatch.setattr(cache, "get", lambda *a, **kw: pytest.fail("read again"))
        assert refcache.shared_version_in_request(key) == 41
        monkeypatch.undo()
        cache.set(key, 42)
        assert refcache.shared_version_in_request(key) == 41  # as read at the request's start
        refcache.forget_in_request([key])
        assert refcache.shared_version_in_request(key) == 42
        refcache.read_with_tables("test:too-late:v")  # the round trip is done: nothing to ride on
        assert "test:too-late:v" not in refcache._request.also
    finally:
        refcache._request_finished()
        cache.delete(key)
    assert refcache.shared_version_in_request(key) is not None  # outside a request: read now

def test_a_copy_held_before_redis_lost_its_numbers_is_read_again(council):
    """Redis keeps nothing on disk: after a restart the numbers start afresh, never at a value a
    process may hold (a role revoked while Redis was down would otherwise stay held)."""
    from django.core.cache import cache

    cache.delete(RULES.key)
    RULES.get()
    assert _queries(RULES.get)[1] == 0
    cache.delete(RULES.key)  # a restart or a flush
    assert _queries(RULES.get)[1] == 1


class _Unreachable:
    """The shared cache while Redis cannot be reached."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is unreachable")

        return fail


def test_a_write_while_redis_is_unreachable_is_announced_when_it_answers(council, monkeypatch):
    from hdnd_portal.core import refcache

    RULES.get()
    assert _queries(RULES.get)[1] == 0
    reachable = refcache.cache
    monkeypatch.setattr(refcache, "cache", _Unreachable())
    Rule.objects.get(code="petition.response_wd", council__isnull=True).save()  # its bump fails
    assert RULES in refcache.ReferenceCache.unannounced
    assert _queries(RULES.get)[1] == 1  # meanwhile every read goes to the database
    monkeypatch.setattr(refcache, "cache", reachable)
    other = refcache.ReferenceCache("rules", RULES.load)  # another process, holding a copy from before
    other._entry = (reachable.get(RULES.key), time.monotonic(), RULES.load())
    assert _queries(RULES.get)[1] == 1  # this process bumps the number as soon as Redis answers …
    assert not refcache.ReferenceCache.unannounced
    assert _queries(other.get)[1] == 1  # … so the other one reads the write


def test_copies_from_before_an_outage_are_not_served_after_it(council, monkeypatch):
    """Another process may have written while neither could bump the number."""
    from hdnd_portal.core import refcache

    RULES.get()
    reachable = refcache.cache
    monkeypatch.setattr(refcache, "cache", _Unreachable())
    assert _queries(RULES.get)[1] == 1
    monkeypatch.setattr(refcache, "cache", reachable)
    assert _queries(RULES.get)[1] == 1
    assert _queries(RULES.get)[1] == 0
