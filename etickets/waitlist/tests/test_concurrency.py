"""Serving a list while it is served elsewhere too and general buyers race for the same seats:
each seat goes once, to the lists, never to general sale (PostgreSQL in CI, SQLite locally)."""

import pytest
from django.db.models import Sum

from etickets.catalog.models import Event, OfferKind
from etickets.inventory import services as pool
from etickets.inventory.models import Hold
from etickets.orders.tests.test_concurrency import buy, rush
from etickets.waitlist import services
from etickets.waitlist.models import EntryState, WaitingEntry


@pytest.mark.django_db(transaction=True)
def test_two_rounds_at_once_and_general_buyers_never_share_a_seat(
    make_event, make_offer, make_user
):
    event = make_event(capacity=30)
    solo = make_offer(event=event, kind=OfferKind.SOLO)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=30)
    entries = [
        services.join_waiting_list(user=make_user(), offer=offer, quantity=1)
        for offer in [duo, solo, solo, duo, solo, solo, solo]
    ]  # 10 seats waited for
    pool.release_sold_seats({event.pk: 5})  # a refund: 5 seats come back

    def attempt(who):
        if who == "list":
            services.offer_returned_seats(event_id=event.pk)
            return "served"
        return buy(who, solo)

    outcomes = rush(["list", "list", *[make_user() for _ in range(6)]], attempt)

    assert outcomes.count("served") == 2
    assert set(outcomes) == {"served", "sold_out"}, outcomes
    states = [WaitingEntry.objects.get(pk=entry.pk).state for entry in entries]
    # In order: the Duo, two Solos, then the next Duo does not fit the last seat: a Solo.
    offered, waiting = EntryState.OFFERED, EntryState.WAITING
    assert states == [offered, offered, offered, waiting, offered, waiting, waiting]
    event.refresh_from_db()
    assert event.sold == 25
    assert Hold.objects.aggregate(seats=Sum("seats"))["seats"] == 5
    assert event.waiting_seats == 4  # the Duo and two Solos still waiting
    lines = WaitingEntry.objects.filter(state=offered).values_list("line_id", flat=True)
    assert len(set(lines)) == 4


@pytest.mark.django_db(transaction=True)
def test_leaving_and_joining_while_a_round_runs_keep_the_seats_counted(
    make_event, make_offer, make_user
):
    event = make_event(capacity=20)
    solo = make_offer(event=event, kind=OfferKind.SOLO)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=20)
    entries = [
        services.join_waiting_list(user=make_user(), offer=offer, quantity=1)
        for offer in [solo, duo, solo, solo, duo, solo]
    ]
    pool.release_sold_seats({event.pk: 4})
    newcomers = [make_user() for _ in range(3)]

    def attempt(who):
        if who == "list":
            services.offer_returned_seats(event_id=event.pk)
        elif isinstance(who, WaitingEntry):
            services.leave_waiting_list(user=who.user, entry_id=who.pk)
        elif who in newcomers:
            services.join_waiting_list(user=who, offer=solo, quantity=1)
        else:
            return buy(who, solo)
        return "done"

    buyers = [make_user() for _ in range(3)]
    outcomes = rush(["list", "list", *entries[::2], *newcomers, *buyers], attempt)

    assert set(outcomes) <= {"done", "sold_out"}, outcomes
    assert outcomes.count("sold_out") == 3  # general sale never gets a seat
    event.refresh_from_db()
    waiting = WaitingEntry.objects.filter(offer__event=event, state=EntryState.WAITING)
    assert event.waiting_seats == sum(entry.seats for entry in waiting)
    held = Hold.objects.aggregate(seats=Sum("seats"))["seats"] or 0
    assert event.sold == 16 and held <= 4
