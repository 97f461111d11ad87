from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "etickets.accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from django.contrib import admin
        from django_otp.admin import OTPAdminSite

        from . import signals  # noqa: F401  (its receivers end credentials changed elsewhere)

        # The back office admits only sessions verified by a second factor.
        admin.site.__class__ = OTPAdminSite
