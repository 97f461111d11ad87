import pytest

from conftest import pay
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.resale import services as resale
from etickets.tickets.models import Ticket


@pytest.fixture
def offer(make_offer):
    """A Duo at 120 €: its tickets admit 2."""
    return make_offer(kind=OfferKind.DUO, price_cents=12000)


@pytest.fixture
def seller(make_user):
    return make_user(first_name="Léa", last_name="Vendeuse")


@pytest.fixture
def sold_ticket(seller, offer):
    """A ticket ``seller`` bought and paid."""
    cart.add_to_cart(seller, offer=offer, quantity=1)
    order = pay(seller)
    return Ticket.objects.select_related("order_line", "event", "order").get(order=order)


@pytest.fixture
def listing(seller, sold_ticket):
    return resale.list_ticket(user=seller, ticket=sold_ticket)
