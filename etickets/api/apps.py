from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "etickets.api"
    verbose_name = _("API")

    def ready(self):
        # Its receiver revokes a user's tokens when their credentials change.
        from . import services  # noqa: F401
