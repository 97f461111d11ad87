from .auth import forget_token
from .models import ApiToken


def live_tokens(user):
    return ApiToken.objects.filter(user=user, revoked=False).order_by("-created_at")


def revoke_token(user, token_id) -> bool:
    """Revoke one of the user's tokens: refused at once by this worker and those that read the
    shared cache, within seconds by the others (see ``auth.LOCAL_TOKEN_SECONDS``)."""
    record = ApiToken.objects.filter(pk=token_id, user=user, revoked=False).first()
    if record is None:
        return False
    record.revoked = True
    record.save(update_fields=["revoked"])
    forget_token(record.key_hash)
    return True
