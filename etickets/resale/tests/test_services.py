"""The official resale: a ticket listed at face value, bought once, its seller refunded once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import pay
from etickets.cart import services as cart
from etickets.cart.models import ResaleLine
from etickets.catalog.models import Event
from etickets.gate.models import Verdict
from etickets.gate.services import redeem_ticket
from etickets.orders.services import CartEmpty
from etickets.payments.models import Refund, RefundStatus, SandboxRefund
from etickets.payments.providers import ProcessingError
from etickets.payments.sandbox import SandboxAcquirer
from etickets.payments.services import reconcile_payments
from etickets.resale import selectors
from etickets.resale import services as resale
from etickets.resale.errors import ListingUnavailable, ResaleClosed
from etickets.resale.models import Listing, ListingState
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.tokens import issue_token


def scan(ticket, controller):
    ticket = Ticket.objects.select_related("holder", "order").get(pk=ticket.pk)
    return redeem_ticket(issue_token(ticket), event=ticket.event, gate="A", controller=controller)


@pytest.fixture
def controller(make_user):
    return make_user(is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_a_listed_ticket_is_on_sale_at_face_value_and_cannot_enter(
    listing, sold_ticket, offer, controller, settings
):
    assert (listing.price_cents, listing.payout_cents) == (12000, 12000)
    assert selectors.listings_on_sale(offer=offer) == [listing]
    outcome = scan(sold_ticket, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "listed")
    settings.RESALE_FEE_PERCENT = 2.5
    assert resale.payout_of(12000) == 11700


@pytest.mark.django_db
def test_only_a_valid_unused_ticket_of_an_event_to_come_is_listed(seller, sold_ticket, make_user):
    with pytest.raises(resale.NotListable):
        resale.list_ticket(user=make_user(), ticket=sold_ticket)  # not theirs
    Ticket.objects.filter(pk=sold_ticket.pk).update(used_at=timezone.now())
    with pytest.raises(resale.NotListable):
        resale.list_ticket(user=seller, ticket=sold_ticket)
    Ticket.objects.filter(pk=sold_ticket.pk).update(used_at=None)
    # The resale closes with the transfers, 48 hours before the event.
    Event.objects.filter(pk=sold_ticket.event_id).update(
        starts_at=timezone.now() + datetime.timedelta(hours=47)
    )
    sold_ticket.event.refresh_from_db()
    with pytest.raises(ResaleClosed):
        resale.list_ticket(user=seller, ticket=sold_ticket)


@pytest.mark.django_db
def test_a_ticket_received_by_transfer_is_not_listed(sold_ticket, make_user):
    """Its payout would go to the card of the buyer who gave it."""
    from django.db import transaction

    from etickets.tickets.services import reissue_ticket

    friend = make_user()
    with transaction.atomic():
        received = reissue_ticket(ticket=sold_ticket, holder=friend, reason=TicketState.TRANSFERRED)
    received = Ticket.objects.select_related("order", "event", "order_line").get(pk=received.pk)
    with pytest.raises(resale.ReceivedTicket):
        resale.list_ticket(user=friend, ticket=received)


@pytest.mark.django_db
def test_withdrawn_the_ticket_enters_again_and_leaves_the_buyers_cart(
    seller, listing, sold_ticket, make_user, controller
):
    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    resale.withdraw_listing(user=seller, listing=listing)
    assert not ResaleLine.objects.exists()
    with pytest.raises(CartEmpty):
        pay(buyer)
    assert scan(sold_ticket, controller).verdict == Verdict.VALID
    with pytest.raises(ListingUnavailable):
        resale.withdraw_listing(user=seller, listing=listing)


@pytest.mark.django_db
def test_bought_the_buyer_has_a_new_ticket_and_the_seller_is_refunded(
    seller, listing, sold_ticket, offer, make_user, controller
):
    buyer = make_user(first_name="Paul")
    sold_before = Event.objects.get(pk=offer.event_id).sold
    cart.add_listing(buyer, listing=listing)
    order = pay(buyer, run_on_commit=True)

    assert order.total_cents == 12000
    (bought,) = Ticket.objects.filter(order=order)
    assert (bought.holder, bought.persons, bought.state) == (buyer, 2, TicketState.VALID)
    sold_ticket.refresh_from_db()
    assert (sold_ticket.state, sold_ticket.replaced_by) == (TicketState.RESOLD, bought)
    listing.refresh_from_db()
    assert (listing.state, listing.buyer_ticket) == (ListingState.SOLD, bought)
    assert listing.refund.status == RefundStatus.DONE
    assert listing.refund.amount_cents == 12000
    assert listing.refund.payment == sold_ticket.order.payment
    sold_ticket.order.refresh_from_db()
    assert (sold_ticket.order.refunded_cents, sold_ticket.order.status) == (12000, "refunded")
    # The seat was sold once and stays sold once.
    assert Event.objects.get(pk=offer.event_id).sold == sold_before
    assert not ResaleLine.objects.exists()
    # The seller's old QR code is refused with why; the buyer's enters.
    outcome = scan(sold_ticket, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "resold")
    assert scan(bought, controller).verdict == Verdict.VALID
    assert any("revendu" in message.subject for message in mail.outbox)
    assert selectors.listings_on_sale(offer=offer) == []


@pytest.mark.django_db
def test_a_listing_is_in_one_cart_at_a_time_until_its_hold_expires(listing, seller, make_user):
    first, second = make_user(), make_user()
    with pytest.raises(cart.OwnListing):
        cart.add_listing(seller, listing=listing)
    cart.add_listing(first, listing=listing)
    assert selectors.listings_on_sale(offer=listing.offer) == []
    with pytest.raises(cart.ListingHeld):
        cart.add_listing(second, listing=listing)
    ResaleLine.objects.update(held_until=timezone.now() - datetime.timedelta(seconds=1))
    cart.add_listing(second, listing=listing)
    assert ResaleLine.objects.get().cart.user == second
    with pytest.raises(CartEmpty):
        pay(first)  # it left the first buyer's cart
    assert pay(second).tickets.count() == 1


@pytest.mark.django_db
def test_the_account_limit_counts_tickets_of_the_resale(listing, make_user, settings):
    settings.MAX_TICKETS_PER_EVENT = 1
    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    with pytest.raises(cart.EventLimitReached):
        cart.add_to_cart(buyer, offer=listing.offer, quantity=1)


@pytest.mark.django_db
def test_a_refund_the_provider_refuses_is_retried_and_paid_once(
    listing, make_user, monkeypatch, settings
):
    settings.PAYMENT_RETRY_SECONDS = 0
    sandbox_refund, calls = SandboxAcquirer.refund, []

    def refund(acquirer, reference, **kwargs):
        calls.append(reference)
        if len(calls) == 1:
            raise ProcessingError()
        return sandbox_refund(acquirer, reference, **kwargs)

    monkeypatch.setattr(SandboxAcquirer, "refund", refund)
    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    pay(buyer, run_on_commit=True)
    owed = Refund.objects.get()
    assert owed.status == RefundStatus.PENDING
    Refund.objects.update(retry_at=timezone.now())
    reconcile_payments()
    reconcile_payments()
    owed.refresh_from_db()
    assert owed.status == RefundStatus.DONE
    assert SandboxRefund.objects.count() == 1
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_ticket_of_the_resale_is_not_sold_once_its_event_has_begun(listing, make_user):
    from etickets.cart.services import EventOver

    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    Event.objects.filter(pk=listing.event_id).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(EventOver):
        pay(buyer)
    assert Listing.objects.get(pk=listing.pk).state == ListingState.LISTED


@pytest.mark.django_db
def test_listing_a_ticket_cancels_its_pending_transfer(seller, sold_ticket):
    from etickets.core.clock import calendar_now
    from etickets.tickets import transfers
    from etickets.tickets.models import TransferState

    transfer = transfers.offer_transfer(
        ticket=sold_ticket, sender=seller, email="ami@example.fr", now=calendar_now()
    )
    resale.list_ticket(user=seller, ticket=sold_ticket)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED


@pytest.mark.django_db
def test_a_resale_refunds_part_of_an_order_whose_other_ticket_is_listed(seller, offer, make_user):
    cart.add_to_cart(seller, offer=offer, quantity=2)
    order = pay(seller)
    first, second = Ticket.objects.select_related("order", "event", "order_line").filter(
        order=order
    )
    listing = resale.list_ticket(user=seller, ticket=first)
    resale.list_ticket(user=seller, ticket=second)
    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    pay(buyer)
    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == ("partially_refunded", 12000)
    assert order.payment.status == "part_refunded"


@pytest.mark.django_db
def test_at_the_cutoff_unsold_tickets_go_back_to_their_sellers(
    seller,
    listing,
    sold_ticket,
    make_user,
    controller,
    settings,
    django_capture_on_commit_callbacks,
):
    """The resale closes TRANSFER_CLOSES_HOURS_BEFORE the event: a ticket still listed is
    valid again (not refused at the gate on the day), out of any cart, its seller told."""
    from django.core.management import call_command

    from etickets.resale.tasks import withdraw_unsold_listings

    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    starts_at = Event.objects.get(pk=listing.event_id).starts_at
    before = starts_at - settings.TRANSFER_CLOSES_BEFORE - datetime.timedelta(minutes=1)
    assert resale.withdraw_unsold_listings(now=before) == 0
    assert Listing.objects.get(pk=listing.pk).state == ListingState.LISTED
    mail.outbox.clear()
    Event.objects.filter(pk=listing.event_id).update(
        starts_at=timezone.now() + settings.TRANSFER_CLOSES_BEFORE - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw_unsold_listings.delay().get() == 1
    assert Listing.objects.get(pk=listing.pk).state == ListingState.WITHDRAWN
    assert Ticket.objects.get(pk=sold_ticket.pk).state == TicketState.VALID
    assert not ResaleLine.objects.exists()
    (sent,) = mail.outbox
    assert sent.to == [seller.email] and "vous est rendu" in sent.subject
    assert "de nouveau valable" in sent.body
    assert scan(sold_ticket, controller).verdict == Verdict.VALID
    with django_capture_on_commit_callbacks(execute=True):
        call_command("withdraw_unsold_listings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # nothing left to withdraw, nobody told twice
