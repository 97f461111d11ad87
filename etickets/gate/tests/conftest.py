import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from conftest import pay
from etickets.accounts import services as accounts
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.gate.models import CONTROLLER_GROUP
from etickets.tickets.tokens import issue_token


@pytest.fixture
def event(make_event):
    """Starting in an hour: its tickets may enter by number (gate.services.number_entry_hours)."""
    starts_at = timezone.now() + datetime.timedelta(hours=1)
    return make_event(title="Escrime — Finales", capacity=40, starts_at=starts_at)


@pytest.fixture
def ticket(make_user, make_offer, event):
    """A Duo ticket bought by Marie Curie for ``event``."""
    user = make_user(first_name="Marie", last_name="Curie")
    cart.add_to_cart(user, offer=make_offer(event=event, kind=OfferKind.DUO), quantity=1)
    order = pay(user)
    return order.tickets.select_related("holder", "order", "event").get()


@pytest.fixture
def token(ticket):
    return issue_token(ticket)


@pytest.fixture
def controller(make_user):
    """A controller with 2FA active."""
    user = make_user(first_name="Karim", last_name="Benali")
    user.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    device = accounts.totp_device_in_setup(user)
    device.confirmed = True
    device.save()
    return user
