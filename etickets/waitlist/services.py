"""Writes on the waiting lists (docs/ARCHITECTURE.md, « Waiting lists »).

An entry still waiting keeps its seats in ``Event.waiting_seats``, which general sale leaves
out of its free seats: seats that come back (expired holds, refunds) therefore never reach
general sale while someone waits; ``offer_returned_seats`` gives them to the entries, in order.
"""

import datetime
import logging
import threading
from collections.abc import Collection, Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.cart.selectors import cart_lines
from etickets.catalog.models import Event, Offer
from etickets.catalog.selectors import offer_on_sale
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.core.jobs import queue_on_commit
from etickets.inventory import services as pool
from etickets.inventory.selectors import held_seats_by_event
from etickets.inventory.services import busy_on_lock_timeout
from etickets.resale.selectors import unheld_listings

from .models import LIVE_STATES, EntryState, WaitingEntry

logger = logging.getLogger(__name__)


class NotSoldOut(DomainError):
    message = _("Cette offre n'est pas complète : ajoutez directement les billets à votre panier.")
    code = "not_sold_out"
    status = 409


class AlreadyWaiting(DomainError):
    message = _("Vous êtes déjà dans la liste d'attente de cette offre.")
    code = "already_waiting"
    status = 409


class EntryNotFound(DomainError):
    message = _("Cette inscription en liste d'attente n'existe pas.")
    code = "not_found"
    status = 404


def offer_deadline(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES)


def join_waiting_list(*, user: User, offer: Offer, quantity: int) -> WaitingEntry:
    """Put ``user`` in the waiting list of ``offer`` (sold out for general sale) for
    ``quantity`` tickets, within the limits a cart has: the offer's per order, and the
    account's per event, its other live entries counted as if in its cart."""
    cart.check_quantity(offer=offer, quantity=quantity)
    counted = offer_on_sale(offer.pk)
    if counted is None:
        raise cart.OfferNotOnSale()
    if counted.tickets_available > 0:
        raise NotSoldOut()
    # As if added to the cart (its other waiting entries count among its tickets:
    # ``cart.selectors.tickets_in_hand``), to the offer's line it may have already.
    lines = cart_lines(user_id=user.pk)
    has = sum(line.quantity for line in lines if line.offer_id == offer.pk)
    cart.check_quantity(offer=offer, quantity=has + quantity)
    cart.check_account_limits(user=user, offer=offer, quantity=has + quantity, lines=lines)
    entry = WaitingEntry(
        offer=offer,
        user=user,
        quantity=quantity,
        seats=quantity * offer.persons,
        joined_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            entry.save()
            pool.reserve_waiting_seats(event_id=offer.event_id, delta=entry.seats)
            _serve_after_commit([offer.event_id])
    except IntegrityError:
        raise AlreadyWaiting() from None
    return entry


@busy_on_lock_timeout
@transaction.atomic
def leave_waiting_list(*, user: User, entry_id: int) -> WaitingEntry:
    """Take ``user``'s live entry out of its list. A waiting entry's seats go to the next ones
    (or to general sale); an offered entry's stay in the cart until their hold ends."""
    found = WaitingEntry.objects.filter(pk=entry_id, user=user, state__in=LIVE_STATES)
    event_id = found.values_list("offer__event_id", flat=True).first()
    if event_id is None:
        raise EntryNotFound()
    # The pool, then the entry: the order in which serving an entry takes them.
    pool.lock_seat_pools([event_id])
    entry = found.select_for_update().select_related("offer").first()
    if entry is None:
        raise EntryNotFound()
    if entry.state == EntryState.WAITING:
        pool.reserve_waiting_seats(event_id=entry.offer.event_id, delta=-entry.seats)
        _serve_after_commit([entry.offer.event_id])
    entry.state = EntryState.LEFT
    entry.save(update_fields=["state"])
    return entry


def forget_offer(*, offer: Offer) -> None:
    """The offer is being deleted with its list (in the caller's transaction): the seats its
    waiting entries kept are kept no longer."""
    waited = WaitingEntry.objects.filter(offer=offer, state=EntryState.WAITING)
    seats = sum(waited.values_list("seats", flat=True))
    if seats:
        pool.reserve_waiting_seats(event_id=offer.event_id, delta=-seats)


def seats_returned(*, events: Iterable[Event]) -> None:
    """Seats of these events came back (a refund): offer them to their lists once committed,
    where someone waits (the events as read in the caller's transaction)."""
    _serve_after_commit({event.pk for event in events if event.waiting_seats})


def tickets_returned(*, event_id: int) -> None:
    """A ticket of the event went on the resale: offer it to its offer's list once
    committed."""
    _serve_after_commit([event_id])


def _serve_after_commit(event_ids: Iterable[int]) -> None:
    from .tasks import offer_returned_seats as task

    for event_id in sorted(set(event_ids)):
        queue_on_commit(task, event_id)


def fulfil_resale_offers(*, user: User, offer_ids: Collection[int]) -> None:
    """The buyer paid tickets of the resale of these offers: entries a list served with such
    tickets (no cart line of seats) are done (in the order's transaction)."""
    WaitingEntry.objects.filter(
        user=user,
        offer_id__in=offer_ids,
        line_id__isnull=True,
        state__in=[EntryState.OFFERED, EntryState.LAPSED],
    ).update(state=EntryState.FULFILLED)


def fulfil_offers(*, lines: Sequence[CartLine]) -> None:
    """The lines a list gave have been paid: their entries are done (in the order's
    transaction). No query for a cart without such a line."""
    ids = [line.pk for line in lines if line.offered_until is not None]
    if ids:
        WaitingEntry.objects.filter(
            line_id__in=ids, state__in=[EntryState.OFFERED, EntryState.LAPSED]
        ).update(state=EntryState.FULFILLED)


def offer_returned_seats(*, event_id: int) -> int:
    """Give the event's seats neither sold nor held to its waiting entries, in the order they
    joined (all its offers together): each time the first entry whose seats fit gets them, held
    in its cart for WAITLIST_OFFER_MINUTES and told by e-mail; one that does not fit keeps its
    place for the next round. Tickets of the resale go first, each to its own offer's list
    (``_offer_listings``). The number of entries served.

    Each entry is served in a transaction of its own that locks the buyer's cart, then the
    pool (rule 2): the next entry is found first without locks, then again inside them; if it
    changed meanwhile, the round starts again with the new one's cart.
    """
    served, user_id = _offer_listings(event_id), None
    # Bounded: each round either serves an entry or follows a change made meanwhile.
    for _round in range(2 * WaitingEntry.objects.filter(offer__event_id=event_id).count() + 2):
        outcome = _serve_next(event_id, user_id)
        if outcome is None:
            break
        if outcome is True:
            served, user_id = served + 1, None
        else:
            user_id = outcome
    return served


@busy_on_lock_timeout
@transaction.atomic
def _serve_next(event_id: int, user_id: int | None) -> bool | int | None:
    """Serve the next entry that fits if its buyer is ``user_id`` (True); else that buyer's id,
    to try again with their cart locked first; None if no entry fits."""
    cart_id = cart.lock_cart(User(pk=user_id)) if user_id is not None else None
    if cart_id is None:
        event = Event.objects.get(pk=event_id)
        unheld = event.capacity - event.sold - held_seats_by_event([event_id]).get(event_id, 0)
    else:
        event, unheld = pool.lock_unheld_seats(event_id=event_id)
    entry = _next_that_fits(event_id, unheld)
    if entry is None:
        return None
    if cart_id is None or entry.user_id != user_id:
        return entry.user_id
    if not _still_within_limits(entry, cart_id):
        return True  # dropped: the next round goes on with the next entry
    now = timezone.now()
    until = offer_deadline(now)
    line = cart.hold_offered_seats(
        cart_id=cart_id, offer=entry.offer, quantity=entry.quantity, until=until
    )
    pool.reserve_waiting_seats(event_id=event_id, delta=-entry.seats)
    entry.state, entry.offered_at, entry.offered_until, entry.line_id = (
        EntryState.OFFERED,
        now,
        until,
        line.pk,
    )
    entry.save(update_fields=["state", "offered_at", "offered_until", "line_id"])
    _tell_offered(entry, line=line)
    return True


def _tell_offered(entry: WaitingEntry, *, line: CartLine | None) -> None:
    send_templated_email(
        "waitlist/emails/offered",
        to=entry.user.email,
        context={"entry": entry, "line": line, "cart_path": reverse("cart:cart")},
        language=entry.user.language,
    )


def _offer_listings(event_id: int) -> int:
    """Give the event's tickets of the resale that no cart holds to the lists of their
    offers: for each offer, in the order its entries joined, the first whose quantity fits the
    tickets left gets them, held in its cart like seats. The number of entries served."""
    served = 0
    waited = (
        WaitingEntry.objects.filter(offer__event_id=event_id, state=EntryState.WAITING)
        .values_list("offer_id", flat=True)
        .distinct()
    )
    for offer_id in sorted(waited):
        # Bounded like the seats' rounds: a ticket taken meanwhile costs a round.
        for _round in range(2 * len(unheld_listings(offer_id=offer_id)) + 2):
            outcome = _serve_listings(offer_id)
            if outcome is None:
                break
            served += outcome
    return served


class _Taken(Exception):
    """A ticket of the resale was taken meanwhile: the round rolls back and starts again."""


def _serve_listings(offer_id: int) -> int | None:
    """Serve the offer's next entry that its unheld tickets of the resale fit (1), or try
    again after a change made meanwhile (0); None if none fits."""
    try:
        return _serve_listings_once(offer_id)
    except _Taken:
        return 0


@busy_on_lock_timeout
@transaction.atomic
def _serve_listings_once(offer_id: int) -> int | None:
    listings = unheld_listings(offer_id=offer_id)
    entry = (
        WaitingEntry.objects.filter(
            offer_id=offer_id, state=EntryState.WAITING, quantity__lte=len(listings)
        )
        .select_related("offer__event", "user")
        .order_by("joined_at", "id")
        .first()
    )
    if entry is None:
        return None
    now = timezone.now()
    until = offer_deadline(now)
    # The locks in the cart's order: the buyer's cart, the listings, then the pool.
    cart_id = cart.lock_cart(entry.user)
    if not _still_within_limits(entry, cart_id):
        return 0
    if not cart.hold_offered_listings(
        cart_id=cart_id, listing_ids=listings[: entry.quantity], until=until
    ):
        raise _Taken()
    pool.reserve_waiting_seats(event_id=entry.offer.event_id, delta=-entry.seats)
    entry.state, entry.offered_at, entry.offered_until = EntryState.OFFERED, now, until
    if not WaitingEntry.objects.filter(pk=entry.pk, state=EntryState.WAITING).update(
        state=entry.state, offered_at=now, offered_until=until
    ):
        raise _Taken()  # left or served meanwhile
    _tell_offered(entry, line=None)
    return 1


def _still_within_limits(entry: WaitingEntry, cart_id: int) -> bool:
    """Whether the entry's buyer may still take its tickets (``cart.services.check_offered``,
    their cart locked); if not, the entry lapses, its kept seats going to the next ones."""
    try:
        cart.check_offered(
            cart_id=cart_id, user=entry.user, offer=entry.offer, quantity=entry.quantity
        )
    except DomainError:
        pool.lock_seat_pools([entry.offer.event_id])  # the pool, then the entry, as elsewhere
        if WaitingEntry.objects.filter(pk=entry.pk, state=EntryState.WAITING).update(
            state=EntryState.LAPSED
        ):
            pool.reserve_waiting_seats(event_id=entry.offer.event_id, delta=-entry.seats)
        return False
    return True


def _next_that_fits(event_id: int, unheld: int) -> WaitingEntry | None:
    entries = (
        WaitingEntry.objects.filter(
            offer__event_id=event_id, state=EntryState.WAITING, seats__lte=unheld
        )
        .select_related("offer__event", "user")
        .order_by("joined_at", "id")
    )
    now = timezone.now()
    for entry in entries:
        offer = entry.offer
        # An offer withdrawn from sale keeps its list, served if it comes back.
        if offer.is_published and offer.event.is_published and offer.event.starts_at > now:
            return entry
    return None


def lapse_due_offers(*, now: datetime.datetime) -> set[int]:
    """Offered entries not paid in time lapse: their holds have ended, and their seats go to
    the next entries. The events concerned."""
    due = WaitingEntry.objects.filter(state=EntryState.OFFERED, offered_until__lte=now)
    event_ids = set(due.values_list("offer__event_id", flat=True))
    if event_ids:
        due.update(state=EntryState.LAPSED)
    return event_ids


_last_run: list[datetime.datetime] = []
_run_lock = threading.Lock()


def run_without_beat(*, now: datetime.datetime) -> None:
    """Without Celery beat (settings.WAITLIST_RUN_ON_VIEW), the waiting lists' pages run the
    periodic job, once every 10 seconds per process at most."""
    if not settings.WAITLIST_RUN_ON_VIEW:
        return
    with _run_lock:
        if _last_run and now - _last_run[0] < datetime.timedelta(seconds=10):
            return
        _last_run[:] = [now]
    try:
        run_waiting_lists(now=now)
    except Exception:  # the page shows anyway; the next visit tries again
        logger.exception("The waiting lists' job failed")


def run_waiting_lists(*, now: datetime.datetime) -> int:
    """The periodic job: lapse the offers past their time, then serve every event's list
    where someone waits. The number of entries served."""
    lapse_due_offers(now=now)
    waited = Event.objects.filter(waiting_seats__gt=0)
    for event_id in waited.filter(starts_at__lte=now).values_list("pk", flat=True):
        _close_lists(event_id)
    upcoming = waited.filter(starts_at__gt=now).values_list("pk", flat=True)
    return sum(offer_returned_seats(event_id=event_id) for event_id in upcoming)


@busy_on_lock_timeout
@transaction.atomic
def _close_lists(event_id: int) -> None:
    """The event has begun: its entries still waiting lapse, and keep no seats any more."""
    pool.lock_seat_pools([event_id])  # the pool, then the entries, as everywhere
    waiting = WaitingEntry.objects.select_for_update().filter(
        offer__event_id=event_id, state=EntryState.WAITING
    )
    seats = sum(entry.seats for entry in waiting)
    waiting.update(state=EntryState.LAPSED)
    pool.reserve_waiting_seats(event_id=event_id, delta=-seats)
