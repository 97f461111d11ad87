"""Fixed-window counters in the shared cache (Redis in production): how many times a client
did something within the window, across every web worker."""

from django.core.cache import cache


def hit(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one more ``scope`` action by ``key`` and return the count in the current window."""
    cache_key = f"rate:{scope}:{key}"
    # add() starts the window only if none is running; incr() is atomic on Redis.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def allow(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count the action; False once ``key`` went past ``limit`` within the window."""
    return hit(scope=scope, key=key, window_seconds=window_seconds) <= limit
