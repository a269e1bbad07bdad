"""Django's Redis cache, forgiving: while Redis is unreachable every read is a miss and every
write is dropped (logged once a minute), so pages keep working and only get slower."""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


class HeldClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one redis.Redis per connection pool instead of a new one
    on every call: redis-py 6 fills two tables of some eighty response callbacks in each Redis(),
    about 0.3 ms of Python, and a page reads the cache two or three times (the held tables'
    versions, the bell's, the API's throttle). A Redis client is safe to share (its pool hands out
    the connections and renews them after a fork); Django keeps one cache object per thread."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_held_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = HeldClientRedisCacheClient

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
