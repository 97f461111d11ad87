import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from etickets.core.cache import redis_client
from etickets.waitingroom import store


def _redis_store() -> store.QueueStore:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        pytest.skip("the Redis store (CI runs with Redis)")
    return store.RedisQueueStore(redis_client(cache), key=cache.make_key)


@pytest.fixture(params=["in-process", "redis"])
def queue(request, monkeypatch) -> store.QueueStore:
    """Each store in turn, as the one the services use (Redis's only where the site has it:
    CI does; the autouse fixture that clears the cache empties it between tests)."""
    chosen = store.InProcessQueueStore() if request.param == "in-process" else _redis_store()
    monkeypatch.setattr(store, "_store", chosen)
    return chosen


@pytest.fixture
def redis_queue(monkeypatch) -> store.QueueStore:
    """The Redis store alone, for what only it does."""
    chosen = _redis_store()
    monkeypatch.setattr(store, "_store", chosen)
    return chosen
