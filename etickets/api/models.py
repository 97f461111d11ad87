import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "jet_"  # noqa: S105 — a marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API (a scanning device, a script). Only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("début du jeton"), max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A token lost in a phone or a script ends by itself (API_TOKEN_DAYS after its creation).
    expires_at = models.DateTimeField(_("expire le"))
    revoked = models.BooleanField(_("révoqué"), default=False)
    # The owner's credentials_version when it was made: a token made with credentials that
    # have since changed never works, even one made while they were changing.
    credentials_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token; the clear value is returned once and never stored. (Without the
        owner's e-mail: services.issue_token is the way in for the users' own tokens.)"""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(token),
            prefix=token[:12],
            expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS),
            credentials_version=user.credentials_version,
        )
        return record, token
