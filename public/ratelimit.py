"""A small per-client rate limit on the public site (fixed one-minute windows in the cache).

Counted before the page cache, so cached pages count too. Limits are settings so that tests and
the benchmark can change them: PUBLIC_RATE_LIMIT (pages per minute per client) and
PUBLIC_RATE_LIMIT_SENSITIVE (tracking look-ups and subscriptions per minute per client)."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from hdnd_portal.cache import _ERRORS as CACHE_ERRORS
from hdnd_portal.cache import _warn as warn_cache_down

DEFAULT_LIMIT = 120
DEFAULT_SENSITIVE = 10


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; the portal has no trusted-proxy
    # setting yet, so the direct peer address is used (never a client-supplied header).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request, bucket: str, limit: int) -> bool:
    """Count one request; True if the client is still within `limit` for this minute."""
    window = int(time.time() // 60)
    key = f"public:rl:{bucket}:{client_ip(request)}:{window}"
    redis_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if redis_client is not None:
        # One round trip: INCR and EXPIRE pipelined (the warm page path is a few Redis calls).
        full_key = cache.make_and_validate_key(key)
        pipe = redis_client(full_key, write=True).pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.expire(full_key, 70)
        try:
            return int(pipe.execute()[0]) <= limit
        except CACHE_ERRORS as error:  # Redis unreachable: the public site answers, unlimited meanwhile
            warn_cache_down(error)
            return True
    if cache.add(key, 1, 70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, 70)
            count = 1
    return count <= limit


def too_many(request):
    response = render(
        request, "public/429.html",
        {"message": _("Too many requests from your connection. Please wait a minute and try again.")},
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def rate_limited(bucket: str = "page"):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if bucket == "page":
                limit = getattr(settings, "PUBLIC_RATE_LIMIT", DEFAULT_LIMIT)
            else:
                limit = getattr(settings, "PUBLIC_RATE_LIMIT_SENSITIVE", DEFAULT_SENSITIVE)
            if not hit(request, bucket, limit):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
