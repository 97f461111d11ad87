from django.core.management.base import BaseCommand

from etickets.orders.services import send_pending_confirmations


class Command(BaseCommand):
    help = "Send the confirmation e-mails orders await (from cron where Celery beat is not used)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_pending_confirmations()} e-mail(s) de confirmation envoyé(s).")
