"""Load the demo catalogue (real Paris 2024 sessions) and, in demo mode only, demo accounts.

Idempotent: run it as often as you like; it creates what is missing and refreshes the rest,
never touching the seats already sold.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from etickets.catalog.models import Event, Offer, OfferKind
from tools.demo.demo_data import DEMO_EVENTS

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TEXT_FIELDS = [
    f"{text}_{language}"
    for text in ("title", "description", "venue", "city")
    for language in ("fr", "en")
]
CONTROLLER_GROUP = "Contrôleur"

# Demo accounts exist only where DEBUG is on; their passwords are public by design.
DEMO_ACCOUNTS = [
    {
        "role": "client",
        "email": "client@jo-etickets.fr",
        "username": "client",
        "first_name": "Camille",
        "last_name": "Martin",
        "password": "Client-Paris2024!",
    },
    {
        "role": "contrôleur",
        "email": "controleur@jo-etickets.fr",
        "username": "controleur",
        "first_name": "Karim",
        "last_name": "Benali",
        "password": "Controle-Paris2024!",
    },
    {
        "role": "administrateur",
        "email": "admin@jo-etickets.fr",
        "username": "admin",
        "first_name": "Sophie",
        "last_name": "Durand",
        "password": "Admin-Paris2024!",
    },
]


class Command(BaseCommand):
    help = "Load the Paris 2024 demo catalogue (and the demo accounts when DEBUG is on)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = sum(self.upsert_event(data) for data in DEMO_EVENTS)
        self.stdout.write(
            f"Catalogue: {len(DEMO_EVENTS)} épreuves ({created} nouvelles), "
            f"{Offer.objects.count()} offres."
        )
        if settings.DEBUG:
            self.seed_accounts()
        else:
            self.stdout.write("DEBUG est désactivé : aucun compte de démonstration n'est créé.")

    def upsert_event(self, data) -> bool:
        starts_at = datetime.datetime.fromisoformat(data["starts_at"]).replace(tzinfo=PARIS)
        event, created = Event.objects.get_or_create(
            slug=data["slug"],
            defaults={"capacity": data["capacity"], "starts_at": starts_at},
        )
        for field in ("sport", *TEXT_FIELDS):
            setattr(event, field, data[field])
        event.starts_at = starts_at
        event.capacity = max(data["capacity"], event.sold)
        event.save()
        for kind, price_cents in data["prices"].items():
            Offer.objects.update_or_create(
                event=event,
                kind=OfferKind(kind),
                defaults={
                    "slug": f"{event.slug}-{kind.lower()}",
                    "price_cents": price_cents,
                    "max_per_order": data["max_per_order"],
                    "is_published": True,
                },
            )
        return created

    def seed_accounts(self):
        user_model = get_user_model()
        controllers, _ = Group.objects.get_or_create(name=CONTROLLER_GROUP)
        self.stdout.write("Comptes de démonstration (mode démo uniquement) :")
        for account in DEMO_ACCOUNTS:
            user = user_model.objects.filter(email__iexact=account["email"]).first()
            if user is None:
                user = user_model(email=account["email"], username=account["username"])
            user.first_name = account["first_name"]
            user.last_name = account["last_name"]
            user.is_staff = user.is_superuser = account["role"] == "administrateur"
            user.set_password(account["password"])
            user.save()
            if account["role"] == "contrôleur":
                user.groups.add(controllers)
            self.stdout.write(
                f"  {account['role']:<15} {account['email']:<28} mot de passe : "
                f"{account['password']}"
            )
