from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "etickets.core"
    verbose_name = "JO E-Tickets"

    def ready(self) -> None:
        from .checks import site_url_is_served

        checks.register(site_url_is_served)
