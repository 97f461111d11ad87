from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "etickets.support"
    verbose_name = _("Assistance")

    def ready(self):
        from .signals import sync_help_articles_after_migrate

        post_migrate.connect(sync_help_articles_after_migrate, sender=self)
