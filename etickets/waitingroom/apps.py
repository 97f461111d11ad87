from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitingRoomConfig(AppConfig):
    name = "etickets.waitingroom"
    verbose_name = _("File d'attente")
