"""Django's Redis cache, forgiving: while Redis is unreachable every read is a miss and every
write is dropped (logged once a minute), so pages keep working and only get slower."""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("cache unavailable, serving without it: %s", error)


def _forgiving(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _ERRORS as error:
            _warn(error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", {})
    has_key = _forgiving("has_key", False)
    set = _forgiving("set", None)
    add = _forgiving("add", False)
    set_many = _forgiving("set_many", lambda data, *a, **k: list(data))
    touch = _forgiving("touch", False)
    delete = _forgiving("delete", False)
    delete_many = _forgiving("delete_many", None)
    clear = _forgiving("clear", False)

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _ERRORS as error:
            _warn(error)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error
