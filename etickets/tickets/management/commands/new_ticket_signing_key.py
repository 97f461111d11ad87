from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from etickets.tickets.signing import private_pem


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 private key (PEM) for TICKET_SIGNING_KEY. Changing the key makes "
        "every QR code already issued fail the signature check: do it before sales open."
    )

    def handle(self, *args, **options):
        self.stdout.write(private_pem(Ed25519PrivateKey.generate()), ending="")
