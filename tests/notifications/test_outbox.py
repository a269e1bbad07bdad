"""The outbox: work queued while Redis is unreachable is kept and sent when Redis is back."""

import pytest
from django.db import transaction
from django.urls import reverse

from hdnd_portal.notifications import outbox
from hdnd_portal.notifications.models import OutboxJob
from tests.brokers import take_from_queue

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "hdnd_portal.notifications.tasks.send_digest"


def test_a_job_is_recorded_with_its_transaction_and_sent_on_commit(monkeypatch):
    sent = []
    from hdnd_portal.notifications import tasks

    monkeypatch.setattr(tasks.send_digest, "apply_async", lambda args, **kw: sent.append(args))
    with transaction.atomic():
        job = outbox.enqueue(tasks.send_digest, 7)
        assert OutboxJob.objects.get().status == "pending" and sent == []
    assert sent == [[7]]
    job.refresh_from_db()
    assert job.status == "sent" and job.sent_at


def test_a_rolled_back_change_leaves_no_job(monkeypatch):
    from hdnd_portal.notifications import tasks

    monkeypatch.setattr(tasks.send_digest, "apply_async", lambda args, **kw: None)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(tasks.send_digest, 7)
        raise RuntimeError
    assert not OutboxJob.objects.exists()


def test_with_redis_down_the_job_stays_pending_and_the_drain_sends_it_once_redis_is_back(redis_down):
    job = outbox.enqueue(TASK, 41)
    job.refresh_from_db()
    assert job.status == "pending" and job.attempts == 1 and job.last_error
    assert outbox.drain() == {"sent": 0, "pending": 1}  # still down: stays pending
    redis_down()  # Redis is back
    assert outbox.drain() == {"sent": 1, "pending": 0}
    assert outbox.drain() == {"sent": 0, "pending": 0}  # sent once
    assert take_from_queue(TASK) == [[41]]


def test_a_job_claimed_by_one_sender_is_not_sent_by_another(monkeypatch):
    from django.utils import timezone

    job = OutboxJob.objects.create(task=TASK, args=[1], status="sending", claimed_at=timezone.now())
    monkeypatch.setattr(outbox, "_publish", lambda job: pytest.fail("sent twice"))
    assert outbox.send(job.pk) is False
    # …unless its sender died: the claim is taken again after CLAIM_TIMEOUT.
    OutboxJob.objects.filter(pk=job.pk).update(claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT * 2)
    published = []
    monkeypatch.setattr(outbox, "_publish", lambda job: published.append(job.pk))
    assert outbox.drain()["sent"] == 1 and published == [job.pk]


def test_pages_and_login_work_while_redis_is_down(redis_down, staff_client, client, staff_user):
    assert staff_client.get(reverse("home")).status_code == 200
    assert client.post(reverse("login"), {"username": "canbo", "password": "pw-12345-test"}).status_code == 302


def test_the_scan_queued_by_hand_waits_and_the_user_is_told_in_vietnamese(redis_down, make_user, council):
    from django.test import Client

    from hdnd_portal.core.models import CouncilRole, User

    operator = make_user("quantri", council, CouncilRole.Role.ADMIN)
    User.objects.filter(pk=operator.pk).update(is_superuser=True)  # a scan of every council: the operator's
    operator.refresh_from_db()
    admin = Client()
    admin.force_login(operator)
    response = admin.post(reverse("notifications:run_scan"), follow=True)
    assert response.status_code == 200
    assert "Máy chủ hàng đợi tạm thời không kết nối được" in response.content.decode()
    assert OutboxJob.objects.get().status == "pending"
