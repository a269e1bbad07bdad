"""The navbar bell is held per process until the user's notifications change (queries._HeldBells):
a page reads it once, and a notice, a reminder or marking read shows on the next page (issue #13)."""

import time
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hdnd_portal.core.models import CouncilRole
from hdnd_portal.notifications import services
from hdnd_portal.notifications.models import Notification
from hdnd_portal.notifications.queries import HELD_BELLS
from hdnd_portal.notifications.services.notices import notice_send

pytestmark = pytest.mark.django_db(transaction=True)  # held only outside a transaction


def _bell_reads(queries) -> int:
    return sum('AS "unread_count"' in q["sql"] for q in queries.captured_queries)  # the bell's query


def _page(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), _bell_reads(queries)


def test_the_bell_is_read_once_then_again_after_each_change(client_for, make_user, council):
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    client = client_for(user)
    assert _page(client)[1] == 1
    assert _page(client)[1] == 0  # held
    notice_send(users=[user], council=council, title="Tài liệu kỳ họp thứ 12 đã gửi")
    page, reads = _page(client)
    assert reads == 1 and "Tài liệu kỳ họp thứ 12 đã gửi" in page
    assert 'bg-warning text-dark">1<' in page or ">1</span>" in page
    note = Notification.objects.get(user=user)
    services.notification_mark_read(user=user, notification_id=note.pk)
    page, reads = _page(client)
    assert reads == 1 and note.read_at is None and Notification.objects.get(pk=note.pk).read_at is not None
    assert _page(client)[1] == 0


def test_another_users_notice_leaves_a_bell_held(client_for, make_user, council):
    user, other = make_user("canbo", council, CouncilRole.Role.STAFF), make_user("khac", council, CouncilRole.Role.STAFF)
    client = client_for(user)
    _page(client)
    notice_send(users=[other], council=council, title="Không phải của tôi")
    page, reads = _page(client)
    assert reads == 0 and "Không phải của tôi" not in page


def test_a_bell_held_under_the_version_before_a_notice_is_not_shown_after_it(client_for, make_user, council):
    """As another process would hold it: read under the version that the notice's commit dropped."""
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    client = client_for(user)
    before = HELD_BELLS.version(user.pk)
    notice_send(users=[user], council=council, title="Đến sau")
    HELD_BELLS.held[user.pk] = (before, time.monotonic(), {"unread": 0, "latest": []})
    page, reads = _page(client)
    assert reads == 1 and "Đến sau" in page


def test_a_reminder_reaches_a_held_bell(client_for, make_deadline, people):
    from hdnd_portal.notifications.services import reminder_scan

    client = client_for(people["responsible"])
    assert _page(client)[1] == 1 and _page(client)[1] == 0
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], title="Trả lời kiến nghị về đường")
    reminder_scan(date(2026, 3, 15))
    assert Notification.objects.filter(user=people["responsible"]).exists()
    page, reads = _page(client)
    assert reads == 1 and "Trả lời kiến nghị về đường" in page


def test_without_redis_the_bell_is_read_on_every_page(client_for, make_user, council, monkeypatch):
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    client = client_for(user)

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "add"):
        monkeypatch.setattr(cache, method, unreachable)
    assert [_page(client)[1] for _ in range(2)] == [1, 1]


def test_the_bells_version_is_read_with_the_tables_in_one_round_trip(client_for, make_user, council, monkeypatch):
    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    client = client_for(user)
    _page(client)  # the bell's version exists now
    reads = []
    for method in ("get", "get_many"):
        real = getattr(cache, method)
        monkeypatch.setattr(cache, method, lambda key, *a, _real=real, _m=method, **kw: reads.append((_m, key)) or _real(key, *a, **kw))
    page, bell_reads = _page(client)
    assert bell_reads == 0  # held
    bell_key = HELD_BELLS.key(user.pk)
    assert [key for method, key in reads if method == "get"] == []
    batches = [keys for method, keys in reads if method == "get_many"]
    assert len(batches) == 1 and bell_key in batches[0]


def test_nothing_is_held_inside_a_transaction(make_user, council):
    from hdnd_portal.notifications.queries import bell

    user = make_user("canbo", council, CouncilRole.Role.STAFF)
    with transaction.atomic():
        bell(user)
    assert user.pk not in HELD_BELLS.held
