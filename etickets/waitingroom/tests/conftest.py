import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from etickets.core.cache import redis_client
from etickets.waitingroom import store


@pytest.fixture(params=["in-process", "redis"])
def queue(request, monkeypatch) -> store.QueueStore:
    """Each store in turn, as the one the services use (Redis's only where the site has it:
    CI does; the autouse fixture that clears the cache empties it between tests)."""
    if request.param == "in-process":
        chosen: store.QueueStore = store.InProcessQueueStore()
    else:
        cache = caches["default"]
        if not isinstance(cache, RedisCache):
            pytest.skip("the Redis store (CI runs with Redis)")
        chosen = store.RedisQueueStore(redis_client(cache), key=cache.make_key)
    monkeypatch.setattr(store, "_store", chosen)
    return chosen
