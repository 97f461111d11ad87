"""Paying costs the same queries whatever the number of lines and tickets."""

import pytest

from conftest import count_queries, pay
from etickets.cart import services as cart


@pytest.mark.django_db
@pytest.mark.usefixtures("generous_limits")
def test_checkout(make_user, make_offers, django_assert_num_queries):
    all_offers = make_offers(6)
    small = make_user()
    cart.add_to_cart(small, offer=all_offers[0], quantity=1)
    baseline = count_queries(lambda: pay(small, run_on_commit=True))
    big = make_user()
    for offer in all_offers:
        cart.add_to_cart(big, offer=offer, quantity=3)
    with django_assert_num_queries(baseline):
        order = pay(big, run_on_commit=True)
    assert order.tickets.count() == 3 * len(all_offers)
