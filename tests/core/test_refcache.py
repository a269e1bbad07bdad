"""The rules and the councils' tree are held per process (core.refcache) and re-read when
another write changes them: the pages stop querying them, and no change is missed."""

from datetime import date

import pytest
from django.db import connection
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
    assert _queries(lambda: Access(user).council_ids("can_view_petition"))[1] == 1  # the roles only
    second = make_council("Xã Hai", level=Council.Level.COMMUNE, parent=council)
    assert second.id in Access(user).council_ids("can_view_petition")
    # The user's roles are never held: a revoked role is gone on the next request.
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
