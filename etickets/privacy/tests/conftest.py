"""An account with something in every table that can hold personal data, and a neighbour."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD, pay

EMAIL = "zephyrine.quillebeuf@example.fr"
FIRST_NAME = "Zéphyrine"
LAST_NAME = "Quillebeuf"
USERNAME = "zephyrine_q"
IP = "198.51.100.77"
RECIPIENT = "destinataire.xavier@example.fr"
REPORT_TEXT = "Mon billet ne s'affiche pas sur mon téléphone à Quimper."
CONTACT_TEXT = "Bonjour, je voudrais changer le nom sur ma commande."


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("capture.png", buffer.getvalue(), "image/png")


@dataclass
class Account:
    user: object
    order: object
    token_name: str


def _buy(user, offer, quantity=2):
    from etickets.cart import services as cart

    cart.add_to_cart(user, offer=offer, quantity=quantity)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return pay(user)


def _fill(user, *, ip: str, offer, recipient: str, token_name: str, report_text: str):
    """Orders, a transfer offered and cancelled, a contact message, a problem report with a
    screenshot, an API token, 2FA, login records (a success and a failure from ``ip``)."""
    from etickets.accounts import services as accounts
    from etickets.api.models import ApiToken
    from etickets.support import services as support
    from etickets.tickets import transfers

    order = _buy(user, offer)
    ticket = order.tickets.first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        transfer = transfers.offer_transfer(
            ticket=ticket, sender=user, email=recipient, now=timezone.now()
        )
        transfers.cancel_transfer(transfer=transfer, sender=user)
        support.send_contact_message(
            name=f"{user.first_name} {user.last_name}",
            email=user.email,
            subject=f"Commande de {user.first_name}",
            message=CONTACT_TEXT,
            user=user,
            client_ip=ip,
        )
        support.file_problem_report(user, description=report_text, uploads=[png()])
    ApiToken.issue(user, token_name)
    # django-axes: a login (its AccessLog), then a failure (an AccessAttempt: a success lifts
    # the account's failures), from ``ip``; before 2FA, which would hold the login.
    browser = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Navigateur de test")
    browser.post("/connexion/", {"email": user.email, "password": PASSWORD})
    Client(REMOTE_ADDR=ip).post(
        "/connexion/", {"email": user.email, "password": "Pas-le-bon-2024!"}
    )
    device = accounts.totp_device_in_setup(user)
    device.confirmed = True
    device.save()
    accounts.regenerate_recovery_codes(user)
    return order


@pytest.fixture
def populated(db, make_user, make_offer):
    """The account under test (its events already past, so that it may be deleted) and
    another account with data of its own."""
    from etickets.catalog.models import Event

    user = make_user(email=EMAIL, username=USERNAME, first_name=FIRST_NAME, last_name=LAST_NAME)
    other = make_user(email="voisin.autre@example.fr", username="voisin", last_name="Voisin")
    offer = make_offer(price_cents=7300)
    token_name = f"Téléphone de {FIRST_NAME}"
    order = _fill(
        user,
        ip=IP,
        offer=offer,
        recipient=RECIPIENT,
        token_name=token_name,
        report_text=REPORT_TEXT,
    )
    other_order = _fill(
        other,
        ip="203.0.113.200",
        offer=make_offer(),
        recipient="ami.du.voisin@example.fr",
        token_name="Tablette du voisin",
        report_text="Le voisin signale un souci de paiement.",
    )
    # The account's event took place (valid tickets of past events do not stop a deletion).
    Event.objects.filter(pk=offer.event_id).update(
        starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    return Account(user=user, order=order, token_name=token_name), other, other_order
