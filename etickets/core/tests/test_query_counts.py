"""Per-request query counts do not grow with the number of offers, cart lines or tickets."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import pay as pay_with_test_card
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.core import pagecache
from etickets.gate.services import redeem_ticket
from etickets.tickets.tokens import issue_token

# Tests of other rules that let one buyer fill an event: the per-account limits have theirs
# (test_limits.py).
pytestmark = pytest.mark.usefixtures("generous_limits")


def count(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def offers(make_event, make_offer, events):
    made = []
    for _ in range(events):
        event = make_event(capacity=500)
        made += [make_offer(event=event, kind=kind) for kind in OfferKind]
    return made


@pytest.mark.django_db
def test_offers_page(client, make_event, make_offer, django_assert_num_queries):
    offers(make_event, make_offer, 2)
    baseline = count(lambda: client.get("/offres/"))
    offers(make_event, make_offer, 15)
    # Measure a miss of the list's and the page's few-seconds caches, as the first was.
    cache.clear()
    pagecache.clear()
    with django_assert_num_queries(baseline):
        assert client.get("/offres/").status_code == 200
    with django_assert_num_queries(0):  # and a hit costs the database nothing
        assert client.get("/offres/").status_code == 200


@pytest.mark.django_db
def test_cart_page(make_user, make_event, make_offer, django_assert_num_queries):
    user = make_user()
    client = Client()
    client.force_login(user)
    all_offers = offers(make_event, make_offer, 6)
    cart.add_to_cart(user, offer=all_offers[0], quantity=1)
    baseline = count(lambda: client.get("/panier/"))
    for offer in all_offers[1:]:
        cart.add_to_cart(user, offer=offer, quantity=2)
    with django_assert_num_queries(baseline):
        assert client.get("/panier/").status_code == 200


def pay(user):
    return pay_with_test_card(user, run_on_commit=True)


@pytest.mark.django_db
def test_checkout(make_user, make_event, make_offer, django_assert_num_queries):
    all_offers = offers(make_event, make_offer, 6)
    small = make_user()
    cart.add_to_cart(small, offer=all_offers[0], quantity=1)
    baseline = count(lambda: pay(small))
    big = make_user()
    for offer in all_offers:
        cart.add_to_cart(big, offer=offer, quantity=3)
    with django_assert_num_queries(baseline):
        order = pay(big)
    assert order.tickets.count() == 3 * len(all_offers)


@pytest.mark.django_db
def test_scan(make_user, make_event, make_offer, django_assert_num_queries):
    event = make_event(capacity=500)
    buyer, controller = make_user(), make_user()
    cart.add_to_cart(buyer, offer=make_offer(event=event), quantity=1)
    first = issue_token(pay(buyer).tickets.get())
    baseline = count(lambda: redeem_ticket(first, event=event, gate="A", controller=controller))
    cart.add_to_cart(buyer, offer=make_offer(event=event, kind=OfferKind.DUO), quantity=15)
    token = issue_token(pay(buyer).tickets.all()[11])
    with django_assert_num_queries(baseline):
        redeem_ticket(token, event=event, gate="A", controller=controller)
