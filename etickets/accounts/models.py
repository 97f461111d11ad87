import secrets
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def new_account_key() -> bytes:
    return secrets.token_bytes(32)


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address, whatever its letter case."""

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        return self.get(email__iexact=self.normalize_email(email))

    def create_user(  # type: ignore[override]  # e-mail first: the login; username in extras
        self, email, password=None, **extra_fields
    ):
        return super().create_user(
            extra_fields.pop("username"), self.normalize_email(email), password, **extra_fields
        )

    def create_superuser(  # type: ignore[override]  # e-mail first, as in create_user
        self, email, password=None, **extra_fields
    ):
        return super().create_superuser(
            extra_fields.pop("username"), self.normalize_email(email), password, **extra_fields
        )


class User(AbstractUser):
    """A customer, a gate controller or an administrator; the e-mail address is the login."""

    email = models.EmailField(_("adresse email"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Secret of the account that binds its tickets to it (docs/ARCHITECTURE.md, « Tickets »);
    # never leaves the server.
    account_key = models.BinaryField(max_length=32, default=new_account_key, editable=False)
    # Moves on whenever the credentials or rights change (services.end_credentials): what was
    # granted under an older version, an API token included, no longer counts.
    credentials_version = models.PositiveIntegerField(default=0, editable=False)
    # When a link sent to the account's current address was used (services.verify_email, or
    # the confirmation of a new address); None: not proven yet.
    email_verified_at = models.DateTimeField(
        _("adresse email vérifiée le"), null=True, blank=True, editable=False
    )

    # « Supprimer mon compte » (etickets.privacy): the account's personal data was erased
    # then; the row stays, inactive and anonymous, for the orders and tickets it is part of.
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username", "first_name", "last_name"]

    objects: ClassVar[UserManager] = UserManager()

    # Set by Django's set_password until the save; not in its stubs.
    _password: str | None
    # Set on the request's user by django-otp's OTPMiddleware: this session passed 2FA.
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    RIGHTS = ("is_active", "is_staff", "is_superuser")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._rights_at_load = tuple(getattr(user, name, None) for name in cls.RIGHTS)
        return user

    def save(self, *args, **kwargs):
        # Whatever path changes the password (the account's forms, a reset link, the admin,
        # ``changepassword``: ``set_password`` keeps the clear one until the save) or the rights
        # (the back office, the admin), the credentials end here.
        loaded = getattr(self, "_rights_at_load", None)
        rights = tuple(getattr(self, name) for name in self.RIGHTS)
        if self._state.adding:
            changed = None
        elif self._password is not None:
            changed = "password"
        elif loaded is not None and loaded != rights:
            changed = "rights"
        else:
            changed = None
        super().save(*args, **kwargs)
        self._rights_at_load = rights
        if changed:
            from .services import end_credentials

            end_credentials(user=self, reason=changed)
