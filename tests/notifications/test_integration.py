"""End to end with a real Celery worker and Redis (no eager mode): the scan task goes through the
broker, the worker creates the in-app notification and sends the mail through the mail backend."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hdnd_portal.notifications import tasks
from hdnd_portal.notifications.models import Notification, ReminderLog, ScanRun

ROOT = Path(__file__).resolve().parents[2]


def _redis_or_skip() -> None:
    import redis

    from hdnd_portal.env import redis_py_url

    try:  # the embedded broker is redis+socket://, which redis-py spells unix://
        redis.Redis.from_url(redis_py_url(settings.CELERY_BROKER_URL), socket_connect_timeout=2).ping()
    except Exception as error:
        pytest.skip(f"Redis unreachable at {settings.CELERY_BROKER_URL}: {error}")


def _wait(predicate, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _database_url(db: dict) -> str:
    """The test database for the worker subprocess; the embedded server listens on a unix socket
    (HOST is its directory)."""
    socket_dir = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    if socket_dir.startswith("/"):
        return f"postgresql://{db['USER']}@/{db['NAME']}?host={socket_dir}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_reminder_arrives_end_to_end_through_a_real_worker(make_deadline, people, settings):
    _redis_or_skip()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from hdnd_portal.celery import app

    app.conf.task_always_eager = False
    queue = f"itest-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        "ITEST_QUEUE": queue,
    }
    make_deadline(
        timezone.localdate(),
        responsible_user=people["responsible"],
        responsible_agency=None,
        title="Trả lời kiến nghị cử tri về đường Đông Anh",
    )
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.notifications.celery_itest",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "-l",
            "info",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"itest-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        tasks.reminder_scan.apply_async(queue=queue)  # what beat does every 15 minutes
        assert _wait(lambda: ReminderLog.objects.filter(email_status="sent").exists()), Path(log.name).read_text()[
            -3000:
        ]
        entry = ReminderLog.objects.get()
        assert entry.point == "due" and entry.recipient == people["responsible"] and entry.email_sent_at
        assert Notification.objects.get().title.endswith("Trả lời kiến nghị cử tri về đường Đông Anh")
        assert ScanRun.objects.get().reminders == 1
        assert _wait(lambda: "To: responsible@example.vn" in Path(log.name).read_text(), 20)
        # A second scan through the worker sends nothing more.
        tasks.reminder_scan.apply_async(queue=queue)
        assert _wait(lambda: ScanRun.objects.filter(finished_at__isnull=False).count() == 2)
        assert ReminderLog.objects.count() == 1 and Path(log.name).read_text().count("To: responsible@example.vn") == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.conf.task_always_eager = True
        os.unlink(log.name)
