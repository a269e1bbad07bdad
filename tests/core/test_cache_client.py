"""The Redis cache builds one redis.Redis per connection pool, not one per call (issue #13), and
stays forgiving: an unreachable Redis is a miss."""

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCacheClient

from hdnd_portal.cache import ForgivingRedisCache, HeldClientRedisCacheClient


def test_the_cache_reuses_its_redis_client():
    assert isinstance(cache._cache, HeldClientRedisCacheClient)
    cache.set("test:held-client", {"n": 1}, 30)
    first = cache._cache.get_client("test:held-client")
    assert cache.get("test:held-client") == {"n": 1}
    assert cache._cache.get_client("other", write=True) is first
    # Django's own client builds a new one on every call: what this replaces.
    plain = RedisCacheClient(cache._servers, **cache._options)
    assert plain.get_client() is not plain.get_client()
    cache.delete("test:held-client")


def test_each_thread_has_its_own_cache_and_client():
    from threading import Thread

    seen = []
    thread = Thread(target=lambda: seen.append(caches["default"]._cache.get_client()))
    thread.start()
    thread.join()
    assert seen[0] is not cache._cache.get_client()


def test_an_unreachable_redis_is_still_a_miss():
    unreachable = ForgivingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert unreachable.get("anything", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    unreachable.set("a", 1)  # dropped, no error
