from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "etickets.core"
    verbose_name = "JO E-Tickets"

    def ready(self) -> None:
        from . import text
        from .checks import site_url_is_served

        checks.register(site_url_is_served)
        text.register()
