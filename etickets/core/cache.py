"""Django's Redis cache, keeping one client per connection pool, and carrying on without Redis.

Django builds a new ``redis.Redis`` object for every cache call; with redis-py 8 that costs
about 0.2 ms of CPU (it copies its table of response callbacks each time), more than the
round trip itself. A ``redis.Redis`` is safe to share between threads, and its pool already
is shared, so one client per pool does the same work for a fraction of the cost.

A cache is a copy: while Redis cannot be reached, a read is a miss and a write is skipped, so
that the site goes on from PostgreSQL alone. An entry that could not be replaced or deleted
meanwhile may be read again once Redis is back, until it expires: nothing that security
needs fresh lives in this cache for long (sessions are in PostgreSQL; an API token's identity
is cached for 30 seconds, api/auth.py).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool, Redis

logger = logging.getLogger(__name__)

DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# While Redis is down, one call in this many seconds tries it again (a connection attempt may
# take the whole connect timeout).
_RETRY_SECONDS = 1.0


class SharedClientRedisCacheClient(RedisCacheClient):
    # Django's, not in its stubs.
    _client: type[Redis]
    _get_connection_pool: Callable[[bool], ConnectionPool]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}
        self._down = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _soft(self, name: str, args: tuple, fallback: Any) -> Any:
        """Django's ``name`` method, or ``fallback`` while Redis is down."""
        if self._down and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = getattr(RedisCacheClient, name)(self, *args)
        except DOWN as error:
            with self._lock:
                if not self._down:
                    logger.warning("Redis unreachable, the cache is skipped: %r", error)
                self._down = True
                self._retry_at = time.monotonic() + _RETRY_SECONDS
            return fallback
        if self._down:
            self._down = False
            logger.warning("Redis answers again, the cache is used")
        return result

    def get(self, key, default):
        return self._soft("get", (key, default), default)

    def get_many(self, keys):
        return self._soft("get_many", (keys,), {})

    def has_key(self, key):
        return self._soft("has_key", (key,), False)

    def add(self, key, value, timeout):
        # Not added: what a « once an hour » guard reads as « already done », the safe side.
        return self._soft("add", (key, value, timeout), False)

    def set(self, key, value, timeout):
        self._soft("set", (key, value, timeout), None)

    def set_many(self, data, timeout):
        self._soft("set_many", (data, timeout), None)

    def touch(self, key, timeout):
        return self._soft("touch", (key, timeout), False)

    def delete(self, key):
        return self._soft("delete", (key,), False)

    def delete_many(self, keys):
        self._soft("delete_many", (keys,), None)


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


def redis_client(cache: RedisCache, key: str | None = None) -> Redis:
    """The Redis client of Django's Redis ``cache``, for the commands its API lacks (they
    raise while Redis is down: each caller decides what that means)."""
    client = cache._cache  # type: ignore[attr-defined]  # private to Django, not in its stubs
    return client.get_client(key, write=True)
