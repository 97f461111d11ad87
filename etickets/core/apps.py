from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "etickets.core"
    verbose_name = "JO E-Tickets"
