"""Garbage collection shaped for a web worker (gunicorn_conf.py applies it; the benchmark measures with it).

A full (generation 2) collection walks every tracked object alive at that moment. Left to its
defaults, CPython starts one in the middle of whichever request happens to cross the threshold —
then it walks the ~200,000 objects of the loaded application and the request's own querysets and
serializers: 150–250 ms added to that request here (the letters API's p95 was 250 ms at a p50 of
40). So: the objects loaded at start-up are frozen (never walked again), generation 2 is not
collected automatically, and it is collected as each request starts — before the request object
exists, when what is alive is little more than the previous request's cyclic garbage (~7,000
objects for the letters API: 1.6 ms here) — and what survives is frozen in turn (caches filled by
the first requests, the connection's query log), so the walk stays that short. Collected every
twenty requests instead, that garbage is 130,000 objects and takes 170 ms: the cost grows faster
than the garbage on this machine, so every request it is.

Measured with the letters API (`/api/citizens/letters/`, 100 requests, three runs each):
p50 / p95 40–43 / 235–256 ms by default, 36–52 / 47–68 ms tuned."""

import gc
import logging
from contextlib import contextmanager

from django.core.signals import request_started

logger = logging.getLogger(__name__)

# Once in so many requests the frozen objects are walked too (~150 ms here), so that one frozen while
# alive and dropped since in a reference cycle is not kept for the worker's whole life.
RECHECK_FROZEN_EVERY = 2000
_state = {"tuned": False, "requests": 0}


def _collect_between_requests(**kwargs) -> None:
    """request_started comes before the request object exists: what is alive now, after the
    collection, lives on (caches, the connection's query log…) and is frozen with the start-up
    objects, so the next collection walks only what the next request leaves behind."""
    _state["requests"] += 1
    if _state["requests"] % RECHECK_FROZEN_EVERY == 0:
        gc.unfreeze()  # what was frozen and has since become cyclic garbage (an evicted cache entry)
    gc.collect()
    gc.freeze()


def tune_for_requests() -> None:
    """Call once the application is loaded (its modules, URLs and settings)."""
    if _state["tuned"]:
        return
    _state["tuned"] = True
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
