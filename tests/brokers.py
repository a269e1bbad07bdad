"""Fixtures that put Celery (and the cache) in front of a Redis that does not answer, and bring it
back: the outage tests import them."""

import pytest

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def _reset_pools(app) -> None:
    app._pool = None
    app.amqp._producer_pool = None


OVERRIDDEN = ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")


def _restore(app, saved: dict, key: str) -> None:
    """Put one Celery setting back as it was: the earlier override, or none at all — so the app
    reads Django's settings again. (Setting the saved value instead left an override behind that
    wins over every later `app.conf.task_always_eager = …`: a later test's real worker was
    bypassed, its tasks run eagerly in the test process.)"""
    if key in saved:
        app.conf.changes[key] = saved[key]
    else:
        app.conf.changes.pop(key, None)


@pytest.fixture
def redis_down(settings):
    """Celery publishes for real (not eagerly) to a broker that refuses connections, and the Django
    cache points at the same dead address. Yields a function that "brings Redis back": the real
    broker from settings, still not eager."""
    from hdnd_portal.celery import app

    saved = {key: app.conf.changes[key] for key in OVERRIDDEN if key in app.conf.changes}
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS},
    }
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_BROKER_URL = DEAD_REDIS  # the app reads Django settings (namespace CELERY)
    _reset_pools(app)

    def back() -> None:
        _restore(app, saved, "CELERY_BROKER_URL")
        _reset_pools(app)

    yield back
    for key in OVERRIDDEN:
        _restore(app, saved, key)
    _reset_pools(app)


def take_from_queue(task_name: str) -> list[list]:
    """Remove the messages of this task from the default queue of the real broker; their args."""
    import base64
    import json

    import redis
    from django.conf import settings

    from hdnd_portal.env import redis_py_url

    client = redis.Redis.from_url(redis_py_url(settings.CELERY_BROKER_URL))
    found = []
    for raw in client.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == task_name:
            client.lrem("celery", 1, raw)
            body = json.loads(base64.b64decode(message["body"]))
            found.append(body[0])
    return found
