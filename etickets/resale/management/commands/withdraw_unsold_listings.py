from django.core.management.base import BaseCommand

from etickets.core.clock import calendar_now
from etickets.resale.services import withdraw_unsold_listings


class Command(BaseCommand):
    help = (
        "Give back to their sellers the tickets still on the resale once it has closed (run "
        "every minute where Celery beat is not used)."
    )

    def handle(self, *args, **options):
        withdrawn = withdraw_unsold_listings(now=calendar_now())
        self.stdout.write(f"{withdrawn} billet(s) retiré(s) de la revente.")
