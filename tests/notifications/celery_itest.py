"""The portal's Celery app, publishing and consuming on a queue of its own, for the integration
test (so tasks other processes put on the shared Redis database do not interfere)."""

import os

from hdnd_portal.celery import app

app.conf.task_default_queue = os.environ.get("ITEST_QUEUE", "celery")

__all__ = ["app"]
