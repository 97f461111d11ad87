import secrets

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

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        return self.get(email__iexact=self.normalize_email(email))

    def create_user(self, email, password=None, **extra_fields):
        return super().create_user(
            extra_fields.pop("username"), self.normalize_email(email), password, **extra_fields
        )

    def create_superuser(self, email, password=None, **extra_fields):
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
    # Secret of the account that binds its tickets to it (see DESIGN.md); never leaves the server.
    account_key = models.BinaryField(max_length=32, default=new_account_key, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username", "first_name", "last_name"]

    objects = UserManager()

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

    def save(self, *args, **kwargs):
        # ``set_password`` keeps the new clear password until the save: whatever path changed
        # it (the account's forms, a reset link, the admin, ``changepassword``), it ends here.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from .signals import credentials_changed

            credentials_changed.send(sender=type(self), user=self, reason="password")
