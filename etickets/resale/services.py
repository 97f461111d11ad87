"""The official resale at face value (docs/ARCHITECTURE.md, « Resale »): a holder lists a
ticket at what was paid for it, may withdraw it until it sells, and a buyer's order sells it
once: a new ticket for the buyer, the old one « revendu », the price less the fee back on
the seller's card."""

import datetime
import decimal
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.cart.models import ResaleLine
from etickets.cart.services import release_listing, take_resale_lines
from etickets.catalog.models import Event
from etickets.core.clock import calendar_now
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.orders.models import Order, OrderLine
from etickets.orders.refunds import owe_refund
from etickets.tickets.models import MAY_ENTER, Ticket, TicketState
from etickets.tickets.services import reissue_ticket, transfers_close_at, void_transfers
from etickets.waitlist import services as waitlist

from .errors import ListingUnavailable, ResaleClosed
from .models import Listing, ListingState


class NotListable(DomainError):
    message = _(
        "Ce billet ne peut pas être mis en revente : seul un billet valide, pas encore utilisé, "
        "d'une épreuve à venir peut l'être."
    )
    code = "not_listable"
    status = 409


class ReceivedTicket(DomainError):
    message = _(
        "Ce billet vous a été transféré : seul son acheteur, remboursé sur la carte qui l'a "
        "payé, peut le mettre en revente. Vous pouvez le lui transférer de nouveau."
    )
    code = "not_listable"
    status = 409


def payout_of(price_cents: int) -> int:
    """What the seller gets back of ``price_cents``: the price less RESALE_FEE_PERCENT,
    rounded to the cent in the seller's favour."""
    rate = decimal.Decimal(str(settings.RESALE_FEE_PERCENT)) / 100
    fee = (price_cents * rate).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_DOWN)
    return price_cents - int(fee)


def listing_refusal(*, ticket: Ticket, now: datetime.datetime) -> DomainError | None:
    """Why ``ticket`` (with its event and order) may not go on the resale at ``now`` (the
    calendar clock), or None: valid and unused, bought by its holder (the payout goes back to
    the card that paid it), and before the resale closes with the transfers
    (TRANSFER_CLOSES_HOURS_BEFORE: the gates' offline lists must not change on the day).
    ``list_ticket`` checks the state again as it writes."""
    if not ticket.may_enter:
        return NotListable()
    if ticket.order.user_id != ticket.holder_id:
        return ReceivedTicket()
    return resale_closed(event=ticket.event, now=now)


def resale_closed(*, event: Event, now: datetime.datetime) -> DomainError | None:
    """ResaleClosed once the resale of ``event``'s tickets has closed."""
    if now >= transfers_close_at(event=event):
        return ResaleClosed(hours=int(settings.TRANSFER_CLOSES_BEFORE.total_seconds() // 3600))
    return None


def can_list(*, ticket: Ticket, now: datetime.datetime) -> bool:
    return listing_refusal(ticket=ticket, now=now) is None


@transaction.atomic
def list_ticket(*, user: User, ticket: Ticket) -> Listing:
    """« Revendre ce billet »: ``ticket`` (the user's, with its order line and event) goes on
    the resale at its face value. It cannot enter, nor be transferred, until withdrawn."""
    if ticket.holder_id != user.pk:
        raise NotListable()
    refusal = listing_refusal(ticket=ticket, now=calendar_now())
    if refusal is not None:
        raise refusal
    listed = Ticket.objects.filter(MAY_ENTER, pk=ticket.pk, holder=user).update(
        state=TicketState.LISTED
    )
    if not listed:  # used, refunded or given away since it was read
        raise NotListable()
    ticket.state = TicketState.LISTED
    void_transfers(ticket_ids=[ticket.pk])  # a listed ticket is not to be given as well
    price = ticket.order_line.unit_price_cents
    waitlist.tickets_returned(event_id=ticket.event_id)
    return Listing.objects.create(
        ticket=ticket,
        seller=user,
        event_id=ticket.event_id,
        offer_id=ticket.order_line.offer_id,
        price_cents=price,
        payout_cents=payout_of(price),
    )


@transaction.atomic
def withdraw_listing(*, user: User, listing: Listing) -> None:
    """« Retirer de la revente »: the ticket is the seller's again, with its QR code as it
    was; a buyer's cart that held it loses it. Refused once sold."""
    locked = (
        Listing.objects.select_for_update()
        .filter(pk=listing.pk, seller=user, state=ListingState.LISTED)
        .first()
    )
    if locked is None:
        raise ListingUnavailable()
    _withdraw(locked)
    listing.state, listing.ended_at = locked.state, locked.ended_at


def _withdraw(locked: Listing) -> None:
    """Take ``locked`` (its row locked, still listed) off the resale: the ticket is valid
    again, and a cart that held it loses it."""
    release_listing(listing_id=locked.pk)
    locked.state, locked.ended_at = ListingState.WITHDRAWN, timezone.now()
    locked.save(update_fields=["state", "ended_at"])
    Ticket.objects.filter(pk=locked.ticket_id, state=TicketState.LISTED).update(
        state=TicketState.VALID
    )


def withdraw_unsold_listings(*, now: datetime.datetime) -> int:
    """The periodic job: once an event's resale has closed (``now``, the calendar clock),
    its tickets still on sale go back to their sellers, valid again, each told by e-mail: a
    ticket nobody bought still enters, and the gates' offline lists get it before the day.
    The number withdrawn."""
    closing = now + settings.TRANSFER_CLOSES_BEFORE
    due = Listing.objects.filter(state=ListingState.LISTED, event__starts_at__lte=closing)
    return sum(
        _withdraw_unsold(listing_id) for listing_id in list(due.values_list("pk", flat=True))
    )


@transaction.atomic
def _withdraw_unsold(listing_id: int) -> int:
    locked = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("seller", "event")
        .filter(pk=listing_id, state=ListingState.LISTED)
        .first()
    )
    if locked is None:  # sold or withdrawn meanwhile
        return 0
    _withdraw(locked)
    send_templated_email(
        "resale/emails/unsold",
        to=locked.seller.email,
        context={"listing": locked, "event": locked.event},
        language=locked.seller.language,
    )
    return 1


def sell_listings(
    *,
    order: Order,
    cart_id: int,
    lines: Sequence[ResaleLine],
    order_lines: Sequence[OrderLine],
) -> list[Ticket]:
    """Sell the listings of these lines of the cart being paid to ``order``'s buyer, each to
    its order line, inside the order's transaction.

    Each listing is sold once: its row is locked, then its line taken from the cart; a
    listing withdrawn, sold, or taken by another buyer once its hold expired raises
    ListingUnavailable, and the whole order rolls back (no charge). The buyer's ticket
    replaces the seller's (« revendu » at the gate), and the seller's payout is owed on the
    card that paid it: asked of the provider after the commit, retried until it is paid, and
    never twice (its key is the listing's). Returns the buyer's new tickets.
    """
    ids = sorted(line.listing_id for line in lines)
    locked = {
        listing.pk: listing
        for listing in Listing.objects.select_for_update(of=("self",))
        .select_related("seller", "event")
        .filter(pk__in=ids, state=ListingState.LISTED)
        .order_by("pk")
    }
    take_resale_lines(cart_id=cart_id, listing_ids=ids)
    if len(locked) != len(ids):
        raise ListingUnavailable()
    # The sellers' orders before their tickets, in id order: the order a refund locks them in.
    tickets = Ticket.objects.filter(pk__in=[listing.ticket_id for listing in locked.values()])
    seller_orders = {
        seller_order.pk: seller_order
        for seller_order in Order.objects.select_for_update(of=("self",))
        .filter(pk__in=tickets.values("order_id"))
        .order_by("pk")
    }
    now, bought = timezone.now(), []
    for line, order_line in zip(lines, order_lines, strict=True):
        listing = locked[line.listing_id]
        listing.state, listing.ended_at = ListingState.SOLD, now
        sold_ticket = Ticket.objects.get(pk=listing.ticket_id)
        listing.buyer_ticket = reissue_ticket(
            ticket=sold_ticket,
            holder=order.user,
            reason=TicketState.RESOLD,
            order=order,
            order_line=order_line,
            from_state=TicketState.LISTED,
        )
        listing.refund = owe_refund(
            order=seller_orders[sold_ticket.order_id],
            amount_cents=listing.payout_cents,
            idempotency_key=f"resale-{listing.pk}",
        )
        listing.save(update_fields=["state", "ended_at", "buyer_ticket", "refund"])
        _tell_seller(listing)
        bought.append(listing.buyer_ticket)
    return bought


def _tell_seller(listing: Listing) -> None:
    seller = listing.seller
    send_templated_email(
        "resale/emails/sold",
        to=seller.email,
        context={"listing": listing, "event": listing.event},
        language=seller.language,
    )
