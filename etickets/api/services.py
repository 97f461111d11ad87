"""Writes on API tokens: issuing one (its owner is told), revoking one or all of a user's."""

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

from etickets.accounts.signals import credentials_changed
from etickets.core.emails import send_templated_email

from .auth import forget_tokens
from .models import ApiToken


def live_tokens(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        user=user, revoked=False, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def issue_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (its clear value, shown once); they are told by e-mail, so
    that one made with a stolen password does not go unnoticed."""
    record, token = ApiToken.issue(user, name)
    send_templated_email(
        "api/emails/token_created",
        to=user.email,
        context={"user": user, "token": record},
        language=user.language,
    )
    return record, token


def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens; False when they have no such live token."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token_id, user=user, revoked=False).update(
            revoked=True
        )
        if revoked:
            transaction.on_commit(forget_tokens)
    return bool(revoked)


def revoke_all_tokens(*, user) -> int:
    """Revoke every token of ``user``: refused by every worker from its next call."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        if revoked:
            # After the commit: a worker reading the token before then could cache it again.
            transaction.on_commit(forget_tokens)
    return revoked


@receiver(credentials_changed, dispatch_uid="api-revoke-tokens")
def _revoke_on_credentials_change(sender, user, **kwargs) -> None:
    revoke_all_tokens(user=user)
