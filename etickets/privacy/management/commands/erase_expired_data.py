from django.core.management.base import BaseCommand

from etickets.privacy.retention import erase_expired_data


class Command(BaseCommand):
    help = (
        "Erase the personal data past its retention: closed support cases, login records, scan "
        "logs, data exports (run hourly where Celery beat is not used)."
    )

    def handle(self, *args, **options):
        for name, count in erase_expired_data().items():
            self.stdout.write(f"{name}: {count}")
