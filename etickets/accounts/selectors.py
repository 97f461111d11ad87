from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def has_verified_email(*, user: User) -> bool:
    """Whether the account proved it reads its current address (a link sent there was used):
    what a place in a queued sale asks for. Read from ``user`` as loaded (the request's user,
    say): no query."""
    return user.email_verified_at is not None
