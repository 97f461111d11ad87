from django.core.management.base import BaseCommand

from etickets.privacy.services import build_pending_exports


class Command(BaseCommand):
    help = (
        "Build the data exports whose job was lost (run every minute where Celery beat is not "
        "used)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{build_pending_exports()} export(s) built.")
