"""A sales rush: many buyers, each on their own database connection, racing for the last seats.

Run on PostgreSQL in CI (row locks with a lock timeout) and on SQLite locally (IMMEDIATE
transactions). Every buyer either gets seats or is told they are gone; nobody gets an error,
nobody waits forever, and never one seat more than the event has is sold.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import pay as pay_with_test_card
from etickets.cart import services as cart
from etickets.catalog.models import Event, OfferKind
from etickets.core.errors import Busy
from etickets.inventory.models import Hold
from etickets.inventory.services import lock_seat_pools
from etickets.orders import services as orders
from etickets.orders.models import Order
from etickets.payments.models import PaymentStatus, SandboxCharge
from etickets.tickets.models import Ticket

BUYERS = 50
REFUSED = (cart.SoldOut, cart.NotEnoughSeats, orders.HoldLost)


def rush(buyers, attempt, refused=REFUSED):
    """Run ``attempt(buyer)`` for every buyer at the same moment, each in its own thread and
    connection; retry a buyer told « Forte affluence » as a person would. Returns outcomes:
    what ``attempt`` returned, or the code of a ``refused`` error."""
    start = threading.Barrier(len(buyers))

    def run(buyer):
        start.wait()
        try:
            for _ in range(20):
                try:
                    return attempt(buyer)
                except Busy:
                    continue
            return "busy"
        except refused as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(buyers)) as pool:
        return list(pool.map(run, buyers, timeout=120))


def buy(user, offer, quantity=1):
    cart.add_to_cart(user, offer=offer, quantity=quantity)
    return pay(user)


def pay(user):
    pay_with_test_card(user)
    return "bought"


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_seats(make_user, make_offer, make_event):
    event = make_event(capacity=60)
    Event.objects.filter(pk=event.pk).update(sold=50)  # 10 seats left
    offer = make_offer(event=event)
    buyers = [make_user() for _ in range(BUYERS)]

    outcomes = rush(buyers, lambda user: buy(user, offer))

    assert outcomes.count("bought") == 10
    assert set(outcomes) == {"bought", "sold_out"}, outcomes
    event.refresh_from_db()
    assert event.sold == 60
    assert Order.objects.count() == 10
    assert Ticket.objects.count() == 10
    assert not Hold.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mixed_solo_duo_familiale_holds_never_exceed_the_pool(make_user, make_offer, make_event):
    event = make_event(capacity=25)
    offers = [
        make_offer(event=event, kind=kind)
        for kind in (OfferKind.SOLO, OfferKind.DUO, OfferKind.FAMILIALE)
    ]
    buyers = [(make_user(), offers[i % 3]) for i in range(BUYERS)]

    outcomes = rush(buyers, lambda b: cart.add_to_cart(b[0], offer=b[1], quantity=1) and "held")

    assert "busy" not in outcomes
    held = sum(h.seats for h in Hold.objects.all())
    assert held <= 25
    assert held == sum(b[1].persons for b, o in zip(buyers, outcomes, strict=True) if o == "held")
    left = 25 - held
    for (_user, offer), outcome in zip(buyers, outcomes, strict=True):
        if outcome != "held":  # refused only when its seats could not fit any more
            assert outcome in ("sold_out", "not_enough_seats")
            assert offer.persons > left


@pytest.mark.django_db(transaction=True)
def test_buyers_with_expired_holds_race_at_payment(make_user, make_offer, make_event):
    """Fifty carts whose holds lapsed, ten seats: the pool lock at payment decides."""
    event = make_event(capacity=10)
    offer = make_offer(event=event)
    buyers = [make_user() for _ in range(BUYERS)]
    for user in buyers:
        cart.add_to_cart(user, offer=offer, quantity=1)
        Hold.objects.filter(line__cart__user=user).update(expires_at=timezone.now())

    outcomes = rush(buyers, pay)

    assert outcomes.count("bought") == 10
    assert set(outcomes) == {"bought", "hold_lost"}, outcomes
    event.refresh_from_db()
    assert event.sold == 10
    charges = SandboxCharge.objects.values_list("status", flat=True)
    assert sorted(set(charges)) == [PaymentStatus.CAPTURED, PaymentStatus.VOIDED]
    assert list(charges).count(PaymentStatus.CAPTURED) == 10


@pytest.mark.django_db(transaction=True)
def test_a_pool_locked_too_long_asks_the_buyer_to_retry(
    make_user, make_offer, make_event, settings
):
    """Past SEAT_LOCK_TIMEOUT_MS waiting for a pool, the buyer hears « Forte affluence »
    (Busy), with nothing held, instead of an error."""
    settings.SEAT_LOCK_TIMEOUT_MS = 200
    offer = make_offer(event=make_event(capacity=10))
    buyer = make_user()
    locked, release = threading.Event(), threading.Event()

    def hold_the_pool():
        try:
            with transaction.atomic():
                lock_seat_pools([offer.event_id])
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    options = connection.settings_dict["OPTIONS"]
    sqlite_timeout = options.get("timeout")
    holder = threading.Thread(target=hold_the_pool)
    holder.start()
    try:
        assert locked.wait(10)
        if connection.vendor == "sqlite":  # SQLite waits for its write lock, then gives up
            options["timeout"] = 0.2
            connection.close()
        with pytest.raises(Busy):
            cart.add_to_cart(buyer, offer=offer, quantity=1)
    finally:
        release.set()
        holder.join()
        if connection.vendor == "sqlite":
            options["timeout"] = sqlite_timeout
            connection.close()
    assert not Hold.objects.exists()
    assert (
        cart.add_to_cart(buyer, offer=offer, quantity=1).adjustments == []
    )  # once the pool is free again
