"""Redis down: buying goes on from PostgreSQL alone. Sessions survive, login lockouts hold,
and each rate limit fails the way its caller chose."""

from html import unescape

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from conftest import PASSWORD
from etickets.core import ratelimit
from etickets.orders.models import Order

# Nothing listens on port 9 of this machine: every call is refused at once.
REDIS_DOWN = override_settings(
    CACHES={
        "default": {
            "BACKEND": "etickets.core.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    },
)


@pytest.fixture
def redis_down():
    with REDIS_DOWN:
        yield caches["default"]


def log_in(client, email, password=PASSWORD, ip="203.0.113.9"):
    return client.post("/connexion/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_the_cache_reads_miss_and_writes_are_skipped(redis_down):
    redis_down.set("k", 1)
    assert redis_down.get("k") is None
    assert redis_down.get_many(["k", "l"]) == {}
    assert redis_down.add("k", 1) is False
    assert redis_down.delete("k") is False
    redis_down.set_many({"a": 1})
    redis_down.delete_many(["a"])


@pytest.mark.django_db
def test_a_buyer_logs_in_and_buys_without_redis(redis_down, make_user, make_offer):
    user, offer = make_user(), make_offer(price_cents=4500)
    client = Client()
    assert log_in(client, user.email).status_code == 302
    response = client.post(f"/panier/ajouter/{offer.slug}/", {"quantity": "2"})
    assert response.status_code == 302
    page = unescape(client.get("/paiement/").content.decode())
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    card = {"number": "4242 4242 4242 4242", "expiry": "08/30", "cvv": "123"}
    response = client.post("/paiement/", {"idempotency_key": key, **card})
    assert response.status_code == 302, response.content.decode()[:500]
    order = Order.objects.get(user=user)
    assert (order.status, order.total_cents) == ("paid", 9000)
    # The session is still there on the next request: it lives in the database too.
    assert client.get("/compte/").status_code == 200


@pytest.mark.django_db
def test_login_lockouts_hold_without_redis(redis_down, make_user):
    user = make_user()
    for attempt in range(5):
        log_in(Client(), user.email, "Mauvais-1234!", ip=f"198.51.100.{attempt}")
    assert log_in(Client(), user.email, ip="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_each_rate_limit_fails_as_its_caller_chose(redis_down, client):
    assert ratelimit.allow(scope="t", key="a", limit=1, window_seconds=60, fail_open=True)
    with pytest.raises(redis.exceptions.ConnectionError):
        ratelimit.allow(scope="t", key="a", limit=1, window_seconds=60, fail_open=False)
    # Sign-up fails closed: the visitor is asked to retry in a few seconds, nothing is made.
    client.raise_request_exception = False
    form = {
        "username": "lea.martin",
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea.martin@example.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    response = client.post("/inscription/", form)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert not get_user_model().objects.filter(email="lea.martin@example.fr").exists()


def test_redis_is_tried_again_a_second_after_it_failed(monkeypatch):
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        pytest.skip("the Redis cache (CI runs with Redis)")
    cache.set("k", "v")
    calls = []

    def refused(*args, **kwargs):
        calls.append(args)
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    real_get = redis.Redis.get
    monkeypatch.setattr(redis.Redis, "get", refused)
    assert cache.get("k") is None and cache.get("k") is None
    assert len(calls) == 1  # the second read did not wait for a connection
    monkeypatch.setattr(redis.Redis, "get", real_get)
    cache._cache._retry_at = 0  # a second later
    assert cache.get("k") == "v"


@pytest.mark.django_db
def test_healthz_says_redis_is_down_and_keeps_the_node_in_the_pool(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "error: ConnectionError",
    }
