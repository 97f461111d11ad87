"""Twenty buyers for one ticket of the resale at the same moment, each on their own
connection: one ticket, one charge, one refund (PostgreSQL in CI, SQLite locally)."""

import uuid

import pytest

from conftest import pay
from etickets.cart import services as cart
from etickets.gate.models import Verdict
from etickets.gate.services import redeem_ticket
from etickets.orders.tests.test_concurrency import rush
from etickets.payments.models import PaymentStatus, Refund, SandboxCharge, SandboxRefund
from etickets.resale.errors import ListingUnavailable
from etickets.resale.models import Listing, ListingState
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.tokens import issue_token

BUYERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_for_one_ticket_of_the_resale(listing, sold_ticket, make_user):
    buyers = [make_user() for _ in range(BUYERS)]
    charges_before = SandboxCharge.objects.count()
    token = issue_token(Ticket.objects.select_related("holder", "order").get(pk=sold_ticket.pk))

    def buy(buyer):
        cart.add_listing(buyer, listing=listing)
        pay(buyer)
        return "bought"

    outcomes = rush(buyers, buy, refused=(cart.ListingHeld, ListingUnavailable))

    assert outcomes.count("bought") == 1, outcomes
    assert set(outcomes) <= {"bought", "listing_held", "listing_unavailable"}, outcomes
    listing.refresh_from_db()
    assert listing.state == ListingState.SOLD
    bought = Ticket.objects.get(replaces=sold_ticket)
    assert bought.holder in buyers and bought.state == TicketState.VALID
    sold_ticket.refresh_from_db()
    assert sold_ticket.state == TicketState.RESOLD
    new_charges = SandboxCharge.objects.exclude(status=PaymentStatus.VOIDED).count()
    assert new_charges - charges_before == 1  # one charge; none left authorised for the others
    assert Refund.objects.count() == 1
    assert SandboxRefund.objects.count() == 1
    # At the gate: the seller's QR code is refused with why, the buyer's enters.
    controller = make_user()
    refused = redeem_ticket(token, event=sold_ticket.event, gate="A", controller=controller)
    assert (refused.verdict, refused.reason) == (Verdict.INVALID, "resold")
    bought = Ticket.objects.select_related("holder", "order").get(pk=bought.pk)
    admitted = redeem_ticket(
        issue_token(bought), event=sold_ticket.event, gate="A", controller=controller
    )
    assert admitted.verdict == Verdict.VALID


@pytest.mark.django_db(transaction=True)
def test_payer_sent_five_times_at_once_buys_it_once(listing, make_user):
    buyer = make_user()
    cart.add_listing(buyer, listing=listing)
    key = uuid.uuid4()
    orders = rush([buyer] * 5, lambda b: pay(b, key=key).reference)
    assert len(set(orders)) == 1, orders
    assert Listing.objects.get(pk=listing.pk).state == ListingState.SOLD
    assert Refund.objects.count() == 1
    assert SandboxCharge.objects.exclude(status=PaymentStatus.VOIDED).count() == 2  # seller's too
