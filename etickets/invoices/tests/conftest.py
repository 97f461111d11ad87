import pytest

from conftest import pay
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind


@pytest.fixture
def seller(settings):
    """The seller's legal details the invoices copy, as set for production."""
    settings.INVOICE_SELLER_NAME = "Billetterie Olympique SAS"
    settings.INVOICE_SELLER_ADDRESS = "8 rue des Podiums\n93200 Saint-Denis\nFrance"
    settings.INVOICE_SELLER_SIRET = "552 100 554 00027"
    settings.INVOICE_SELLER_VAT_NUMBER = "FR40552100554"
    settings.INVOICE_VAT_PERCENT = 10
    return settings


@pytest.fixture
def paid_order(make_user, make_offer, make_event, seller):
    """An order of 2 Solo tickets at 50 € and a Duo at 95 €, paid by Camille Martin."""
    event = make_event(title="Finale du 100 m")
    solo = make_offer(event=event, kind=OfferKind.SOLO, price_cents=5000)
    duo = make_offer(event=event, kind=OfferKind.DUO, price_cents=9500)
    user = make_user()
    cart.add_to_cart(user, offer=solo, quantity=2)
    cart.add_to_cart(user, offer=duo, quantity=1)
    return pay(user)
