"""Who may call the API: a verified session, or a bearer token, of a user with 2FA active."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django_otp import user_has_device
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken, hash_token


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
        user = request.user
        if user.is_authenticated and user.is_verified() and self.may_enter(user):
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


# A token's user is looked up at most every 30 s (a revocation takes effect at once: it
# deletes this entry); this keeps a database read and write off every API call.
TOKEN_CACHE_SECONDS = 30


def token_cache_key(key_hash: str) -> str:
    return f"api-token:{key_hash}"


def token_identity(token: str):
    """(user, has 2FA) for a live token, or None."""
    key_hash = hash_token(token)
    cached = cache.get(token_cache_key(key_hash))
    if cached is not None:
        return cached or None
    record = (
        ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked=False).first()
    )
    if record is not None:
        prefetch_related_objects([record.user], "groups")  # kept with the cached user
    identity = (record.user, user_has_device(record.user)) if record else ()
    if record is not None:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    cache.set(token_cache_key(key_hash), identity, TOKEN_CACHE_SECONDS)
    return identity or None
