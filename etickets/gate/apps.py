from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GateConfig(AppConfig):
    name = "etickets.gate"
    verbose_name = _("Contrôle d'accès")
