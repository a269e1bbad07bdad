"""Cache of the public pages, invalidated by a per-council generation number.

Publishing, withdrawing or changing a published record bumps its council's generation (and the
global one, which the council search and the dataset page use), so every cached page of that
council is missed from then on; old entries simply expire. TTL is a backstop for bulk updates
that bypass signals."""

import hashlib
import logging

from django.core.cache import cache
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TTL = 300
_GEN = "public:gen:{}"


def generation(council_id: int | None) -> int:
    key = _GEN.format(council_id or "all")
    value = cache.get(key)
    if value is None:
        value = 1
        cache.add(key, value, None)
    return int(value)


def bump(council_id: int | None) -> None:
    try:
        for key in {_GEN.format(council_id or "all"), _GEN.format("all")}:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 2, None)
    except Exception:  # a cache outage must never break a save; pages then expire by TTL
        logger.warning("public cache: could not bump generation of council %s", council_id, exc_info=True)


def gen_key(council_id: int | None) -> str:
    return _GEN.format(council_id or "all")


def page_key(council_id: int | None, path: str, query: str, gen: int | None = None) -> str:
    digest = hashlib.sha1(f"{path}?{query}".encode()).hexdigest()
    gen = generation(council_id) if gen is None else gen
    return f"public:page:{council_id or 'all'}:{gen}:{get_language()}:{digest}"


def council_key(council_id: int) -> str:
    return f"public:council:{council_id}"
