"""Events of an account that other apps act on, without accounts importing them; and what
ends an account's credentials when it happens outside its services (the admin's pages, a
management command, a deleted group)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from django.dispatch import Signal, receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Sent with ``user`` and ``reason`` after the account's credentials or rights changed (its
# password, its second factor, a role, its activation): whatever was granted under the old
# ones must end (the API app revokes every token of the user).
credentials_changed = Signal()


def _end(user, reason: str) -> None:
    from .services import end_credentials

    end_credentials(user=user, reason=reason)


@receiver(post_init, sender=TOTPDevice, dispatch_uid="accounts-totp-loaded")
@receiver(post_init, sender=StaticDevice, dispatch_uid="accounts-static-loaded")
def _device_loaded(sender, instance, **kwargs) -> None:
    instance._confirmed_before = instance.confirmed


@receiver(post_save, sender=TOTPDevice, dispatch_uid="accounts-totp-saved")
@receiver(post_save, sender=StaticDevice, dispatch_uid="accounts-static-saved")
def _device_saved(sender, instance, created, **kwargs) -> None:
    """A second factor that starts or stops counting (set up, or confirmed or unconfirmed in
    the admin); not the saves that every use of a code makes."""
    before = False if created else instance._confirmed_before
    instance._confirmed_before = instance.confirmed
    if before != instance.confirmed:
        _end(instance.user, "two_factor")


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="accounts-totp-deleted")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="accounts-static-deleted")
def _device_deleted(sender, instance, **kwargs) -> None:
    if instance.confirmed:
        _end(instance.user, "two_factor")


@receiver(m2m_changed, sender=Group.user_set.through, dispatch_uid="accounts-groups")
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A role given or taken (a group is a role), from the user's side or the group's."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            _end(instance, "role")
    elif action in ("post_add", "post_remove"):
        for user in instance.user_set.model.objects.filter(pk__in=pk_set):
            _end(user, "role")
    elif action == "pre_clear":
        for user in instance.user_set.all():
            _end(user, "role")


@receiver(pre_delete, sender=Group, dispatch_uid="accounts-group-deleted")
def _group_deleted(sender, instance, **kwargs) -> None:
    for user in instance.user_set.all():
        _end(user, "role")
