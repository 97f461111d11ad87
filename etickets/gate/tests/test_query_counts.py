"""A scan costs the same queries whatever the number of tickets of its order."""

import pytest

from conftest import count_queries, pay
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.gate.services import redeem_ticket
from etickets.tickets.tokens import issue_token


@pytest.mark.django_db
@pytest.mark.usefixtures("generous_limits")
def test_scan(make_user, make_event, make_offer, django_assert_num_queries):
    event = make_event(capacity=500)
    buyer, controller = make_user(), make_user()
    cart.add_to_cart(buyer, offer=make_offer(event=event), quantity=1)
    first = issue_token(pay(buyer, run_on_commit=True).tickets.get())
    baseline = count_queries(
        lambda: redeem_ticket(first, event=event, gate="A", controller=controller)
    )
    cart.add_to_cart(buyer, offer=make_offer(event=event, kind=OfferKind.DUO), quantity=15)
    token = issue_token(pay(buyer, run_on_commit=True).tickets.all()[11])
    with django_assert_num_queries(baseline):
        redeem_ticket(token, event=event, gate="A", controller=controller)
