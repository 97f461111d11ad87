from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResaleConfig(AppConfig):
    name = "etickets.resale"
    verbose_name = _("Revente officielle")
