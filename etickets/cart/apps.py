from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "etickets.cart"
    verbose_name = _("Panier")

    def ready(self):
        # Its receiver adds to the cart what a visitor chose before logging in.
        from . import views  # noqa: F401
