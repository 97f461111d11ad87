import uuid

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from etickets.accounts import services as accounts
from etickets.cart import services as cart
from etickets.orders.services import place_order
from etickets.payments.cards import Card
from etickets.payments.services import card_authoriser


def with_2fa(user):
    device = accounts.totp_device_in_setup(user)
    device.confirmed = True
    device.save()
    return user


def verified_client(user) -> Client:
    """A session of ``user`` that passed its second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def admin(make_user):
    return with_2fa(make_user(is_staff=True, is_superuser=True, email="admin@example.fr"))


@pytest.fixture
def desk(admin):
    return verified_client(admin)


@pytest.fixture
def buy():
    def purchase(user, offer, quantity=1):
        cart.add_to_cart(user, offer, quantity)
        key = uuid.uuid4()
        card = Card(number="4242424242424242", exp_month=8, exp_year=2030, cvv="123")
        return place_order(
            user=user, idempotency_key=key, authorise=card_authoriser(card, str(key))
        )

    return purchase
