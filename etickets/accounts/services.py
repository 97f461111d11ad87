"""Writes on accounts: sign-up, profile, verified address, two-factor devices and recovery
codes."""

import base64
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.core import ratelimit
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError

from .models import User
from .signals import credentials_changed

RECOVERY_CODE_COUNT = 10


class UsernameTaken(DomainError):
    message = _("Ce nom d'utilisateur est déjà pris. Choisissez-en un autre.")
    code = "taken"


class TooManySignups(DomainError):
    message = _(
        "Trop d'inscriptions depuis votre connexion en peu de temps. Réessayez dans une heure."
    )
    code = "rate_limited"
    status = 429


def register_user(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    language: str,
    client_ip: str,
) -> User | None:
    """Create a customer account and welcome them by e-mail; the new user, or None when the
    address already has an account, whose owner is then told by e-mail instead (once an hour
    at most: the form is no way to flood a mailbox).

    The caller answers both cases alike, so that sign-up does not tell who has an account;
    TooManySignups past SIGNUP_RATE_LIMIT an hour from one address; UsernameTaken when a
    simultaneous sign-up took the username.
    """
    # Accounts are what bots make by the thousand: uncounted (Redis down), sign-up waits (503).
    if not ratelimit.allow(
        scope="signup",
        key=client_ip,
        limit=settings.SIGNUP_RATE_LIMIT,
        window_seconds=3600,
        fail_open=False,
    ):
        raise TooManySignups()
    users = get_user_model().objects
    email = users.normalize_email(email)
    try:
        with transaction.atomic():
            if users.filter(email__iexact=email).exists():
                # As long as a new account's password takes to hash: no telling by the time.
                make_password(password)
                raise IntegrityError("taken")
            user = users.create_user(
                email=email,
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                language=language,
            )
            # The welcome carries the link that verifies the address: one e-mail.
            _email(
                user,
                "welcome",
                offers_path=reverse("catalog:offer_list"),
                verify_path=_verification_path(user),
            )
            return user
    except IntegrityError as error:
        # The address taken, now or by a simultaneous sign-up (the unique index), or else the
        # username taken by a simultaneous one.
        owner = users.filter(email__iexact=email).first()
        if owner is None:
            raise UsernameTaken() from error
        _tell_owner_of_taken_address(owner)
        return None


def _tell_owner_of_taken_address(owner: User) -> None:
    """Someone tried to use ``owner``'s address for another account (a sign-up, an e-mail
    change): they are told, once an hour at most (no way to flood a mailbox)."""
    if cache.add(f"address-in-use:{owner.pk}", 1, timeout=3600):
        _email(owner, "address_in_use", reset_path=reverse("accounts:password_reset"))


def _email(user: User, template: str, **context: object) -> None:
    send_templated_email(
        f"accounts/emails/{template}",
        to=user.email,
        context={"user": user, **context},
        language=user.language,
    )


def end_credentials(*, user: User, reason: str) -> None:
    """The account's credentials or rights changed (``reason``): whatever was granted under
    the old ones ends. The version moves on, so that an API token being made at this very
    moment with the old ones is born dead; then credentials_changed is sent (the API app
    revokes the user's tokens)."""
    users = get_user_model().objects.filter(pk=user.pk)
    users.update(credentials_version=F("credentials_version") + 1)
    user.credentials_version = users.values_list("credentials_version", flat=True).get()
    credentials_changed.send(sender=type(user), user=user, reason=reason)


def update_profile(user: User, *, username: str, first_name: str, last_name: str) -> User:
    """The profile's fields but the e-mail address, which changes once confirmed
    (request_email_change)."""
    user.username = username
    user.first_name = first_name
    user.last_name = last_name
    user.save(update_fields=["username", "first_name", "last_name"])
    return user


# --- Links sent to an address: its change, its verification --------------------------------

# A link proves its holder reads the mailbox it was sent to, for a day, while the account
# still has the address it was made for: it is signed (the salt says what for), and a change
# of address ends every link made before it.
ADDRESS_LINK_MAX_AGE = 24 * 60 * 60
EMAIL_CHANGE_SALT = "etickets.accounts.email-change"
EMAIL_VERIFICATION_SALT = "etickets.accounts.email-verification"


def _address_link(*, user: User, salt: str, **payload: str) -> str:
    """A token for ``user`` as long as it keeps its current address."""
    current = get_user_model().objects.filter(pk=user.pk).values_list("email", flat=True).get()
    return signing.dumps({"user": user.pk, "old": current, **payload}, salt=salt)


def _address_link_payload(
    *, token: str, salt: str, invalid: type[DomainError]
) -> tuple[User, dict[str, str]]:
    """(user, payload) of a valid link; ``invalid`` raised otherwise: forged, older than a
    day, or made for an address the account no longer has."""
    try:
        payload = signing.loads(token, salt=salt, max_age=ADDRESS_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise invalid() from error
    user = get_user_model().objects.filter(pk=payload["user"], is_active=True).first()
    if user is None or user.email != payload["old"]:
        raise invalid()
    return user, payload


class EmailChangeLinkInvalid(DomainError):
    message = _(
        "Ce lien de confirmation n'est plus valable : il a expiré, a déjà servi, ou l'adresse "
        "du compte a changé depuis. Demandez un nouveau changement dans « Mon compte » > "
        "« Profil »."
    )
    code = "invalid_link"


class EmailTaken(DomainError):
    message = _("Cette adresse email est déjà utilisée par un autre compte.")
    code = "taken"


def request_email_change(*, user: User, new_email: str) -> None:
    """Send a confirmation link to ``new_email``; the account keeps its address until the
    link is used. When another account has the address, its owner is told instead: the
    caller answers alike, so that the profile does not tell who has an account either."""
    users = get_user_model().objects
    new_email = users.normalize_email(new_email)
    owner = users.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is not None:
        _tell_owner_of_taken_address(owner)
        return
    token = _address_link(user=user, salt=EMAIL_CHANGE_SALT, new=new_email)
    send_templated_email(
        "accounts/emails/email_change",
        to=new_email,
        context={
            "user": user,
            "new_email": new_email,
            "confirm_path": reverse("accounts:confirm_email_change", args=[token]),
        },
        language=user.language,
    )


def pending_email_change(*, token: str) -> tuple[User, str]:
    """(user, new address) of a valid confirmation link; EmailChangeLinkInvalid otherwise
    (a used one was made for an address the account no longer has)."""
    user, change = _address_link_payload(
        token=token, salt=EMAIL_CHANGE_SALT, invalid=EmailChangeLinkInvalid
    )
    return user, change["new"]


def confirm_email_change(*, token: str) -> User:
    """Give the account the address its link was sent to, verified by that very link, and
    tell the old address."""
    user, new_email = pending_email_change(token=token)
    old_email = user.email
    user.email = new_email
    user.email_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified_at"])
    except IntegrityError as error:  # taken since the link was sent
        raise EmailTaken() from error
    send_templated_email(
        "accounts/emails/email_changed",
        to=old_email,
        context={"user": user},
        language=user.language,
    )
    return user


class VerificationLinkInvalid(DomainError):
    message = _(
        "Ce lien de vérification n'est plus valable : il a expiré, a déjà servi, ou l'adresse "
        "du compte a changé depuis. Demandez-en un nouveau dans « Mon compte »."
    )
    code = "invalid_link"


class VerificationLinkTooSoon(DomainError):
    message = _(
        "Un lien de vérification vous a été envoyé il y a moins de %(minutes)s minutes : "
        "consultez votre boîte de réception et vos courriers indésirables, ou réessayez plus "
        "tard."
    )
    code = "rate_limited"
    status = 429


def _verification_path(user: User) -> str:
    token = _address_link(user=user, salt=EMAIL_VERIFICATION_SALT)
    return reverse("accounts:verify_email", args=[token])


def send_verification_link(*, user: User) -> None:
    """E-mail ``user`` a new link that verifies its address, at most one per account every
    EMAIL_VERIFICATION_RESEND_MINUTES (VerificationLinkTooSoon); nothing for an address
    already verified."""
    if user.email_verified_at is not None:
        return
    minutes = settings.EMAIL_VERIFICATION_RESEND_MINUTES
    # An unverified address may be someone else's: uncounted (Redis down), the resend waits
    # (503) rather than be a way to flood their mailbox.
    if not ratelimit.allow(
        scope="verify-email",
        key=str(user.pk),
        limit=1,
        window_seconds=minutes * 60,
        fail_open=False,
    ):
        raise VerificationLinkTooSoon(minutes=minutes)
    _email(user, "email_verification", verify_path=_verification_path(user))


def pending_verification(*, token: str) -> User:
    """The account a valid verification link is for; VerificationLinkInvalid otherwise, and
    once used: the account's address is then verified already."""
    user, _payload = _address_link_payload(
        token=token, salt=EMAIL_VERIFICATION_SALT, invalid=VerificationLinkInvalid
    )
    if user.email_verified_at is not None:
        raise VerificationLinkInvalid()
    return user


def verify_email(*, token: str) -> User:
    """Mark the account's address verified by the link sent to it (once)."""
    user = pending_verification(token=token)
    # Conditional: of two uses at once, or a change of address in between, one counts.
    verified_at = timezone.now()
    done = (
        get_user_model()
        .objects.filter(pk=user.pk, email=user.email, email_verified_at__isnull=True)
        .update(email_verified_at=verified_at)
    )
    if not done:
        raise VerificationLinkInvalid()
    user.email_verified_at = verified_at
    return user


def set_language(user: User, *, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Two-factor authentication -------------------------------------------------------------


def totp_device_in_setup(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first call (a new secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, *, code: str) -> list[str] | None:
    """Activate 2FA when ``code`` matches the new authenticator; return the recovery codes.
    (The account's credentials end: accounts.signals watches its devices.)"""
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return regenerate_recovery_codes(device.user)


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
def regenerate_recovery_codes(user: User) -> list[str]:
    """Ten fresh single-use recovery codes; the old ones stop working. Shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Codes de secours", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def verify_second_factor(user: User, *, code: str) -> Device | None:
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
def disable_two_factor(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The authenticator's secret in base32, in groups of four, for typing it by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
