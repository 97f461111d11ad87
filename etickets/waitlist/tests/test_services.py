import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from conftest import pay
from etickets.cart import services as cart
from etickets.cart.selectors import cart_lines
from etickets.catalog import selectors as catalog
from etickets.catalog.models import Event, OfferKind
from etickets.inventory import selectors as seats
from etickets.inventory import services as pool
from etickets.inventory.models import Hold
from etickets.orders.services import HoldLost
from etickets.waitlist import selectors, services
from etickets.waitlist.models import EntryState, WaitingEntry


@pytest.fixture
def sold_out(make_event, make_offer):
    """An event of 10 seats, all sold, with a Solo and a Duo offer."""
    event = make_event(capacity=10)
    solo = make_offer(event=event, kind=OfferKind.SOLO)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=10)
    return event, solo, duo


def give_back(event, count):
    """``count`` sold seats come back (as a refund gives them)."""
    pool.release_sold_seats({event.pk: count})


def waiting_seats(event):
    event.refresh_from_db()
    return event.waiting_seats


def states(*entries):
    return [WaitingEntry.objects.get(pk=entry.pk).state for entry in entries]


def test_joining_keeps_seats_for_the_list_and_leaving_gives_them_back(sold_out, make_user):
    event, _, duo = sold_out
    user = make_user()
    entry = services.join_waiting_list(user=user, offer=duo, quantity=2)
    assert (entry.quantity, entry.seats, entry.state) == (2, 4, EntryState.WAITING)
    assert waiting_seats(event) == 4
    assert selectors.place_in_list(entry=entry) == 1

    services.leave_waiting_list(user=user, entry_id=entry.pk)
    assert states(entry) == [EntryState.LEFT]
    assert waiting_seats(event) == 0
    # Left, the account may join again.
    services.join_waiting_list(user=user, offer=duo, quantity=1)
    assert waiting_seats(event) == 2


def test_one_live_entry_per_account_and_offer(sold_out, make_user):
    _, solo, duo = sold_out
    user = make_user()
    services.join_waiting_list(user=user, offer=solo, quantity=1)
    with pytest.raises(services.AlreadyWaiting):
        services.join_waiting_list(user=user, offer=solo, quantity=2)
    services.join_waiting_list(user=user, offer=duo, quantity=1)  # another offer: allowed
    assert WaitingEntry.objects.filter(user=user).count() == 2


def test_joining_is_refused_while_the_offer_is_on_general_sale(make_offer, make_user):
    offer = make_offer()
    with pytest.raises(services.NotSoldOut):
        services.join_waiting_list(user=make_user(), offer=offer, quantity=1)
    assert not WaitingEntry.objects.exists()


def test_a_duo_is_sold_out_with_one_seat_left(make_event, make_offer, make_user):
    event = make_event(capacity=10)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=9)
    services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    assert waiting_seats(event) == 2


def test_joining_keeps_the_limits_of_a_cart(sold_out, make_user, settings):
    _, solo, duo = sold_out
    user = make_user()
    with pytest.raises(cart.InvalidQuantity):
        services.join_waiting_list(user=user, offer=solo, quantity=0)
    solo.max_per_order = 2
    with pytest.raises(cart.LimitReached):
        services.join_waiting_list(user=user, offer=solo, quantity=3)
    settings.MAX_TICKETS_PER_EVENT = 3
    services.join_waiting_list(user=user, offer=duo, quantity=2)
    with pytest.raises(cart.EventLimitReached):  # 2 Duo waited for + 2 Solo > 3 tickets
        services.join_waiting_list(user=user, offer=solo, quantity=2)


def test_waiting_entries_count_in_the_account_limit_wherever_it_buys(
    sold_out, make_user, make_offer, settings
):
    """Waiting for tickets counts as having them: no buying the limit elsewhere meanwhile."""
    event, solo, _ = sold_out
    settings.MAX_TICKETS_PER_EVENT = 3
    user = make_user()
    services.join_waiting_list(user=user, offer=solo, quantity=2)
    Event.objects.filter(pk=event.pk).update(capacity=20)  # a new block of seats
    vip = make_offer(event=event, kind=OfferKind.FAMILIALE)
    with pytest.raises(cart.EventLimitReached):
        cart.add_to_cart(user, offer=vip, quantity=2)
    cart.add_to_cart(user, offer=vip, quantity=1)


def test_an_entry_that_outgrew_the_limits_is_not_served(sold_out, make_user, settings):
    """Its buyer may no longer take its tickets (the limit lowered since it joined, or tickets
    received meanwhile): it lapses, and the seats go to the next entry."""
    event, solo, _ = sold_out
    first = services.join_waiting_list(user=make_user(), offer=solo, quantity=2)
    second = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    settings.MAX_TICKETS_PER_EVENT = 1
    give_back(event, 2)
    services.offer_returned_seats(event_id=event.pk)
    assert states(first, second) == [EntryState.LAPSED, EntryState.OFFERED]
    assert waiting_seats(event) == 0


def test_place_in_list_counts_the_entries_of_the_offer_still_waiting(sold_out, make_user):
    _, solo, duo = sold_out
    first = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    services.join_waiting_list(user=make_user(), offer=duo, quantity=1)  # another list
    second = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    third = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    assert selectors.place_in_list(entry=third) == 3
    services.leave_waiting_list(user=second.user, entry_id=second.pk)
    assert selectors.place_in_list(entry=third) == 2
    assert selectors.place_in_list(entry=first) == 1


def test_returned_seats_go_to_the_entries_in_order(sold_out, make_user):
    event, solo, _ = sold_out
    entries = [services.join_waiting_list(user=make_user(), offer=solo, quantity=1) for _ in "abc"]
    give_back(event, 2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.offer_returned_seats(event_id=event.pk) == 2
    assert states(*entries) == [EntryState.OFFERED, EntryState.OFFERED, EntryState.WAITING]
    assert waiting_seats(event) == 1
    first = WaitingEntry.objects.get(pk=entries[0].pk)
    (line,) = cart_lines(user_id=first.user_id)
    assert (line.offer_id, line.quantity, line.pk) == (solo.pk, 1, first.line_id)
    assert line.hold.expires_at == first.offered_until == line.offered_until
    minutes = (first.offered_until - timezone.now()).total_seconds() / 60
    assert 29 < minutes <= 30
    assert [message.to for message in mail.outbox] == [[e.user.email] for e in entries[:2]]
    message = mail.outbox[0]
    assert "Des places pour vous" in message.subject
    assert "/panier/" in message.body and solo.event.title in message.body


def test_a_duo_at_the_head_gets_two_seats_before_the_solos_behind(sold_out, make_user):
    event, solo, duo = sold_out
    pair = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    single = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 2)
    services.offer_returned_seats(event_id=event.pk)
    assert states(pair, single) == [EntryState.OFFERED, EntryState.WAITING]


def test_one_seat_goes_to_the_next_solo_when_the_duo_does_not_fit(sold_out, make_user):
    event, solo, duo = sold_out
    pair = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    single = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    assert states(pair, single) == [EntryState.WAITING, EntryState.OFFERED]
    # The Duo kept its place: the next two seats are its.
    give_back(event, 2)
    services.offer_returned_seats(event_id=event.pk)
    assert states(pair) == [EntryState.OFFERED]
    assert waiting_seats(event) == 0


def test_an_unpaid_offer_passes_to_the_next(sold_out, make_user):
    event, solo, _ = sold_out
    first = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    second = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    assert states(first, second) == [EntryState.OFFERED, EntryState.WAITING]

    # Not yet due: nothing moves.
    services.run_waiting_lists(now=timezone.now())
    assert states(first, second) == [EntryState.OFFERED, EntryState.WAITING]

    # Thirty minutes later the hold has ended, unpaid.
    past = timezone.now() - datetime.timedelta(seconds=1)
    Hold.objects.update(expires_at=past)
    WaitingEntry.objects.filter(pk=first.pk).update(offered_until=past)
    assert services.run_waiting_lists(now=timezone.now()) == 1
    assert states(first, second) == [EntryState.LAPSED, EntryState.OFFERED]
    assert waiting_seats(event) == 0
    # The first buyer's cart cannot take the seats back (its renewal counts as general sale).
    adjustments = cart.renew_expired_holds(first.user)
    assert [(a.wanted, a.kept) for a in adjustments] == [(1, 0)]


def test_paying_the_offered_line_fulfils_the_entry(sold_out, make_user):
    event, _, duo = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    other = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    give_back(event, 2)
    services.offer_returned_seats(event_id=event.pk)
    assert waiting_seats(event) == 2  # the other entry still waits
    pay(entry.user)
    assert states(entry, other) == [EntryState.FULFILLED, EntryState.WAITING]
    event.refresh_from_db()
    assert event.sold == 10


def test_an_offered_line_joins_the_line_of_that_offer_already_in_the_cart(
    make_event, make_offer, make_user
):
    event = make_event(capacity=3)
    solo = make_offer(event=event)
    user = make_user()
    cart.add_to_cart(user, offer=solo, quantity=1)
    Event.objects.filter(pk=event.pk).update(sold=2)  # the rest sold
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    waiting = services.join_waiting_list(user=user, offer=solo, quantity=1)
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    assert states(entry, waiting) == [EntryState.OFFERED, EntryState.WAITING]
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    (line,) = cart_lines(user_id=user.pk)
    assert (line.quantity, line.hold.seats, line.offered_until is not None) == (2, 2, True)


def test_general_sale_sees_no_free_seat_while_someone_waits(sold_out, make_user):
    """A refund and an expired hold give seats back: the entry waiting gets them, never a
    buyer of general sale, neither adding to a cart nor paying a cart whose hold expired."""
    event, solo, _ = sold_out
    late = make_user()
    Event.objects.filter(pk=event.pk).update(sold=9)
    cart.add_to_cart(late, offer=solo, quantity=1)  # the last seat, held
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=2)
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    give_back(event, 1)  # a refund too: 2 seats neither sold nor held

    event.refresh_from_db()
    assert seats.free_seats(event) == 0
    assert catalog.offer_on_sale(solo.pk).event_free_seats == 0
    with pytest.raises(cart.SoldOut):
        cart.add_to_cart(make_user(), offer=solo, quantity=1)
    with pytest.raises(HoldLost):  # its hold expired: the seat is the list's
        pay(late)

    services.offer_returned_seats(event_id=event.pk)
    assert states(entry) == [EntryState.OFFERED]
    pay(entry.user)
    event.refresh_from_db()
    assert (event.sold, event.waiting_seats) == (10, 0)


def test_a_cart_keeps_its_live_offered_line_when_it_changes(sold_out, make_user, make_offer):
    event, solo, _ = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    services.join_waiting_list(user=make_user(), offer=solo, quantity=1)  # still waiting
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    cart.add_to_cart(entry.user, offer=make_offer(), quantity=1)  # another event
    assert sorted(line.quantity for line in cart_lines(user_id=entry.user_id)) == [1, 1]
    pay(entry.user)
    assert states(entry) == [EntryState.FULFILLED]


def test_an_offered_entry_left_keeps_its_line_until_the_hold_ends(sold_out, make_user):
    event, solo, _ = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    services.offer_returned_seats(event_id=event.pk)
    services.leave_waiting_list(user=entry.user, entry_id=entry.pk)
    assert states(entry) == [EntryState.LEFT]
    assert len(cart_lines(user_id=entry.user_id)) == 1
    assert waiting_seats(event) == 0


def test_leaving_someone_elses_entry_is_not_found(sold_out, make_user):
    _, solo, _ = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    with pytest.raises(services.EntryNotFound):
        services.leave_waiting_list(user=make_user(), entry_id=entry.pk)


def test_a_refund_offers_its_seats_to_the_list(sold_out, make_user, make_offer):
    event, solo, _ = sold_out
    Event.objects.filter(pk=event.pk).update(sold=9)
    buyer = make_user()
    cart.add_to_cart(buyer, offer=solo, quantity=1)
    order = pay(buyer)
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    from etickets.orders.services import refund_tickets

    with TestCase.captureOnCommitCallbacks(execute=True):
        refund_tickets(order=order, tickets=order.tickets.all())
    assert states(entry) == [EntryState.OFFERED]


def test_without_beat_the_pages_run_the_job_now_and_then(sold_out, make_user, settings):
    event, solo, _ = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    settings.WAITLIST_RUN_ON_VIEW = True
    services._last_run.clear()
    services.run_without_beat(now=timezone.now())
    assert states(entry) == [EntryState.OFFERED]
    later = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    services.run_without_beat(now=timezone.now())  # within 10 s: not again
    assert states(later) == [EntryState.WAITING]
    services.run_without_beat(now=timezone.now() + datetime.timedelta(seconds=11))
    assert states(later) == [EntryState.OFFERED]


def test_the_command_for_cron_runs_the_job(sold_out, make_user):
    from io import StringIO

    from django.core.management import call_command

    event, solo, _ = sold_out
    entry = services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    give_back(event, 1)
    out = StringIO()
    call_command("run_waiting_lists", stdout=out)
    assert "1 inscription(s) servie(s)." in out.getvalue()
    assert states(entry) == [EntryState.OFFERED]


def test_an_offer_deleted_with_its_list_keeps_no_seats(sold_out, make_user):
    from etickets.backoffice.services import delete_offer

    event, solo, duo = sold_out
    services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    services.join_waiting_list(user=make_user(), offer=solo, quantity=1)
    delete_offer(duo, actor=make_user(is_staff=True))
    assert waiting_seats(event) == 1
    assert WaitingEntry.objects.count() == 1


def test_the_lists_of_an_event_that_has_begun_close(sold_out, make_user):
    event, solo, duo = sold_out
    entries = [
        services.join_waiting_list(user=make_user(), offer=solo, quantity=1),
        services.join_waiting_list(user=make_user(), offer=duo, quantity=1),
    ]
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    services.run_waiting_lists(now=timezone.now())
    assert states(*entries) == [EntryState.LAPSED, EntryState.LAPSED]
    assert waiting_seats(event) == 0
