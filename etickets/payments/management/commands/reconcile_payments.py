from django.core.management.base import BaseCommand

from etickets.payments.services import reconcile_payments


class Command(BaseCommand):
    help = (
        "Capture the payments whose capture failed, pay the refunds still owed, void the "
        "authorisations no order has (every 30 s from cron where Celery beat is not used)."
    )

    def handle(self, *args, **options):
        done = reconcile_payments()
        self.stdout.write(
            f"{done.captured} encaissement(s), {done.refunded} remboursement(s), "
            f"{done.voided} autorisation(s) annulée(s)."
        )
