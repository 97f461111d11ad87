import datetime

import pytest
from django.utils import timezone

from etickets.backoffice.selectors import SalesFilter, seats_by_event
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.catalog import selectors as catalog
from etickets.catalog.models import Event, OfferKind
from etickets.inventory import selectors
from etickets.inventory import services as pool
from etickets.inventory.models import Hold


@pytest.mark.django_db
def test_every_count_of_free_seats_agrees(make_user, make_event, make_offer):
    """The ORM expression of the lists, the query of the pool's lock, the hand-written SQL of
    the purchase path and the back office's figures say the same, live and expired holds
    included; and a loaded hold, the queryset and the SQL agree on which holds are live."""
    event = make_event(capacity=12)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=3)
    cart.add_to_cart(make_user(), offer=duo, quantity=2)  # 4 seats held
    cart.add_to_cart(make_user(), offer=duo, quantity=1)  # 2 more, lapsed a second ago
    Hold.objects.filter(seats=2).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    event.refresh_from_db()

    (listed,) = catalog.upcoming_offers()
    assert listed.event_free_seats == 5
    assert selectors.free_seats(event) == 5
    assert selectors.held_seats_by_event([event.pk]) == {event.pk: 4}
    assert catalog.offer_on_sale(duo.pk).event_free_seats == 5
    assert catalog.offer_on_sale(duo.pk).tickets_available == 2
    (row,) = seats_by_event(SalesFilter())
    assert (row.held, row.free) == (4, 5)
    assert pool.lock_free_seats([event.pk], excluding_lines=[]) == {event.pk: 5}

    # Seats kept for the waiting lists are not free for general sale, in every count alike…
    Event.objects.filter(pk=event.pk).update(waiting_seats=3)
    event.refresh_from_db()
    assert catalog.upcoming_offers()[0].event_free_seats == 2
    assert selectors.free_seats(event) == 2
    assert catalog.offer_on_sale(duo.pk).event_free_seats == 2
    assert seats_by_event(SalesFilter())[0].free == 2
    assert pool.lock_free_seats([event.pk], excluding_lines=[]) == {event.pk: 2}
    # …and none is, floored at 0 where shown, when more are waited for than are free.
    Event.objects.filter(pk=event.pk).update(waiting_seats=7)
    event.refresh_from_db()
    assert catalog.upcoming_offers()[0].event_free_seats == 0
    assert selectors.free_seats(event) == 0
    assert catalog.offer_on_sale(duo.pk).event_free_seats == 0
    assert seats_by_event(SalesFilter())[0].free == 0
    assert pool.lock_free_seats([event.pk], excluding_lines=[]) == {event.pk: 0}
    # The seats a cart holds live stay its own.
    (line,) = CartLine.objects.filter(hold__seats=4)
    assert pool.lock_free_seats([event.pk], excluding_lines=[line.pk]) == {event.pk: 4}

    live, lapsed = Hold.objects.get(seats=4), Hold.objects.get(seats=2)
    assert (live.is_live(), lapsed.is_live()) == (True, False)
    assert list(Hold.objects.live()) == [live]
    assert list(Hold.objects.expired()) == [lapsed]


@pytest.mark.django_db
def test_a_cart_leaves_its_own_holds_out_of_the_count(make_user, make_event, make_offer):
    event = make_event(capacity=10)
    offer = make_offer(event=event)
    reservation = cart.add_to_cart(make_user(), offer=offer, quantity=3)
    cart.add_to_cart(make_user(), offer=offer, quantity=2)
    (line,) = reservation.lines
    assert selectors.held_seats_by_event([event.pk]) == {event.pk: 5}
    assert selectors.held_seats_by_event([event.pk], excluding_lines=[line.pk]) == {event.pk: 2}
