"""Writes on carts. Seats are held through the seat pool (``etickets.inventory.services``),
under its locking rules."""

import copy
import datetime
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from etickets.accounts.models import User
from etickets.catalog.models import Offer
from etickets.catalog.selectors import offer_on_sale
from etickets.core import sql
from etickets.core.errors import DomainError
from etickets.inventory import services as pool
from etickets.inventory.models import Hold
from etickets.inventory.services import busy_on_lock_timeout
from etickets.resale.errors import ListingUnavailable
from etickets.resale.models import Listing, ListingState
from etickets.waitingroom.services import check_admission

from .models import CartLine, ResaleLine
from .selectors import CartSummary, cart_lines, cart_summary, tickets_in_hand


class InvalidQuantity(DomainError):
    message = _("Choisissez une quantité d'au moins 1 billet.")
    code = "invalid_quantity"


class OfferNotOnSale(DomainError):
    message = _("Cette offre n'est plus en vente.")
    code = "not_on_sale"
    status = 404


class EventOver(DomainError):
    message = _("Cette épreuve a déjà eu lieu : ses billets ne sont plus en vente.")
    code = "event_over"


class SoldOut(DomainError):
    message = _("Complet : il ne reste plus de billets pour cette offre.")
    code = "sold_out"
    status = 409


class NotEnoughSeats(DomainError):
    message = ngettext_lazy(
        "Il ne reste que %(count)s billet pour cette offre : choisissez une quantité plus petite.",
        "Il ne reste que %(count)s billets pour cette offre : choisissez une quantité plus petite.",
        "count",
    )
    code = "not_enough_seats"
    status = 409


class LimitReached(DomainError):
    message = ngettext_lazy(
        "Vous ne pouvez pas prendre plus de %(count)s billet de cette offre par commande.",
        "Vous ne pouvez pas prendre plus de %(count)s billets de cette offre par commande.",
        "count",
    )
    code = "limit_reached"
    status = 409


class EventLimitReached(DomainError):
    message = _(
        "Au plus %(limit)s billets par personne pour une même épreuve, vos billets et votre "
        "panier compris : vous en avez déjà %(count)s."
    )
    code = "limit_reached"
    status = 409


class HoldLimitReached(DomainError):
    message = _(
        "Votre panier ne peut pas réserver plus de %(limit)s places à la fois (un billet Duo "
        "en compte 2, un Familiale 4) : payez ou retirez des billets avant d'en ajouter."
    )
    code = "limit_reached"
    status = 409


class OwnListing(DomainError):
    message = _("C'est votre propre billet : retirez-le de la revente si vous voulez le garder.")
    code = "own_listing"


class ListingForWaitingList(DomainError):
    message = _(
        "Ce billet de revente est proposé d'abord aux personnes inscrites sur la liste "
        "d'attente de cette offre : inscrivez-vous pour avoir votre tour."
    )
    code = "listing_for_waiting_list"
    status = 409


class ListingHeld(DomainError):
    message = _(
        "Ce billet de revente est dans le panier d'un autre acheteur. S'il n'est pas payé d'ici "
        "%(minutes)s minutes, il sera de nouveau proposé."
    )
    code = "listing_held"
    status = 409


@dataclass(frozen=True)
class Adjustment:
    """A line of an expired cart that could not be fully reserved again: too few seats left,
    or ``hold_ended``, its hold already renewed once."""

    offer: Offer
    wanted: int
    kept: int
    hold_ended: bool = False


@dataclass(frozen=True)
class Reservation:
    """A cart as a change left it: its lines, each with its new hold and its offer's free
    seats counted inside the lock, and the lines that could not be kept whole."""

    lines: list[CartLine]
    adjustments: list[Adjustment]


def hold_deadline() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=settings.CART_HOLD_MINUTES)


def ensure_on_sale(offer: Offer) -> None:
    if not (offer.is_published and offer.event.is_published):
        raise OfferNotOnSale()
    if offer.is_past:
        raise EventOver()


def lock_cart(user: User) -> int:
    """The user's cart (created on first use), locked: one change at a time per cart, double
    clicks included. SQLite's IMMEDIATE transaction already holds its write lock."""
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    query = f"SELECT id FROM cart_cart WHERE user_id = %s{lock}"
    found = sql.row(query, [user.pk])
    if found is None:
        sql.execute(
            "INSERT INTO cart_cart (user_id, updated_at) VALUES (%s, %s) "
            "ON CONFLICT (user_id) DO NOTHING",
            [user.pk, timezone.now()],
        )
        found = sql.one(query, [user.pk])
    return found[0]


def _reserve(
    cart_id: int, target: Offer | None = None, quantity: int = 0, lines: list | None = None
) -> Reservation:
    """Hold the seats of every line of the cart again, until the cart's deadline.

    Runs inside the caller's transaction and takes the pools' locks. The lines already in the
    cart come first: their live holds always fit again, and an expired one is re-taken while
    seats remain (else reduced, and reported). ``target`` is the offer the buyer is changing to
    ``quantity``: it must fit entirely, or nothing changes. ``lines``: the cart's, if the
    caller has just read them under the cart's lock.

    All lines share one deadline, and changing the cart does not push it back: holds last a
    full period from the first line, renewed once after they expire; past the second expiry
    the old lines are dropped (else an account could keep seats forever by touching its cart).
    """
    if lines is None:
        lines = cart_lines(cart_id=cart_id)
    deadline, renewed, ended = _hold_period(lines)
    wanted = {line.offer_id: line.quantity for line in lines}
    offers = {line.offer_id: line.offer for line in lines}
    if target is not None:
        wanted[target.pk] = quantity
        offers[target.pk] = target
    free = pool.lock_free_seats(
        {offer.event_id for offer in offers.values()},
        excluding_lines=[line.pk for line in lines],
        durable=False,
    )
    order = [line.offer_id for line in lines if target is None or line.offer_id != target.pk]
    if target is not None:
        order.append(target.pk)

    existing = {line.offer_id: line for line in lines}
    adjustments, kept_lines = [], []
    for offer_id in order:
        offer = offers[offer_id]
        fits = max(free[offer.event_id], 0) // offer.persons
        if target is not None and offer_id == target.pk:
            if quantity > fits:
                raise NotEnoughSeats(count=fits) if fits else SoldOut()
            kept = quantity
        elif ended:
            kept = 0
            adjustments.append(Adjustment(offer, wanted[offer_id], 0, hold_ended=True))
        else:
            on_sale = offer.is_published and offer.event.is_published and not offer.is_past
            kept = min(wanted[offer_id], fits, offer.limit_per_order) if on_sale else 0
            if kept < wanted[offer_id]:
                adjustments.append(Adjustment(offer, wanted[offer_id], kept))
        free[offer.event_id] -= kept * offer.persons
        line = _write_line(cart_id, existing.get(offer_id), offer, kept, deadline, renewed)
        if line is not None:
            kept_lines.append(line)
    for line in kept_lines:
        # A copy: the caller's offer keeps what it was read with.
        line.offer = copy.copy(line.offer)
        line.offer.event_free_seats = max(free[line.offer.event_id], 0)
    return Reservation(kept_lines, adjustments)


def _hold_period(lines: list[CartLine]) -> tuple[datetime.datetime, bool, bool]:
    """The cart's deadline, whether its holds have had their one renewal, and whether they are
    over for good (its old lines then go)."""
    now = timezone.now()
    holds = [getattr(line, "hold", None) for line in lines]
    live = [hold.expires_at for hold in holds if hold is not None and hold.is_live(now)]
    renewed = any(line.hold_renewed for line in lines)
    if live:
        return min(live), renewed, False
    if lines and not renewed:
        return hold_deadline(), True, False
    return hold_deadline(), False, bool(lines)


def _write_line(
    cart_id: int,
    line: CartLine | None,
    offer: Offer,
    quantity: int,
    deadline: datetime.datetime,
    renewed: bool,
) -> CartLine | None:
    """The line as written, with its hold; None once deleted."""
    if quantity == 0:
        if line is not None:
            pool.release_holds(line_ids=[line.pk])
            sql.execute("DELETE FROM cart_cartline WHERE id = %s", [line.pk])
        return None
    hold = Hold(event_id=offer.event_id, seats=quantity * offer.persons, expires_at=deadline)
    if line is None:
        line = CartLine(
            cart_id=cart_id,
            offer=offer,
            quantity=quantity,
            added_at=timezone.now(),
            hold_renewed=renewed,
        )
        line.pk = pool.hold_seats_for_new_line(
            insert_line=(
                "INSERT INTO cart_cartline (cart_id, offer_id, quantity, added_at, hold_renewed) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id"
            ),
            params=[cart_id, offer.pk, quantity, line.added_at, renewed],
            event_id=hold.event_id,
            seats=hold.seats,
            expires_at=deadline,
        )
    else:
        if (line.quantity, line.hold_renewed) != (quantity, renewed):
            line.quantity, line.hold_renewed = quantity, renewed
            sql.execute(
                "UPDATE cart_cartline SET quantity = %s, hold_renewed = %s WHERE id = %s",
                [quantity, renewed, line.pk],
            )
        pool.hold_seats(
            line_id=line.pk, event_id=hold.event_id, seats=hold.seats, expires_at=deadline
        )
    line.offer = offer
    hold.line = line
    CartLine.hold.related.set_cached_value(line, hold)
    return line


def check_quantity(*, offer: Offer, quantity: int) -> None:
    """Refuse a line of ``quantity`` tickets of ``offer`` whoever asks: at least one, on sale,
    within the offer's limit per order. (The account's limits and the seats are checked as the
    cart takes them.)"""
    if quantity < 1:
        raise InvalidQuantity()
    ensure_on_sale(offer)
    if quantity > offer.limit_per_order:
        raise LimitReached(count=offer.limit_per_order)


def _check_request(user: User, offer: Offer, quantity: int, lines: list[CartLine]) -> None:
    check_quantity(offer=offer, quantity=quantity)
    check_account_limits(user=user, offer=offer, quantity=quantity, lines=lines)


def check_account_limits(*, user: User, offer: Offer, quantity: int, lines: list[CartLine]) -> None:
    """Refuse a cart whose ``offer`` line would be ``quantity`` tickets if it held more than
    MAX_SEATS_HELD seats, or gave the account more than MAX_TICKETS_PER_EVENT tickets of the
    event, those it holds and its cart together. Tickets are counted as the site issues them,
    one per unit of an offer (a Duo ticket admits 2); the cart's tickets of the resale count
    as its tickets (``tickets_in_hand``), not as held seats: theirs are sold already.
    ``lines``: the cart's, read under its lock, which paying takes too: two requests of one
    account never both pass.
    """
    others = [line for line in lines if line.offer_id != offer.pk]
    seats = quantity * offer.persons + sum(line.quantity * line.offer.persons for line in others)
    if seats > settings.MAX_SEATS_HELD:
        raise HoldLimitReached(limit=settings.MAX_SEATS_HELD)
    in_cart = {
        line.offer_id: line.quantity for line in lines if line.offer.event_id == offer.event_id
    }
    _check_event_limit(
        user=user,
        event_id=offer.event_id,
        wanted=sum({**in_cart, offer.pk: quantity}.values()),
        in_cart=sum(in_cart.values()),
    )


def _check_event_limit(*, user: User, event_id: int, wanted: int, in_cart: int) -> None:
    """MAX_TICKETS_PER_EVENT: the tickets the account holds (its tickets of the resale in
    its cart included: ``tickets_in_hand``) plus ``wanted`` more (its cart's other lines
    included), of which ``in_cart`` it has already."""
    held = tickets_in_hand(user_id=user.pk, event_id=event_id)
    if held + wanted > settings.MAX_TICKETS_PER_EVENT:
        raise EventLimitReached(limit=settings.MAX_TICKETS_PER_EVENT, count=held + in_cart)


def _tickets_of_event(lines: list[CartLine], event_id: int) -> int:
    """The tickets of an event these cart lines hold."""
    return sum(line.quantity for line in lines if line.offer.event_id == event_id)


def check_tickets_received(*, user: User, event_id: int, count: int) -> None:
    """Refuse ``count`` tickets of an event given to ``user`` (an accepted transfer) if the
    account would then have more than MAX_TICKETS_PER_EVENT, its cart included, as when it
    adds to its cart. Takes the cart's lock, as adding to it does: a transfer accepted while
    the same account fills its cart never lets both through."""
    lines = cart_lines(cart_id=lock_cart(user))
    in_cart = _tickets_of_event(lines, event_id)
    _check_event_limit(user=user, event_id=event_id, wanted=in_cart + count, in_cart=in_cart)


def add_to_cart(
    user: User, *, offer: Offer, quantity: int, passes: Collection[str] = ()
) -> Reservation:
    """Add ``quantity`` tickets of ``offer`` (to those already in the cart) and hold them; a
    sale behind a queue asks for the user's pass among ``passes``."""
    check_quantity(offer=offer, quantity=quantity)
    free = getattr(offer, "event_free_seats", None)
    if free is not None and free < offer.persons:
        # Sold out a moment ago, as read with the offer: no need to queue for the pool to
        # hear it (the end of a rush is mostly such refusals). Only granting needs the lock.
        raise SoldOut()
    check_admission(user=user, event_ids=[offer.event_id], passes=passes, now=timezone.now())
    return _add_held(user, offer, quantity)


@busy_on_lock_timeout
@transaction.atomic
def _add_held(user: User, offer: Offer, quantity: int) -> Reservation:
    cart_id = lock_cart(user)
    lines = cart_lines(cart_id=cart_id)
    total = quantity + sum(line.quantity for line in lines if line.offer_id == offer.pk)
    _check_request(user, offer, total, lines)
    return _reserve(cart_id, offer, total, lines)


@busy_on_lock_timeout
@transaction.atomic
def set_quantity(
    user: User, *, offer: Offer, quantity: int, passes: Collection[str] = ()
) -> list[Adjustment]:
    """Change a line to ``quantity`` tickets; 0 removes it. Giving seats back needs no lock;
    taking more, in a sale behind a queue, needs the user's pass among ``passes``."""
    cart_id = lock_cart(user)
    line = CartLine.objects.select_related("hold").filter(cart_id=cart_id, offer=offer).first()
    if line is None:
        raise OfferNotOnSale()
    if quantity == 0:
        line.delete()
        return []
    hold = getattr(line, "hold", None)
    if 1 <= quantity <= line.quantity and hold is not None and hold.is_live():
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        pool.shrink_hold(line_id=line.pk, seats=quantity * offer.persons)
        return []
    check_admission(user=user, event_ids=[offer.event_id], passes=passes, now=timezone.now())
    lines = cart_lines(cart_id=cart_id)
    _check_request(user, offer, quantity, lines)
    return _reserve(cart_id, offer, quantity, lines).adjustments


def hold_offered_seats(
    *, cart_id: int, offer: Offer, quantity: int, until: datetime.datetime
) -> CartLine:
    """Put ``quantity`` tickets of ``offer`` in the cart, held until ``until``: seats a waiting
    list gives. The caller has locked the cart (``lock_cart``), then the pool, and found the
    seats free. A line of that offer already in the cart gets them added if its hold is live
    (it keeps its seats), else is replaced (its seats were lost)."""
    existing = CartLine.objects.select_related("hold").filter(cart_id=cart_id, offer=offer).first()
    hold = getattr(existing, "hold", None) if existing is not None else None
    if hold is not None and hold.is_live():
        quantity += existing.quantity  # type: ignore[union-attr]
    renewed = existing.hold_renewed if existing is not None else False
    line = _write_line(cart_id, existing, offer, quantity, until, renewed)
    if line is None:  # no tickets: nothing to hold
        raise InvalidQuantity()
    line.offered_until = until
    sql.execute("UPDATE cart_cartline SET offered_until = %s WHERE id = %s", [until, line.pk])
    return line


def remove_line(user: User, *, offer: Offer) -> None:
    CartLine.objects.filter(cart__user=user, offer=offer).delete()


def clear_cart(user: User) -> None:
    CartLine.objects.filter(cart__user=user).delete()
    ResaleLine.objects.filter(cart__user=user).delete()


@busy_on_lock_timeout
@transaction.atomic
def renew_expired_holds(user: User) -> list[Adjustment]:
    """Re-reserve a cart whose holds expired, keeping what still fits (see ``_reserve``)."""
    return _reserve(lock_cart(user)).adjustments


@dataclass(frozen=True)
class RefreshedCart:
    summary: CartSummary
    renewed: bool  # its holds had expired and were taken again
    adjustments: list[Adjustment]


def refresh_cart(*, user: User) -> RefreshedCart:
    """The user's cart as its pages show it: its holds renewed first if they had expired (the
    cart and payment pages renew them as they open, as a buyer expects)."""
    summary = cart_summary(user)
    if not (summary.lines and summary.expired):
        return RefreshedCart(summary, renewed=False, adjustments=[])
    adjustments = renew_expired_holds(user)
    return RefreshedCart(cart_summary(user), renewed=True, adjustments=adjustments)


@dataclass(frozen=True)
class PendingOutcome:
    """What became of one addition chosen before logging in: added, with the ``adjustments``
    its reservation made to the cart's other lines, or refused (``offer`` None: no longer on
    sale)."""

    offer_id: int
    quantity: int
    offer: Offer | None
    refusal: DomainError | None = None
    adjustments: list[Adjustment] = field(default_factory=list)


def add_pending(
    *, user: User, additions: Mapping[int, int], passes: Collection[str] = ()
) -> Iterator[PendingOutcome]:
    """Add to ``user``'s cart what they chose before logging in ({offer id: quantity}), each
    as ``add_to_cart`` would, a refusal being an outcome rather than an error. Each outcome is
    yielded once written, so that the caller can forget it even if a later one fails."""
    for offer_id, quantity in additions.items():
        offer = offer_on_sale(offer_id)
        if offer is None:
            yield PendingOutcome(offer_id, quantity, None, OfferNotOnSale())
            continue
        try:
            reservation = add_to_cart(user, offer=offer, quantity=quantity, passes=passes)
        except DomainError as error:
            yield PendingOutcome(offer_id, quantity, offer, error)
        else:
            yield PendingOutcome(offer_id, quantity, offer, adjustments=reservation.adjustments)


# --- Tickets of the official resale ---------------------------------------------------------
# A listing is held for one cart at a time (``ResaleLine``), for CART_HOLD_MINUTES; past that,
# the next buyer who adds it takes it from the cart it was in. Locks, always in this order:
# the cart, then the listing, then its cart line (paying and withdrawing keep it too).


def add_listing(user: User, *, listing: Listing, passes: Collection[str] = ()) -> ResaleLine:
    """Put a ticket of the resale (``listing``, as ``resale.selectors`` gives it) in the
    user's cart, held for CART_HOLD_MINUTES; a sale behind a queue asks for the user's pass
    among ``passes``, as for any ticket of its event."""
    if listing.seller_id == user.pk:
        raise OwnListing()
    if listing.offer.is_past:
        raise EventOver()
    check_admission(user=user, event_ids=[listing.event_id], passes=passes, now=timezone.now())
    return _add_listing(user, listing.pk)


@busy_on_lock_timeout
@transaction.atomic
def _add_listing(user: User, listing_id: int) -> ResaleLine:
    cart_id = lock_cart(user)
    listing = _lock_listing(listing_id)
    if listing is None:
        raise ListingUnavailable()
    if listing.offer.waiting_entries.filter(state="WAITING").exists():
        # Tickets that come back go to the offer's waiting list first (waitlist.services).
        raise ListingForWaitingList()
    now = timezone.now()
    line = ResaleLine.objects.filter(listing=listing).first()
    if line is not None and line.held_until > now:
        if line.cart_id == cart_id:  # its hold runs its course: adding again keeps no one out
            return line
        raise ListingHeld(minutes=max(int((line.held_until - now).total_seconds() // 60), 1))
    if line is None or line.cart_id != cart_id:
        lines = cart_lines(cart_id=cart_id)
        in_cart = _tickets_of_event(lines, listing.event_id)
        _check_event_limit(
            user=user, event_id=listing.event_id, wanted=in_cart + 1, in_cart=in_cart
        )
    return _hold_listing(cart_id, listing, line, hold_deadline())


def _lock_listing(listing_id: int) -> Listing | None:
    """The listing, locked, if still on the resale (after the cart's lock: see above)."""
    return (
        Listing.objects.select_for_update(of=("self",))
        .select_related("ticket", "offer")
        .filter(pk=listing_id, state=ListingState.LISTED)
        .first()
    )


def _hold_listing(
    cart_id: int, listing: Listing, line: ResaleLine | None, until: datetime.datetime
) -> ResaleLine:
    """Hold ``listing`` (locked) for the cart until ``until``; ``line``: the cart line that
    held it, this cart's (renewed) or another's whose hold has expired (it gives way)."""
    if line is not None and line.cart_id == cart_id:
        line.held_until = until
        line.save(update_fields=["held_until"])
        return line
    if line is not None:
        line.delete()
    return ResaleLine.objects.create(
        cart_id=cart_id,
        listing=listing,
        event_id=listing.event_id,
        price_cents=listing.price_cents,
        persons=listing.ticket.persons,
        held_until=until,
    )


def check_offered(*, cart_id: int, user: User, offer: Offer, quantity: int) -> None:
    """Refuse ``quantity`` tickets of ``offer`` a waiting list would give this cart (locked by
    the caller) if its line of the offer would pass the offer's limit per order, or the
    account the event's limit: what joined within the limits may have outgrown them since.
    The entry, still waiting, is among the account's tickets already (``tickets_in_hand``)."""
    lines = cart_lines(cart_id=cart_id)
    has = sum(line.quantity for line in lines if line.offer_id == offer.pk)
    check_quantity(offer=offer, quantity=has + quantity)
    in_cart = _tickets_of_event(lines, offer.event_id)
    _check_event_limit(user=user, event_id=offer.event_id, wanted=in_cart, in_cart=in_cart)


def hold_offered_listings(
    *, cart_id: int, listing_ids: Sequence[int], until: datetime.datetime
) -> bool:
    """Hold these tickets of the resale in the cart until ``until``: tickets a waiting list
    gives. The caller has locked the cart (``lock_cart``). False, with some perhaps held, if
    one was sold, withdrawn or held by a live cart meanwhile: the caller then rolls back."""
    now = timezone.now()
    for listing_id in sorted(listing_ids):
        listing = _lock_listing(listing_id)
        if listing is None:
            return False
        line = ResaleLine.objects.filter(listing=listing).first()
        if line is not None and line.cart_id != cart_id and line.held_until > now:
            return False
        _hold_listing(cart_id, listing, line, until)
    return True


def remove_listing(user: User, *, listing_id: int) -> None:
    ResaleLine.objects.filter(cart__user=user, listing_id=listing_id).delete()


def release_listing(*, listing_id: int) -> None:
    """The listing leaves whichever cart held it (withdrawn by its seller). Under the
    listing's lock."""
    ResaleLine.objects.filter(listing_id=listing_id).delete()


def take_resale_lines(*, cart_id: int, listing_ids: Sequence[int]) -> None:
    """Empty the cart being paid of these tickets of the resale, their listings already
    locked by the caller; ListingUnavailable if another buyer took one meanwhile (its hold had
    expired): the order must then be rolled back."""
    taken = sql.execute(
        f"DELETE FROM cart_resaleline WHERE cart_id = %s AND listing_id IN "
        f"({sql.marks(listing_ids)})",
        [cart_id, *listing_ids],
    )
    if taken != len(listing_ids):
        raise ListingUnavailable()
