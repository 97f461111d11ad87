"""Writes on accounts: sign-up, profile, two-factor devices and recovery codes."""

import base64
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.core import ratelimit
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError

from .signals import credentials_changed

RECOVERY_CODE_COUNT = 10


class TooManySignups(DomainError):
    message = _(
        "Trop d'inscriptions depuis votre connexion en peu de temps. Réessayez dans une heure."
    )
    code = "rate_limited"


def register_user(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    language: str,
    client_ip: str,
):
    """Create a customer account and welcome them by e-mail; the new user, or None when the
    address already has an account, whose owner is then told by e-mail instead.

    The caller answers both cases alike, so that sign-up does not tell who has an account;
    TooManySignups past SIGNUP_RATE_LIMIT a hour from one address.
    """
    if not ratelimit.allow(
        scope="signup", key=client_ip, limit=settings.SIGNUP_RATE_LIMIT, window_seconds=3600
    ):
        raise TooManySignups()
    users = get_user_model().objects
    email = users.normalize_email(email)
    try:
        with transaction.atomic():
            if users.filter(email__iexact=email).exists():
                raise IntegrityError("taken")
            user = users.create_user(
                email=email,
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                language=language,
            )
            _email(user, "welcome", offers_path=reverse("catalog:offer_list"))
            return user
    except IntegrityError:
        # Taken, now or by a simultaneous sign-up (the unique index), or the username taken
        # by a simultaneous one: the owner hears of it, the caller sees no difference.
        owner = users.filter(email__iexact=email).first()
        if owner is not None:
            _email(owner, "signup_attempt", reset_path=reverse("accounts:password_reset"))
        return None


def _email(user, template: str, **context) -> None:
    send_templated_email(
        f"accounts/emails/{template}",
        to=user.email,
        context={"user": user, **context},
        language=user.language,
    )


def update_profile(user, *, username, email, first_name, last_name):
    user.username = username
    user.email = get_user_model().objects.normalize_email(email)
    user.first_name = first_name
    user.last_name = last_name
    user.save(update_fields=["username", "email", "first_name", "last_name"])
    return user


def set_language(user, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Two-factor authentication -------------------------------------------------------------


def totp_device_in_setup(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first call (a new secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, code: str) -> list[str] | None:
    """Activate 2FA when ``code`` matches the new authenticator; return the recovery codes."""
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = regenerate_recovery_codes(device.user)
    credentials_changed.send(sender=TOTPDevice, user=device.user, reason="two_factor_enabled")
    return codes


def compact_code(code: str) -> str:
    """``code`` without the spaces and hyphens people type or paste inside it: authenticator
    apps show « 365 347 », recovery codes are printed « 1a2b3-c4d5e »."""
    return "".join(code.split()).replace("-", "")


def is_totp_code(code: str) -> bool:
    """Six digits once compacted (recovery codes have ten characters)."""
    return len(code) == 6 and code.isdecimal()


def normalise_recovery_code(code: str) -> str:
    return compact_code(code).lower()


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    """Ten fresh single-use recovery codes; the old ones stop working. Shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Codes de secours", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def verify_second_factor(user, code: str):
    """The device that accepts ``code`` (a 6-digit TOTP code or a recovery code), or None.

    Spaces and hyphens inside the code are ignored, as on the set-up page.

    A TOTP code is accepted once (django-otp remembers the last time step used); a recovery
    code is deleted when used.
    """
    code = compact_code(code)
    if is_totp_code(code):
        # The row lock makes two simultaneous uses of one code see each other.
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        return device if device and device.verify_token(code) else None
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if static and static.verify_token(normalise_recovery_code(code)):
        return static
    return None


@transaction.atomic
def disable_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    credentials_changed.send(sender=TOTPDevice, user=user, reason="two_factor_disabled")


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The authenticator's secret in base32, in groups of four, for typing it by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
