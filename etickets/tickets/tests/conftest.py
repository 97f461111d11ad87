import pytest

from conftest import pay
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind


@pytest.fixture
def buy(make_offer, make_event):
    """Buy offers for a user: buy(user, (kind, quantity), …) → the order."""

    def purchase(user, *items, event=None):
        event = event or make_event(title="Judo — Finales", capacity=50)
        for kind, quantity in items:
            offer = make_offer(event=event, kind=kind, price_cents=12000)
            cart.add_to_cart(user, offer=offer, quantity=quantity)
        return pay(user)

    return purchase


@pytest.fixture
def order(make_user, buy):
    """Two Solo tickets and one Familiale ticket of one event."""
    user = make_user(first_name="Marie-José", last_name="Pérec", email="mjp@example.fr")
    return buy(user, (OfferKind.SOLO, 2), (OfferKind.FAMILIALE, 1))
