from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp import user_has_device

from etickets.api.services import issue_token


class Command(BaseCommand):
    help = "Issue an API bearer token (e.g. for a scanning device) to a user with 2FA active."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Appareil de contrôle")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError("Aucun compte avec cette adresse email.")
        if not user_has_device(user):
            raise CommandError("Ce compte doit d'abord activer l'authentification à deux facteurs.")
        _record, token = issue_token(user=user, name=options["name"])
        self.stdout.write(f"Jeton (affiché une seule fois) : {token}")
