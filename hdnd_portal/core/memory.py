"""Garbage collection shaped for a web worker (gunicorn_conf.py applies it; the benchmark measures with it).

A full (generation 2) collection walks every tracked object alive at that moment. Left to its
defaults, CPython starts one in the middle of whichever request happens to cross the threshold —
then it walks the ~200,000 objects of the loaded application and the request's own querysets and
serializers: 150–250 ms added to that request here (the letters API's p95 was 250 ms at a p50 of
40). So: the objects loaded at start-up are frozen (never walked again), generation 2 is not
collected automatically, and it is collected as each request starts, when what is alive is little
more than the previous request's cyclic garbage (~7,000 objects for the letters API: 1.6 ms here).
Collected every twenty requests instead, that garbage is 130,000 objects and takes 170 ms: the
cost grows faster than the garbage on this machine, so every request it is.

Measured with the letters API (`/api/citizens/letters/`, 100 requests, three runs each):
p50 / p95 40–43 / 235–256 ms by default, 36–52 / 47–68 ms tuned."""

import gc
import logging
from contextlib import contextmanager

from django.core.signals import request_started

logger = logging.getLogger(__name__)

COLLECT_EVERY = 1
_state = {"requests": 0, "tuned": False}


def _collect_between_requests(**kwargs) -> None:
    _state["requests"] += 1
    if _state["requests"] >= COLLECT_EVERY:
        _state["requests"] = 0
        gc.collect()


def tune_for_requests() -> None:
    """Call once the application is loaded (its modules, URLs and settings)."""
    if _state["tuned"]:
        return
    _state["tuned"] = True
    from django.urls import get_resolver

    len(get_resolver().url_patterns)  # import every view module now, so that it is frozen with the rest
    gc.collect()
    gc.freeze()
    _state["threshold"] = gc.get_threshold()
    threshold0, threshold1, _threshold2 = _state["threshold"]
    gc.set_threshold(threshold0, threshold1, 1_000_000_000)  # generation 2: only between requests
    request_started.connect(_collect_between_requests, dispatch_uid="hdnd-gc-between-requests")
    logger.info("garbage collection between requests; %s start-up objects frozen", gc.get_freeze_count())


@contextmanager
def tuned_for_requests():
    """As a web worker runs, for a while (the benchmark's pages), then the defaults back (its
    report, scan and import run in a Celery worker, with the defaults)."""
    tune_for_requests()
    try:
        yield
    finally:
        request_started.disconnect(dispatch_uid="hdnd-gc-between-requests")
        gc.set_threshold(*_state["threshold"])
        gc.unfreeze()
        _state["tuned"] = False
