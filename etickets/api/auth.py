"""Who may call the API: a verified session, or a bearer token, of a user with 2FA active."""

import copy
import datetime
import functools
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone
from django_otp import device_classes
from ninja.security import APIKeyCookie, HttpBearer
from redis.exceptions import RedisError

from etickets.core import sql
from etickets.core.cache import redis_client

from . import revocations
from .models import hash_token


class VerifiedSession(APIKeyCookie):
    """The browser's session, verified by its second factor (CSRF checked on writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, may_enter):
        self.may_enter = may_enter
        super().__init__(csrf=True)

    def _get_key(self, request):
        # No session cookie, nothing to check: a bearer-token call carries no CSRF token.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        # No user without the session's middlewares (a bearer-token call's shorter stack).
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_verified()
            and self.may_enter(user)
        ):
            return user
        return None


class BearerToken(HttpBearer):
    """``Authorization: Bearer jet_…``: a live token of an active user; for staff endpoints,
    one who may enter and still has 2FA active."""

    def __init__(self, may_enter=None, require_2fa=True):
        self.may_enter = may_enter or (lambda user: True)
        self.require_2fa = require_2fa
        super().__init__()

    def authenticate(self, request, token):
        identity = token_identity(token)
        if identity is None:
            return None
        user, has_2fa = identity
        if not user.is_active or not self.may_enter(user):
            return None
        if self.require_2fa and not has_2fa:
            return None
        request.user = user
        return user


# A token's user is looked up at most every 30 s; this keeps a database read and write off
# every API call.
TOKEN_CACHE_SECONDS = 30
# Each worker also keeps what it read for a few seconds: a gate's scanner sends hundreds of
# scans a minute with one token, and a round trip to the shared cache was an eighth of a
# scan's CPU. A revocation reaches these copies at once (revocations.py). When this worker
# did not hear every revocation (Redis restarting, the worker starting), it does not trust its
# copies and reads the token's revocation mark with its identity from the shared cache: a mark
# that the revocation sets once committed and that outlives every copy of the identity.
LOCAL_TOKEN_SECONDS = 5
REVOKED_MARK_SECONDS = 24 * 3600
_LOCAL_TOKENS_MAX = 10_000
_local_tokens: dict[str, tuple[float, float, tuple]] = {}
# What the shared cache may raise while Redis restarts or is out of reach.
CACHE_ERRORS = (RedisError, OSError)


def token_cache_key(key_hash: str) -> str:
    return f"api-token:{key_hash}"


def revoked_key(key_hash: str) -> str:
    return f"api-token-revoked:{key_hash}"


def token_identity(token: str):
    """(user, has 2FA) for a live token, or None. The user is the caller's own copy."""
    key_hash = hash_token(token)
    if revocations.is_heard(key_hash):
        return None
    try:
        identity = _cached_identity(key_hash)
    except CACHE_ERRORS:
        # No shared cache, no revocation marks: the database alone, which always knows.
        identity = _identity(key_hash)
    if not identity:
        return None
    user, has_2fa, expires = identity
    if expires <= time.time():
        return None
    # A copy: a request may change its user, the next one must not see it.
    return copy.copy(user), has_2fa


def _cached_identity(key_hash: str) -> tuple:
    now = time.monotonic()
    local = _local_tokens.get(key_hash)
    if local is not None and local[0] > now and revocations.trusts_copy_from(local[1]):
        return local[2]
    found = cache.get_many([revoked_key(key_hash), token_cache_key(key_hash)])
    identity: tuple | None
    if found.get(revoked_key(key_hash)):
        identity = ()
    else:
        identity = found.get(token_cache_key(key_hash))
        if identity is None:
            identity = _identity(key_hash)
            cache.set(token_cache_key(key_hash), identity, TOKEN_CACHE_SECONDS)
    if len(_local_tokens) >= _LOCAL_TOKENS_MAX:
        _local_tokens.clear()
    _local_tokens[key_hash] = (now + LOCAL_TOKEN_SECONDS, now, identity)
    return identity


def forget_local_tokens() -> None:
    """Empty this worker's own copies (as ``cache.clear()`` empties the shared cache)."""
    _local_tokens.clear()
    revocations.forget_heard()


def forget_tokens(key_hashes: list[str]) -> None:
    """Once their revocation is committed: the tokens are refused by every worker from its
    next call (revocations.py), and by those that did not hear it (their marks)."""
    for key_hash in key_hashes:
        _local_tokens.pop(key_hash, None)
    cache.set_many({revoked_key(key_hash): 1 for key_hash in key_hashes}, REVOKED_MARK_SECONDS)
    shared = caches["default"]
    if isinstance(shared, RedisCache):
        revocations.announce(key_hashes, redis_client(shared))
    else:
        revocations.hear(key_hashes)


_USER = sql.Loader(get_user_model())
_GROUP = sql.Loader(Group)
_MEMBERSHIPS = _USER.model.groups.through._meta.db_table


@functools.cache
def _identity_query() -> tuple[str, int]:
    """The token, its user, whether they have a confirmed second-factor device of any kind
    django-otp knows (as ``django_otp.user_has_device`` tells) and whether they are in any
    group; with the number of device kinds (a parameter each). On PostgreSQL the token's use
    is noted by the same statement."""
    devices = list(device_classes())
    has_device = (
        " OR ".join(
            f"EXISTS (SELECT 1 FROM {model._meta.db_table} d WHERE d.user_id = u.id "
            "AND d.confirmed = %s)"
            for model in devices
        )
        or "1 = 0"
    )
    columns = (
        f"t.id, t.expires_at, {_USER.select('u')}, {has_device}, "
        f"EXISTS (SELECT 1 FROM {_MEMBERSHIPS} m WHERE m.user_id = u.id)"
    )
    users = _USER.model._meta.db_table
    # A token is live while not revoked nor expired, and made under its owner's current
    # credentials (accounts.services.end_credentials).
    if connection.vendor == "postgresql":
        query = (
            "WITH t AS (UPDATE api_apitoken SET last_used_at = %s "
            "WHERE key_hash = %s AND revoked = %s AND expires_at > %s "
            "RETURNING id, user_id, expires_at, credentials_version) "
            f"SELECT {columns} FROM t JOIN {users} u ON u.id = t.user_id "
            "AND u.credentials_version = t.credentials_version"
        )
    else:
        query = (
            f"SELECT {columns} FROM api_apitoken t JOIN {users} u ON u.id = t.user_id "
            "AND u.credentials_version = t.credentials_version "
            "WHERE t.key_hash = %s AND t.revoked = %s AND t.expires_at > %s"
        )
    return query, len(devices)


def _identity(key_hash: str) -> tuple:
    """From the database: at the start of a rush every buyer's token is looked up at once,
    hence one statement for the token, its user and their second factor, and the use noted
    (by the same statement on PostgreSQL); one more for the groups of those who have some
    (staff)."""
    query, device_kinds = _identity_query()
    devices = [True] * device_kinds
    now = timezone.now()
    if connection.vendor == "postgresql":
        found = sql.row(query, [now, key_hash, False, now, *devices])
    else:
        found = sql.row(query, [*devices, key_hash, False, now])
    if found is None:
        return ()
    token_id, expires_at = found[0], found[1]
    user = _USER.load(found[2 : 2 + _USER.width])
    has_2fa, has_groups = (bool(value) for value in found[2 + _USER.width :])
    groups = []
    if has_groups:
        groups = sql.rows(
            f"SELECT {_GROUP.select('g')} FROM auth_group g "
            f"JOIN {_MEMBERSHIPS} m ON m.group_id = g.id WHERE m.user_id = %s",
            [user.pk],
        )
    sql.set_prefetched(user, "groups", [_GROUP.load(group) for group in groups])
    if connection.vendor != "postgresql":
        sql.execute("UPDATE api_apitoken SET last_used_at = %s WHERE id = %s", [now, token_id])
    return (user, has_2fa, _timestamp(expires_at))


def _timestamp(value) -> float:
    """Seconds since the epoch of a datetime column as the raw cursor returns it (SQLite's
    backend gives a string)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.timestamp()
