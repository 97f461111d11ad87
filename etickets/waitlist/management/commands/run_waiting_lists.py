from django.core.management.base import BaseCommand
from django.utils import timezone

from etickets.waitlist.services import run_waiting_lists


class Command(BaseCommand):
    help = (
        "Lapse unpaid waiting-list offers and give returned seats to the waiting lists (run "
        "every 30 s where Celery beat is not used)."
    )

    def handle(self, *args, **options):
        served = run_waiting_lists(now=timezone.now())
        self.stdout.write(f"{served} inscription(s) servie(s).")
