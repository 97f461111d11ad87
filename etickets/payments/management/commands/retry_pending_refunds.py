from django.core.management.base import BaseCommand

from etickets.payments.services import retry_pending_refunds


class Command(BaseCommand):
    help = "Send again the refunds the provider has not accepted yet (every minute, from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_pending_refunds()} remboursement(s) effectué(s).")
