"""The Redis cache keeps one client per connection pool (core/cache.py), through parts of
Django's Redis backend that are not public: these tests fail when an upgrade changes them."""

import inspect
import os

import pytest
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from etickets.core.cache import SharedClientRedisCache, SharedClientRedisCacheClient

# Making the cache and its pools connects to nothing: only the last test needs a server.
LOCATION = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def test_django_builds_a_client_per_call_from_the_attributes_we_use():
    django_client = RedisCacheClient([LOCATION])
    signature = "(self, key=None, *, write=False)"
    assert str(inspect.signature(RedisCacheClient.get_client)) == signature
    assert str(inspect.signature(SharedClientRedisCacheClient.get_client)) == signature
    pool = django_client._get_connection_pool(True)
    assert pool is django_client._get_connection_pool(write=True)
    assert django_client._client is django_client._lib.Redis
    # Still a new client each time: when Django keeps one, core/cache.py can go.
    assert django_client.get_client() is not django_client.get_client()
    assert RedisCache(LOCATION, {})._class is RedisCacheClient


def test_one_client_per_pool():
    cache = SharedClientRedisCache(LOCATION, {})
    client = cache._cache
    assert isinstance(client, SharedClientRedisCacheClient)
    writer = client.get_client("key", write=True)
    assert writer is client.get_client(write=True) is client.get_client()
    assert writer.connection_pool is client._get_connection_pool(True)


def test_the_options_still_reach_the_client():
    cache = SharedClientRedisCache(LOCATION, {"OPTIONS": {"socket_timeout": 3}})
    assert cache._cache.get_client().connection_pool.connection_kwargs["socket_timeout"] == 3


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis (CI runs with Redis)")
def test_the_cache_works_through_the_shared_client():
    cache = SharedClientRedisCache(LOCATION, {})
    cache.set("core-cache-test", {"seats": 2}, 5)
    assert cache.get("core-cache-test") == {"seats": 2}
    assert cache.add("core-cache-counter", 0) and cache.incr("core-cache-counter") == 1
    cache.delete_many(["core-cache-test", "core-cache-counter"])
    assert cache.get("core-cache-test") is None
