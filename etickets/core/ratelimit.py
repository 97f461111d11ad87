"""Fixed-window counters in the shared cache (Redis in production): how many times a client
did something within the window, across every web worker."""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from .cache import DOWN, redis_client

logger = logging.getLogger(__name__)


def hit(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one more ``scope`` action by ``key`` and return the count in the current window."""
    cache_key = f"rate:{scope}:{key}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One transaction: the window starts with its expiry (SET NX EX), then counts. Django's
        # incr() checks the key then increments it: a window ending in between would leave a
        # counter without expiry, and its client refused for good.
        name = cache.make_and_validate_key(cache_key)
        pipeline = redis_client(cache, name).pipeline(transaction=True)
        pipeline.set(name, 0, ex=window_seconds, nx=True)
        pipeline.incr(name)
        pipeline.ttl(name)
        _started, count, ttl = pipeline.execute()
        if ttl == -1:  # a counter left without expiry (by an older version): give it one
            pipeline.expire(name, window_seconds)
            pipeline.execute()
        return count
    # In-process cache: incr() keeps the entry's expiry.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def allow(*, scope: str, key: str, limit: int, window_seconds: int, fail_open: bool) -> bool:
    """Count the action; False once ``key`` went past ``limit`` within the window.

    While Redis cannot be reached nothing is counted: with ``fail_open`` the action is allowed,
    otherwise Redis's error goes up and the visitor gets the 503 « réessayez » page. Each
    caller writes down its choice (docs/RELIABILITY.md lists them)."""
    try:
        return hit(scope=scope, key=key, window_seconds=window_seconds) <= limit
    except DOWN:
        if not fail_open:
            raise
        logger.warning("Rate limit %s not counted: Redis unreachable", scope)
        return True
