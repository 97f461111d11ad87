"""The shared fixed-window counter (core.ratelimit)."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from etickets.core import ratelimit


def test_a_window_counts_then_refuses_and_each_key_has_its_own():
    assert [
        ratelimit.allow(scope="t", key="a", limit=2, window_seconds=60, fail_open=False)
        for _ in range(3)
    ] == [
        True,
        True,
        False,
    ]
    assert ratelimit.allow(scope="t", key="b", limit=2, window_seconds=60, fail_open=False)


def test_on_redis_a_counter_always_has_its_expiry():
    """Django's incr() is EXISTS then INCR: a window ending in between left a counter without
    expiry, its client refused for good; one found so gets its expiry back."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        pytest.skip("the Redis counter (CI runs with Redis)")
    name = cache.make_and_validate_key("rate:t:c")
    client = cache._cache.get_client(name, write=True)
    ratelimit.hit(scope="t", key="c", window_seconds=60)
    assert 0 < client.ttl(name) <= 60
    client.delete(name)
    client.incr(name)  # what the race left behind: a counter without expiry
    assert client.ttl(name) == -1
    ratelimit.hit(scope="t", key="c", window_seconds=60)
    assert 0 < client.ttl(name) <= 60
