"""The outbox: Celery work that survives an unreachable Redis.

    enqueue(generate_report, report_id, generation, True)

records an OutboxJob in the caller's transaction and, once that commits, sends it to Celery. If the
broker cannot be reached the row stays pending and the page still answers (the middleware tells the
user in a message); `drain()` — beat every minute and the worker at start-up — sends what is
pending. Each send is claimed with a compare-and-set update (pending → sending), so two drains, or
a drain and the on-commit send, never send a job twice; a claim left "sending" by a process that
died is taken again after CLAIM_TIMEOUT (tasks are idempotent, as every task here must be).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxJob

logger = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=5)
DRAIN_BATCH = 500
_deferred: ContextVar[list | None] = ContextVar("outbox_deferred", default=None)


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (OperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


def enqueue(task, *args) -> OutboxJob:
    """Record the job now (inside the caller's transaction, if any) and send it after commit.
    `task` is a Celery task or its dotted name; args must be JSON values (ids, not models)."""
    name = task if isinstance(task, str) else task.name
    job = OutboxJob.objects.create(task=name, args=list(args))
    transaction.on_commit(lambda: send(job.pk))
    return job


def send(job_id: int) -> bool:
    """Claim one job and hand it to the broker; False if it was not sent (claimed elsewhere, or the
    broker is unreachable — then it is pending again)."""
    now = timezone.now()
    claimable = Q(status=OutboxJob.Status.PENDING) | Q(
        status=OutboxJob.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    if not OutboxJob.objects.filter(claimable, pk=job_id).update(status=OutboxJob.Status.SENDING, claimed_at=now):
        return False
    job = OutboxJob.objects.get(pk=job_id)
    try:
        _publish(job)
    except _broker_errors() as error:
        OutboxJob.objects.filter(pk=job_id, status=OutboxJob.Status.SENDING).update(
            status=OutboxJob.Status.PENDING, attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning("queue server unreachable; job %s (%s) left pending: %s", job_id, job.task, error)
        deferred = _deferred.get()
        if deferred is not None:
            deferred.append(job.task)
        return False
    OutboxJob.objects.filter(pk=job_id).update(status=OutboxJob.Status.SENT, sent_at=timezone.now())
    return True


def _publish(job: OutboxJob) -> None:
    from hdnd_portal.celery import app

    task = app.tasks.get(job.task)
    if task is None:  # tasks register when their module is imported
        import importlib

        importlib.import_module(job.task.rsplit(".", 1)[0])
        task = app.tasks.get(job.task)
    # retry=False: an unreachable broker fails at once instead of holding the request.
    if task is None:
        app.send_task(job.task, args=job.args, retry=False)
    else:
        task.apply_async(args=job.args, retry=False)  # in eager mode (tests) it runs here


def drain(limit: int = DRAIN_BATCH) -> dict[str, int]:
    """Send the pending jobs, oldest first; stops at the first broker failure (Redis is still down)."""
    cutoff = timezone.now() - CLAIM_TIMEOUT
    ids = list(
        OutboxJob.objects.filter(
            Q(status=OutboxJob.Status.PENDING) | Q(status=OutboxJob.Status.SENDING, claimed_at__lt=cutoff)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for job_id in ids:
        if send(job_id):
            sent += 1
        elif OutboxJob.objects.filter(pk=job_id, status=OutboxJob.Status.PENDING).exists():
            break  # the broker refused: the rest waits for the next drain
    return {"sent": sent, "pending": OutboxJob.objects.exclude(status=OutboxJob.Status.SENT).count()}


@contextmanager
def watch():
    """Collects the task names whose sending was deferred inside the block (for a user message)."""
    deferred: list[str] = []
    token = _deferred.set(deferred)
    try:
        yield deferred
    finally:
        _deferred.reset(token)
