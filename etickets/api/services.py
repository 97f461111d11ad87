"""Writes on API tokens: issuing one (its owner is told), revoking one or all of a user's."""

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from etickets.accounts.models import User
from etickets.accounts.signals import credentials_changed
from etickets.core.emails import send_templated_email

from .auth import forget_tokens
from .models import ApiToken


def live_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        user=user,
        revoked=False,
        expires_at__gt=timezone.now(),
        credentials_version=user.credentials_version,
    ).order_by("-created_at")


def issue_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (its clear value, shown once); they are told by e-mail, so
    that one made with a stolen password does not go unnoticed."""
    # The name goes into that e-mail: one line, as the security page shows it.
    record, token = ApiToken.issue(user, " ".join(name.split())[:80] or "Application")
    send_templated_email(
        "api/emails/token_created",
        to=user.email,
        context={"user": user, "token": record},
        language=user.language,
    )
    return record, token


def revoke_token(*, user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens; False when they have no such live token."""
    return bool(_revoke(ApiToken.objects.filter(pk=token_id, user=user)))


def revoke_all_tokens(*, user: User) -> int:
    """Revoke every token of ``user``: refused by every worker from its next call."""
    return _revoke(ApiToken.objects.filter(user=user))


def _revoke(tokens: QuerySet[ApiToken]) -> int:
    with transaction.atomic():
        hashes = list(
            tokens.filter(revoked=False).select_for_update().values_list("key_hash", flat=True)
        )
        ApiToken.objects.filter(key_hash__in=hashes).update(revoked=True)
        if hashes:
            # After the commit: a worker reading a token before then could cache it again.
            transaction.on_commit(lambda: forget_tokens(hashes), robust=True)
    return len(hashes)


@receiver(credentials_changed, dispatch_uid="api-revoke-tokens")
def _revoke_on_credentials_change(sender: type[User], user: User, **kwargs: object) -> None:
    revoke_all_tokens(user=user)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-user-deleted")
def _revoke_on_user_deletion(sender: type[User], instance: User, **kwargs: object) -> None:
    # The tokens go with the account; their copies in the caches must go with them.
    revoke_all_tokens(user=instance)
