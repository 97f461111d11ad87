"""The cart page costs the same queries whatever the number of lines."""

import pytest
from django.test import Client

from conftest import count_queries
from etickets.cart import services as cart


@pytest.mark.django_db
@pytest.mark.usefixtures("generous_limits")
def test_cart_page(make_user, make_offers, django_assert_num_queries):
    user = make_user()
    client = Client()
    client.force_login(user)
    all_offers = make_offers(6)
    cart.add_to_cart(user, offer=all_offers[0], quantity=1)
    baseline = count_queries(lambda: client.get("/panier/"))
    for offer in all_offers[1:]:
        cart.add_to_cart(user, offer=offer, quantity=2)
    with django_assert_num_queries(baseline):
        assert client.get("/panier/").status_code == 200
