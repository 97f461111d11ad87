import datetime
import time

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.api import auth, revocations
from etickets.api.auth import forget_local_tokens, token_identity
from etickets.api.models import ApiToken
from etickets.api.services import revoke_token


@pytest.mark.django_db
@pytest.mark.parametrize(
    "devices",
    [[], [(TOTPDevice, False)], [(TOTPDevice, True)], [(StaticDevice, True)]],
    ids=["none", "totp-unconfirmed", "totp", "static"],
)
def test_a_tokens_second_factor_is_what_django_otp_says(make_user, devices):
    user = make_user()
    for model, confirmed in devices:
        model.objects.create(user=user, name="device", confirmed=confirmed)
    _record, secret = ApiToken.issue(user, "phone")
    found, has_2fa = token_identity(secret)
    assert found == user
    assert has_2fa == user_has_device(user)


@pytest.mark.django_db
def test_a_tokens_user_comes_with_their_groups_and_the_use_is_noted(make_user):
    staff = make_user()
    staff.groups.add(Group.objects.create(name="Contrôleurs"))
    record, secret = ApiToken.issue(staff, "scanner")
    found, _has_2fa = token_identity(secret)
    assert [group.name for group in found.groups.all()] == ["Contrôleurs"]
    record.refresh_from_db()
    assert record.last_used_at is not None
    assert token_identity("jet_not-a-token") is None


@pytest.mark.django_db
def test_a_tokens_first_use_is_one_statement_and_a_revoked_one_is_not_noted(
    make_user, django_assert_num_queries
):
    user = make_user()
    _record, secret = ApiToken.issue(user, "phone")
    # PostgreSQL notes the use in the statement that reads the token; SQLite, after it.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert token_identity(secret)[0] == user
    revoked, revoked_secret = ApiToken.issue(user, "old phone")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked=True)
    assert token_identity(revoked_secret) is None
    revoked.refresh_from_db()
    assert revoked.last_used_at is None


@pytest.fixture
def listening():
    """This process hears revocations (with Redis: once its listener has subscribed)."""
    deadline = time.monotonic() + 5
    while not revocations.trusts_copy_from(time.monotonic()):
        assert time.monotonic() < deadline, "the revocations' listener did not subscribe"
        time.sleep(0.01)


@pytest.mark.django_db
def test_a_worker_keeps_a_tokens_identity_a_few_seconds_and_hands_out_copies(
    make_user, monkeypatch, django_assert_num_queries, listening
):
    clock = [time.monotonic()]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    user = make_user()
    _record, secret = ApiToken.issue(user, "scanner")
    first, _ = token_identity(secret)
    first.first_name = "Changed by a request"
    cache.clear()  # not even the shared cache's copy is read
    with django_assert_num_queries(0):
        again, _ = token_identity(secret)
    assert again == user and again is not first and again.first_name == user.first_name
    clock[0] += auth.LOCAL_TOKEN_SECONDS
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert token_identity(secret)[0] == user


def _redis_only():
    if not settings.REDIS_URL:
        pytest.skip("the revocations' channel is Redis's (CI runs with Redis)")


@pytest.mark.django_db(transaction=True)
def test_a_copy_written_from_a_read_made_just_before_the_revocation_is_refused(make_user):
    """A worker with no copy of its own, that missed the announcement, finds in the shared
    cache the identity another wrote from a read made just before the revocation: the
    revocation's mark refuses it."""
    user = make_user()
    record, secret = ApiToken.issue(user, "scanner")
    _other, kept_secret = ApiToken.issue(make_user(), "other")
    assert token_identity(secret) is not None and token_identity(kept_secret) is not None
    stale = cache.get(auth.token_cache_key(record.key_hash))
    assert revoke_token(user=user, token_id=record.pk)
    cache.set(auth.token_cache_key(record.key_hash), stale)
    forget_local_tokens()
    assert token_identity(secret) is None
    assert token_identity(kept_secret) is not None


@pytest.mark.django_db(transaction=True)
def test_another_workers_revocation_is_heard_at_once(make_user, listening):
    """The attack: a revoked token kept working seconds on the workers that held its
    identity. Here this worker holds it; another revokes it and announces it."""
    _redis_only()
    user = make_user()
    record, secret = ApiToken.issue(user, "scanner")
    assert token_identity(secret) is not None  # this worker's copy
    ApiToken.objects.filter(pk=record.pk).update(revoked=True)  # the other worker's
    redis.Redis.from_url(settings.REDIS_URL).publish(revocations.channel(), record.key_hash)
    deadline = time.monotonic() + 2
    while token_identity(secret) is not None:
        assert time.monotonic() < deadline, "the revocation was not heard"
        time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_copies_from_before_a_break_in_listening_are_not_trusted(make_user, listening):
    """Redis restarted: announcements may have been lost meanwhile. The copies written before
    the listener subscribed again are not used; the revocation's mark refuses the token."""
    _redis_only()
    user = make_user()
    record, secret = ApiToken.issue(user, "scanner")
    assert token_identity(secret) is not None
    ApiToken.objects.filter(pk=record.pk).update(revoked=True)
    cache.set(auth.revoked_key(record.key_hash), 1)  # the other worker's; its announcement lost
    assert token_identity(secret) is not None  # still listening: the copy is trusted
    revocations._state["since"] = time.monotonic()  # as the listener subscribes again
    assert token_identity(secret) is None


@pytest.mark.django_db(transaction=True)
def test_with_the_shared_cache_down_tokens_are_read_from_the_database(make_user, monkeypatch):
    """Redis restarting: no 500, and a revocation still holds (the database knows it)."""
    user = make_user()
    record, secret = ApiToken.issue(user, "scanner")
    assert token_identity(secret) is not None

    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    for method in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(cache, method, down)
    # Its listener lost Redis too: the worker no longer trusts its copies.
    monkeypatch.setattr(revocations, "trusts_copy_from", lambda written_at: False)
    assert token_identity(secret)[0] == user
    ApiToken.objects.filter(pk=record.pk).update(revoked=True)
    assert token_identity(secret) is None


@pytest.mark.django_db(transaction=True)  # the caches are told once the revocation is committed
def test_revoking_a_token_refuses_it_at_once_in_this_worker(make_user):
    user = make_user()
    record, secret = ApiToken.issue(user, "phone")
    assert token_identity(secret) is not None
    assert revoke_token(user=user, token_id=record.pk)
    assert token_identity(secret) is None


@pytest.mark.django_db
def test_a_token_expires_after_api_token_days(make_user, settings, monkeypatch):
    settings.API_TOKEN_DAYS = 7
    user = make_user()
    record, secret = ApiToken.issue(user, "phone")
    lifetime = record.expires_at - record.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(seconds=1)
    assert token_identity(secret) is not None
    # Seven days later, in a worker that holds its identity: refused.
    later = time.time() + 7 * 24 * 3600
    monkeypatch.setattr(auth.time, "time", lambda: later)
    assert token_identity(secret) is None
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    monkeypatch.undo()
    forget_local_tokens()
    cache.clear()
    assert token_identity(secret) is None
