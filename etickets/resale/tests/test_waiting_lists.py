"""Tickets of the resale go to their offer's waiting list first, in its order."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from conftest import pay
from etickets.cart import services as cart
from etickets.cart.models import ResaleLine
from etickets.catalog.models import Event
from etickets.resale import selectors
from etickets.resale import services as resale
from etickets.resale.models import ListingState
from etickets.waitlist import services as waitlist
from etickets.waitlist.models import EntryState, WaitingEntry


@pytest.fixture
def sold_out(offer, sold_ticket):
    """The seller's Duo bought, then every other seat of the event sold."""
    Event.objects.filter(pk=offer.event_id).update(
        sold=Event.objects.get(pk=offer.event_id).capacity
    )
    return offer


def state_of(entry):
    return WaitingEntry.objects.get(pk=entry.pk).state


def list_ticket(seller, ticket):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return resale.list_ticket(user=seller, ticket=ticket)


@pytest.mark.django_db
def test_a_new_listing_goes_to_the_next_entry_that_fits(sold_out, seller, sold_ticket, make_user):
    wants_two = waitlist.join_waiting_list(user=make_user(), offer=sold_out, quantity=2)
    wants_one = waitlist.join_waiting_list(user=make_user(), offer=sold_out, quantity=1)
    mail.outbox.clear()
    listing = list_ticket(seller, sold_ticket)

    # One ticket: the entry of two keeps its place, the next entry that fits gets it.
    assert [state_of(wants_two), state_of(wants_one)] == [EntryState.WAITING, EntryState.OFFERED]
    line = ResaleLine.objects.get()
    assert (line.cart.user, line.listing) == (wants_one.user, listing)
    assert line.held_until > timezone.now() + datetime.timedelta(minutes=25)
    assert [message.to for message in mail.outbox] == [[wants_one.user.email]]
    # Nobody else may take it, not even from the offer's page.
    assert selectors.listings_on_sale(offer=sold_out) == []
    with pytest.raises(cart.ListingForWaitingList):
        cart.add_listing(make_user(), listing=listing)

    pay(wants_one.user)
    assert state_of(wants_one) == EntryState.FULFILLED
    listing.refresh_from_db()
    assert listing.state == ListingState.SOLD


@pytest.mark.django_db
def test_an_unpaid_listing_passes_to_the_next_entry(sold_out, seller, sold_ticket, make_user):
    first = waitlist.join_waiting_list(user=make_user(), offer=sold_out, quantity=1)
    second = waitlist.join_waiting_list(user=make_user(), offer=sold_out, quantity=1)
    list_ticket(seller, sold_ticket)
    assert [state_of(first), state_of(second)] == [EntryState.OFFERED, EntryState.WAITING]

    # 30 minutes later, unpaid: the hold and the offer have ended.
    ended = timezone.now() - datetime.timedelta(seconds=1)
    ResaleLine.objects.update(held_until=ended)
    WaitingEntry.objects.filter(pk=first.pk).update(offered_until=ended)
    waitlist.run_waiting_lists(now=timezone.now())

    assert [state_of(first), state_of(second)] == [EntryState.LAPSED, EntryState.OFFERED]
    assert ResaleLine.objects.get().cart.user == second.user


@pytest.mark.django_db
def test_with_nobody_waiting_the_listing_is_on_general_resale(sold_out, seller, sold_ticket):
    listing = list_ticket(seller, sold_ticket)
    assert selectors.listings_on_sale(offer=sold_out) == [listing]
    assert not ResaleLine.objects.exists()
