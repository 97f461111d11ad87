from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "etickets.payments"
    verbose_name = _("Paiements")
