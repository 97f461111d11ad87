from django.core.cache import cache

from .auth import token_cache_key
from .models import ApiToken


def live_tokens(user):
    return ApiToken.objects.filter(user=user, revoked=False).order_by("-created_at")


def revoke_token(user, token_id) -> bool:
    """Revoke one of the user's tokens, effective at once (its cached identity goes too)."""
    record = ApiToken.objects.filter(pk=token_id, user=user, revoked=False).first()
    if record is None:
        return False
    record.revoked = True
    record.save(update_fields=["revoked"])
    cache.delete(token_cache_key(record.key_hash))
    return True
