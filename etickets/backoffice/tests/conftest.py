import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from conftest import pay
from etickets.accounts import services as accounts
from etickets.cart import services as cart


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
        cart.add_to_cart(user, offer=offer, quantity=quantity)
        return pay(user)

    return purchase
