from django.core.management.base import BaseCommand

from etickets.inventory.services import purge_expired_holds


class Command(BaseCommand):
    help = "Delete seat holds past their expiry (run every minute where Celery beat is not used)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_expired_holds()} réservation(s) expirée(s) supprimée(s).")
