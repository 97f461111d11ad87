"""The per-account limits: 6 tickets of an event (paid orders and cart together), 12 seats held,
and holds that cannot be kept forever by touching the cart."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest
from django.db import connection
from django.utils import timezone

from conftest import pay
from etickets.api.tests.test_shop_api import Api, token_for
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.catalog.models import OfferKind
from etickets.core.errors import Busy, DomainError
from etickets.inventory.models import Hold
from etickets.tickets.models import Ticket


@pytest.fixture
def event(make_event):
    return make_event(capacity=200, title="Athlétisme — 100 m")


@pytest.fixture
def solo(make_offer, event):
    return make_offer(event=event, kind=OfferKind.SOLO, price_cents=5000)


@pytest.fixture
def duo(make_offer, event):
    return make_offer(event=event, kind=OfferKind.DUO, price_cents=9000)


@pytest.mark.django_db
def test_buying_the_limit_again_and_again_is_refused(make_user, solo, duo):
    buyer = make_user()
    for _ in range(2):
        cart.add_to_cart(buyer, offer=solo, quantity=3)
        pay(buyer)
    with pytest.raises(cart.EventLimitReached) as refused:
        cart.add_to_cart(buyer, offer=solo, quantity=1)
    assert str(refused.value) == (
        "Au plus 6 billets par personne pour une même épreuve, vos billets et votre panier "
        "compris : vous en avez déjà 6."
    )
    assert refused.value.code == "limit_reached"
    with pytest.raises(cart.EventLimitReached):
        cart.add_to_cart(buyer, offer=duo, quantity=1)  # another offer of the same event
    assert Ticket.objects.filter(order__user=buyer).count() == 6


@pytest.mark.django_db
def test_the_cart_counts_with_the_orders_and_a_ticket_is_one_e_ticket(make_user, solo, duo):
    buyer = make_user()
    cart.add_to_cart(buyer, offer=solo, quantity=2)
    pay(buyer)
    cart.add_to_cart(buyer, offer=duo, quantity=3)  # 3 Duo tickets: 3 e-tickets, 6 seats
    with pytest.raises(cart.EventLimitReached, match="vous en avez déjà 5"):
        cart.add_to_cart(buyer, offer=solo, quantity=2)
    with pytest.raises(cart.EventLimitReached):
        cart.set_quantity(buyer, offer=duo, quantity=5)
    cart.add_to_cart(buyer, offer=solo, quantity=1)  # the sixth
    pay(buyer)
    assert sum(t.persons for t in Ticket.objects.filter(order__user=buyer)) == 3 + 6


@pytest.mark.django_db
def test_refunded_tickets_no_longer_count(make_user, solo):
    from etickets.backoffice.services import refund_tickets

    buyer, admin = make_user(), make_user(is_staff=True, is_superuser=True)
    cart.add_to_cart(buyer, offer=solo, quantity=6)
    order = pay(buyer)
    refund_tickets(order=order, tickets=list(order.tickets.all()[:2]), actor=admin)
    cart.add_to_cart(buyer, offer=solo, quantity=2)


@pytest.mark.django_db
def test_an_offer_may_set_less_and_the_site_limit_is_a_setting(
    make_user, make_offer, event, settings
):
    family = make_offer(event=event, kind=OfferKind.FAMILIALE, max_per_order=2)
    assert family.limit_per_order == 2
    settings.MAX_TICKETS_PER_EVENT = 3
    buyer = make_user()
    cart.add_to_cart(buyer, offer=family, quantity=2)
    pay(buyer)
    with pytest.raises(cart.EventLimitReached):
        cart.add_to_cart(buyer, offer=make_offer(event=event, kind=OfferKind.DUO), quantity=2)


@pytest.mark.django_db
def test_one_cart_holds_at_most_twelve_seats(make_user, make_offer, make_event):
    family = make_offer(event=make_event(capacity=500), kind=OfferKind.FAMILIALE)
    other = make_offer(event=make_event(capacity=500))
    buyer = make_user()
    cart.add_to_cart(buyer, offer=family, quantity=3)  # 12 seats
    with pytest.raises(cart.HoldLimitReached) as refused:
        cart.add_to_cart(buyer, offer=other, quantity=1)
    assert refused.value.code == "limit_reached"
    assert "plus de 12 places" in str(refused.value)
    cart.set_quantity(buyer, offer=family, quantity=2)
    cart.add_to_cart(buyer, offer=other, quantity=4)


def _holds():
    return sorted(Hold.objects.values_list("expires_at", flat=True))


def _age_holds(minutes):
    Hold.objects.update(expires_at=timezone.now() + datetime.timedelta(minutes=minutes))


@pytest.mark.django_db
def test_touching_the_cart_does_not_push_its_holds_back(make_user, solo, make_offer, make_event):
    buyer = make_user()
    cart.add_to_cart(buyer, offer=solo, quantity=1)
    _age_holds(1)  # 14 minutes later
    deadline = _holds()[0]
    cart.add_to_cart(buyer, offer=solo, quantity=1)
    cart.set_quantity(buyer, offer=solo, quantity=3)
    cart.add_to_cart(buyer, offer=make_offer(event=make_event()), quantity=1)
    assert _holds() == [deadline, deadline]  # the new line joins the cart's deadline


@pytest.mark.django_db
def test_expired_holds_are_renewed_once_then_end(make_user, solo, duo):
    buyer = make_user()
    cart.add_to_cart(buyer, offer=solo, quantity=2)
    cart.add_to_cart(buyer, offer=duo, quantity=1)
    _age_holds(-1)
    assert cart.renew_expired_holds(buyer) == []
    assert all(line.hold_renewed for line in CartLine.objects.all())
    assert _holds()[0] > timezone.now() + datetime.timedelta(minutes=14)
    _age_holds(-1)
    ended = cart.renew_expired_holds(buyer)
    assert [(a.offer, a.kept, a.hold_ended) for a in ended] == [(solo, 0, True), (duo, 0, True)]
    assert not CartLine.objects.exists() and not Hold.objects.exists()
    # Asked for again, the seats are a new hold of a full period, as for any buyer.
    cart.add_to_cart(buyer, offer=solo, quantity=1)
    assert not CartLine.objects.get().hold_renewed


@pytest.mark.django_db
def test_the_limits_are_explained_next_to_the_fields(client, make_user, solo):
    buyer = make_user()
    client.force_login(buyer)
    cart.add_to_cart(buyer, offer=solo, quantity=4)
    pay(buyer)
    cart.add_to_cart(buyer, offer=solo, quantity=1)
    added = client.post(f"/panier/ajouter/{solo.slug}/", {"quantity": "2"})
    assert '<p class="field-error" id="quantity-error">Au plus 6 billets par personne' in unescape(
        added.content.decode()
    )
    changed = client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "3"})
    assert f'id="quantity-error-{solo.pk}">Au plus 6 billets par personne' in unescape(
        changed.content.decode()
    )
    _age_holds(-1)
    cart.renew_expired_holds(buyer)
    _age_holds(-1)
    html = unescape(client.get("/panier/").content.decode())
    assert "déjà prolongée une fois, a expiré : ces billets ont été retirés" in html


@pytest.mark.django_db
def test_the_api_answers_409_limit_reached(make_user, solo):
    buyer = make_user()
    api = Api(token_for(buyer))
    cart.add_to_cart(buyer, offer=solo, quantity=6)
    pay(buyer)
    response = api.call("post", "/cart/items", {"offer_id": solo.pk, "quantity": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "limit_reached"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_adds_and_purchases_of_one_account_stay_within_the_limit(make_user, solo, duo):
    """Eight requests of one account at the same moment, each adding a ticket and paying, on
    their own connections: the cart's lock makes them count one after the other."""
    buyer = make_user()
    cart.add_to_cart(buyer, offer=duo, quantity=3)
    pay(buyer)
    start = threading.Barrier(8)

    def attempt(offer):
        start.wait()
        try:
            for _ in range(20):
                try:
                    cart.add_to_cart(buyer, offer=offer, quantity=1)
                    pay(buyer)
                    return "bought"
                except Busy:
                    continue
            return "busy"
        except DomainError as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, [solo, duo] * 4, timeout=120))

    assert set(outcomes) <= {"bought", "limit_reached", "cart_empty", "cart_changed"}, outcomes
    assert outcomes.count("limit_reached") >= 5
    # A « Payer » that saw the cart change is refused (not charged): its tickets stay in the
    # cart; paid and held together are the limit, never more.
    paid = Ticket.objects.filter(order__user=buyer).count()
    assert paid + sum(CartLine.objects.values_list("quantity", flat=True)) == 6
