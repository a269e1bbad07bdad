"""Fixtures that put Celery (and the cache) in front of a Redis that does not answer, and bring it
back: the outage tests import them."""

import pytest

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def _reset_pools(app) -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    """Celery publishes for real (not eagerly) to a broker that refuses connections, and the Django
    cache points at the same dead address. Yields a function that "brings Redis back": the real
    broker from settings, still not eager."""
    from hdnd_portal.celery import app

    saved = (app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER)
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS},
    }
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_BROKER_URL = DEAD_REDIS  # the app reads Django settings (namespace CELERY)
    _reset_pools(app)

    def back() -> None:
        app.conf.CELERY_BROKER_URL = saved[0]
        _reset_pools(app)

    yield back
    app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER = saved
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
