"""Placing an order: one charge, one order, never more seats sold than the event has."""

import datetime
import hashlib
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.cart.models import CartLine, ResaleLine
from etickets.cart.selectors import cart_event_ids, cart_lines, cart_total, resale_lines
from etickets.cart.services import ensure_on_sale, lock_cart
from etickets.core import sql
from etickets.core.clock import calendar_now
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.core.unavailable import is_unavailable
from etickets.inventory import services as pool
from etickets.inventory.services import busy_on_lock_timeout
from etickets.invoices.services import issue_after_commit
from etickets.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from etickets.payments.providers import Authorisation, PaymentProvider, get_provider
from etickets.resale.services import resale_closed, sell_listings
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.pdf import tickets_pdf
from etickets.tickets.selectors import order_tickets_of
from etickets.tickets.services import void_transfers
from etickets.waitingroom.services import check_admission
from etickets.waitlist import services as waitlist

from .models import Order, OrderLine, OrderStatus, new_reference
from .refunds import owe_refund

logger = logging.getLogger(__name__)
ORDER = sql.Loader(Order)


class CartEmpty(DomainError):
    message = _("Votre panier est vide : ajoutez des billets avant de payer.")
    code = "cart_empty"


class HoldLost(DomainError):
    message = _(
        "Votre réservation a expiré et certaines places ne sont plus disponibles. Vous n'avez "
        "pas été débité : vérifiez votre panier."
    )
    code = "hold_lost"
    status = 409


class CartChanged(DomainError):
    message = _(
        "Votre panier a changé pendant le paiement. Vous n'avez pas été débité : vérifiez le "
        "nouveau total et payez de nouveau."
    )
    code = "cart_changed"
    status = 409


class AuthorisationExpired(DomainError):
    message = _(
        "Votre paiement a pris trop de temps et n'a pas été validé. Vous n'avez pas été "
        "débité : payez de nouveau."
    )
    code = "authorisation_expired"
    status = 409


class KeyAlreadyUsed(DomainError):
    message = _("Ce formulaire de paiement a déjà servi. Rechargez la page de paiement.")
    code = "key_used"
    status = 409


class NothingToRefund(DomainError):
    message = _("Aucun billet remboursable : ils sont déjà annulés ou utilisés.")
    code = "nothing_to_refund"


class TicketAlreadyUsed(DomainError):
    message = _("Ce billet a déjà été utilisé à l'entrée : il ne peut pas être remboursé.")
    code = "ticket_used"


class _AlreadyPlaced(Exception):
    def __init__(self, order: Order) -> None:
        self.order = order


Authorise = Callable[[int, str], Authorisation]


def place_order(
    *,
    user: User,
    idempotency_key: uuid.UUID,
    authorise: Authorise,
    passes: Collection[str] = (),
) -> Order:
    """Charge the cart's total and turn its holds into an order with its tickets.

    The amount comes from the database. ``authorise`` (see payments.services.card_authoriser)
    reserves it on the card before the pools are locked, so that no buyer waits on a bank while
    holding the seats of an event; then one short transaction re-checks the holds, sells the
    seats, and writes the order, its payment and its tickets. If that fails, the cart is left as
    it was and the authorisation is voided (unless the database failed: the buyer's retry
    needs it, and the reconciliation voids it if none comes). The same ``idempotency_key``
    always gives the same order: one order and one charge, however many times « Payer » is
    sent. A sale behind a queue asks for the user's pass among ``passes``.
    """
    total = cart_total(user)
    if not total.lines:
        # Most often the same « Payer » sent again: its order has emptied the cart. (Sent again
        # with a cart filled since, it finds its order inside the lock, as a double click does.)
        existing = _order_with_key(idempotency_key)
        if existing is not None:
            return _replayed(existing, user)
        raise CartEmpty()
    check_admission(
        user=user, event_ids=cart_event_ids(user=user), passes=passes, now=timezone.now()
    )
    authorisation = authorise(total.total_cents, f"JO E-Tickets — {user.email}")
    provider = get_provider()
    try:
        order = _record_order(
            user, idempotency_key, authorisation, provider.name, with_resale=total.resale_lines > 0
        )
    except _AlreadyPlaced as replay:
        return _replayed(replay.order, user)
    except BaseException as error:
        # A database that failed asks the buyer to retry (503): their retry, with the same key,
        # needs this authorisation. Without one, the reconciliation voids it after the grace
        # period (payments.services.reconcile_payments).
        if not is_unavailable(error):
            _void(provider, authorisation.reference)
        raise
    _capture(provider, order)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker, hence no periodic jobs: number the invoice (after the commit, not in it:
        # numbering takes one lock for all sales) and send the e-mail now. With a broker their
        # sweeps do it, away from the sales rush (docs/ARCHITECTURE.md, « Invoices »).
        issue_after_commit()
        transaction.on_commit(send_pending_confirmations)
    return order


def _replayed(order: Order, user: User) -> Order:
    if order.user_id != user.pk:
        raise KeyAlreadyUsed()
    return order


def _order_with_key(idempotency_key: uuid.UUID) -> Order | None:
    found = sql.row(
        f"SELECT {ORDER.select('o')} FROM orders_order o WHERE o.idempotency_key = %s",
        [idempotency_key],
    )
    return ORDER.load(found) if found else None


def _raise_if_placed(idempotency_key: uuid.UUID) -> None:
    placed = _order_with_key(idempotency_key)
    if placed is not None:
        raise _AlreadyPlaced(placed)


def _check_fresh(authorisation: Authorisation) -> None:
    """An authorisation older than half the grace period (a buyer's retry long after its
    first try) may be the reconciliation's to void as an orphan: it is not used, and a new
    payment is asked for. The other half is the margin of the transaction writing the order."""
    limit = datetime.timedelta(seconds=settings.AUTHORISATION_GRACE_SECONDS / 2)
    if authorisation.authorised_at < timezone.now() - limit:
        raise AuthorisationExpired()


@busy_on_lock_timeout
@transaction.atomic
def _record_order(
    user: User,
    idempotency_key: uuid.UUID,
    authorisation: Authorisation,
    provider_name: str,
    *,
    with_resale: bool,
) -> Order:
    cart_id = lock_cart(user)
    lines = cart_lines(cart_id=cart_id)
    # Read only if the total had some: one added since was not authorised, and stays.
    resale = resale_lines(cart_id=cart_id) if with_resale else []
    order = Order(
        user=user,
        idempotency_key=idempotency_key,
        total_cents=authorisation.amount_cents,
        confirmation_due=True,
        reference=new_reference(),
    )
    try:
        _check_fresh(authorisation)
        seats_by_event = _seats_to_sell(lines, resale, authorisation)
    except DomainError:
        # A key already used must show before anything else: the charge authorised with it is
        # then the first order's, and must not be voided. The insert waits for an order being
        # written with the same key; it is rolled back with the rest.
        if not sql.insert([order], unless_taken=True):
            _raise_if_placed(idempotency_key)
        raise
    order.payment = Payment(
        order=order,
        provider=provider_name,
        reference=authorisation.reference,
        brand=authorisation.brand,
        last4=authorisation.last4,
        amount_cents=authorisation.amount_cents,
        status=PaymentStatus.AUTHORISED,
    )
    order_lines = [
        OrderLine(
            order=order,
            offer=line.offer,
            quantity=line.quantity,
            unit_price_cents=line.offer.price_cents,
            persons=line.offer.persons,
        )
        for line in lines
    ]
    tickets = new_tickets(order_lines)
    while not _write_order(order, order_lines, tickets, cart_id):
        _raise_if_placed(idempotency_key)  # the same « Payer » sent twice: the first one won
        order.reference = new_reference()  # 40 random bits: seldom taken
    if resale:
        tickets += _sell_resale(order, cart_id, resale)
    sql.set_prefetched(order, "tickets", tickets)  # describing the order reads them
    waitlist.fulfil_offers(lines=lines)  # seats a waiting list gave: its entries are done

    # Last, so that every buyer of these events waits for as short a time as possible: the
    # writes above need no lock, and are rolled back with the rest if the seats do not fit.
    if seats_by_event and not pool.sell_held_seats(
        seats_by_event, line_ids=[line.pk for line in lines]
    ):
        # Inside the lock: this cart's seats, held or not, must still fit. A live hold always
        # does; an expired one does while nobody else took its seats.
        raise HoldLost()
    return order


def _seats_to_sell(
    lines: list[CartLine], resale: list[ResaleLine], authorisation: Authorisation
) -> dict[int, int]:
    """The seats the cart's lines take per event, once checked that they and its tickets of
    the resale are what was authorised and still on sale. (A ticket of the resale takes no
    seat: its seat was sold once, and stays sold once.)"""
    if not (lines or resale):
        raise CartEmpty()
    total = sum(line.subtotal_cents for line in lines) + sum(line.price_cents for line in resale)
    if total != authorisation.amount_cents:
        raise CartChanged()
    for resold in resale:
        ensure_on_sale(resold.listing.offer)
        closed = resale_closed(event=resold.listing.offer.event, now=calendar_now())
        if closed is not None:
            raise closed
    seats_by_event: defaultdict[int, int] = defaultdict(int)
    for line in lines:
        ensure_on_sale(line.offer)
        seats_by_event[line.offer.event_id] += line.quantity * line.offer.persons
    return seats_by_event


def _sell_resale(order: Order, cart_id: int, resale: list[ResaleLine]) -> list[Ticket]:
    """The order's lines for the cart's tickets of the resale, each sold to the buyer
    (``resale.services.sell_listings``); the buyer's new tickets."""
    order_lines = [
        OrderLine(
            order=order,
            offer_id=line.listing.offer_id,
            quantity=1,
            unit_price_cents=line.price_cents,
            persons=line.persons,
        )
        for line in resale
    ]
    OrderLine.objects.bulk_create(order_lines)
    bought = sell_listings(order=order, cart_id=cart_id, lines=resale, order_lines=order_lines)
    waitlist.fulfil_resale_offers(
        user=order.user, offer_ids={line.offer_id for line in order_lines}
    )
    return bought


def _write_order(
    order: Order, order_lines: list[OrderLine], tickets: list[Ticket], cart_id: int
) -> bool:
    """The order, its payment, lines and tickets, and the cart's lines deleted (their holds
    go when their seats are sold); False, with nothing written, if the order's key or
    reference is already taken. On PostgreSQL one statement rather than five round trips
    (when the order has lines of offers: one of the resale only is written the other way)."""
    if connection.vendor == "postgresql" and order_lines:
        return _write_order_at_once(order, order_lines, tickets, cart_id)
    if not sql.insert([order], unless_taken=True):
        return False
    sql.insert([order.payment])
    sql.insert(order_lines)
    sql.insert(tickets)
    sql.execute(_EMPTY_LINES, [cart_id])
    return True


_EMPTY_LINES = "DELETE FROM cart_cartline WHERE cart_id = %s"


# An instance's column given as an SQL expression and its parameters (``sql.insert_select``).
_Reference = Callable[[Any], tuple[str, list[Any]]]


def _write_order_at_once(
    order: Order, order_lines: list[OrderLine], tickets: list[Ticket], cart_id: int
) -> bool:
    in_order: dict[str, _Reference] = {"order_id": lambda obj: ("o.id", [])}
    in_line = {
        **in_order,
        # One line per offer in a cart, hence per offer in an order.
        "order_line_id": lambda ticket: (
            "(SELECT l.id FROM l WHERE l.offer_id = %s)",
            [ticket.order_line.offer_id],
        ),
    }
    parts = [
        sql.insert_select([order]),
        sql.insert_select([order.payment], in_order, "FROM o"),
        sql.insert_select(order_lines, in_order, "FROM o"),
        sql.insert_select(tickets, in_line, "FROM o"),
    ]
    query = (
        f"WITH o AS ({parts[0][0]} ON CONFLICT DO NOTHING RETURNING id), "
        f"p AS ({parts[1][0]} RETURNING id), "
        f"l AS ({parts[2][0]} RETURNING id, offer_id), "
        f"t AS ({parts[3][0]}), "
        # The cart is emptied only if the order was written.
        f"c AS ({_EMPTY_LINES} AND EXISTS (SELECT 1 FROM o)) "
        "SELECT o.id, p.id, l.id, l.offer_id FROM o, p, l"
    )
    params = [value for part in parts for value in part[1]]
    written = sql.rows(query, [*params, cart_id])
    if not written:
        return False
    order.pk, order.payment.pk = written[0][0], written[0][1]
    line_ids = {offer_id: line_id for _, _, line_id, offer_id in written}
    for line in order_lines:
        line.pk = line_ids[line.offer_id]
    sql.mark_saved([order, order.payment, *order_lines, *tickets])
    return True


def new_tickets(order_lines: list[OrderLine]) -> list[Ticket]:
    """One ticket per unit bought, each admitting the offer's persons, held by the buyer (not
    saved yet)."""
    return [
        Ticket(
            order=line.order,
            order_line=line,
            event=line.offer.event,
            holder=line.order.user,
            persons=line.persons,
        )
        for line in order_lines
        for _ in range(line.quantity)
    ]


def _capture(provider: PaymentProvider, order: Order) -> None:
    payment = order.payment
    try:
        # The acquirer's answer, then our record of it: two commits, as with a real acquirer
        # (a transaction around both would cost two more round trips to the database).
        provider.capture(payment.reference)
        payment.status, payment.updated_at = PaymentStatus.CAPTURED, timezone.now()
        sql.execute(
            "UPDATE payments_payment SET status = %s, updated_at = %s WHERE id = %s",
            [payment.status, payment.updated_at, payment.pk],
        )
    except Exception:
        # The order stands (the seats are sold, the amount authorised): the payments'
        # reconciliation captures it later (payments.services.reconcile_payments).
        payment.status = PaymentStatus.AUTHORISED
        logger.exception("Capture failed for order %s, retried later", order.reference)


def _void(provider: PaymentProvider, reference: str) -> None:
    try:
        provider.void(reference)
    except Exception:
        # The buyer sees why the order failed, not the provider's error: an authorisation
        # left without an order is voided by the payments' reconciliation.
        logger.exception("Void of %s failed, left to the reconciliation", reference)


def send_pending_confirmations(
    *, batch: int = 50, may_wait: Callable[[], bool] = lambda: False
) -> int:
    """Send the confirmation e-mail of every order that awaits one; how many were sent.

    Each batch is marked sent in the transaction that queues its e-mails (they leave after
    commit), and skips orders another sweep has locked: every e-mail goes out once.
    ``may_wait`` is asked before each batch: the sweep stops when it says the rest can wait
    (a rush that began meanwhile, see ``selectors.confirmations_may_wait``).
    """
    sent = 0
    while not may_wait():
        with transaction.atomic():
            orders = list(
                # Only the orders' rows: locking their buyers' rows too (the join) would hold up
                # those buyers' next purchases while the e-mails are made.
                Order.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(confirmation_due=True)
                .select_related("user")
                .order_by("id")[:batch]
            )
            if not orders:
                return sent
            for order in orders:
                send_order_confirmation(order)
            Order.objects.filter(pk__in=[order.pk for order in orders]).update(
                confirmation_due=False
            )
        sent += len(orders)
    return sent


def send_order_confirmation(order: Order) -> None:
    """The confirmation e-mail, with the order's tickets as one PDF (run by the Celery job:
    rendering them takes longer than the purchase itself)."""
    # Tickets given or resold before the e-mail left are the new holders' to print.
    tickets = order_tickets_of(order.user, reference=order.reference)
    attachments = (
        [
            (
                f"billets-{order.reference}.pdf",
                tickets_pdf(tickets, order.user.language),
                "application/pdf",
            )
        ]
        if tickets
        else []
    )
    send_templated_email(
        "orders/emails/confirmation",
        to=order.user.email,
        context={
            "order": order,
            "lines": list(order.lines.select_related("offer__event")),
            "tickets_path": reverse("tickets:list"),
            "order_path": reverse("orders:detail", kwargs={"reference": order.reference}),
            "invoice_path": reverse(
                "invoices:order_invoice", kwargs={"reference": order.reference}
            ),
        },
        language=order.user.language,
        attachments=attachments,
    )


@dataclass(frozen=True)
class RefundPlan:
    """What refunding some tickets does: cancel ``tickets``, refund ``amount_cents``."""

    tickets: list[Ticket]
    amount_cents: int


def plan_refund(*, tickets: Iterable[Ticket]) -> RefundPlan:
    """The refund of these tickets of one order (each with its order line): the valid ones
    are cancelled and their price refunded. Refused when one of them was used at the gate,
    or none is left to cancel. The back office shows it before asking; ``refund_tickets``
    applies it to the tickets as locked."""
    valid = [ticket for ticket in tickets if ticket.state == TicketState.VALID]
    if any(ticket.used_at for ticket in valid):
        raise TicketAlreadyUsed()
    if not valid:
        raise NothingToRefund()
    return RefundPlan(valid, sum(ticket.order_line.unit_price_cents for ticket in valid))


@dataclass(frozen=True)
class Refunded:
    """What ``refund_tickets`` did: the tickets cancelled and the refund owed for them."""

    tickets: list[Ticket]
    refund: Refund
    everything: bool  # no valid ticket is left in the order

    @property
    def amount_cents(self) -> int:
        return self.refund.amount_cents

    @property
    def paid(self) -> bool:
        """Whether the provider has accepted the refund (read after the commit)."""
        self.refund.refresh_from_db(fields=["status"])
        return self.refund.status == RefundStatus.DONE


@transaction.atomic
def refund_tickets(*, order: Order, tickets: Iterable[Ticket]) -> Refunded:
    """Cancel and refund these tickets of ``order`` (all of them for a whole order).

    The tickets become « Annulé » (the gate refuses them), their seats go back to the pool,
    the amount is owed back to the card, the customer is told by e-mail. The provider is asked
    once this transaction has committed, and again later if it fails
    (``payments.services.request_refund``): never while the order's rows are locked, never
    twice.
    """
    order = Order.objects.select_for_update(of=("self",)).select_related("user").get(pk=order.pk)
    wanted = [ticket.pk for ticket in tickets]
    plan = plan_refund(
        tickets=Ticket.objects.select_for_update(of=("self",))
        .select_related("order_line__offer__event")
        .filter(order=order, pk__in=wanted, state=TicketState.VALID)
        .order_by("pk")
    )
    locked, amount = plan.tickets, plan.amount_cents
    Ticket.objects.filter(pk__in=[t.pk for t in locked]).update(state=TicketState.CANCELLED)
    void_transfers(ticket_ids=[t.pk for t in locked])
    pool.release_sold_seats(_seats_of(locked))
    waitlist.seats_returned(events=[ticket.order_line.offer.event for ticket in locked])

    ids = ",".join(str(t.pk) for t in locked)
    key = "refund-" + hashlib.sha256(f"{order.reference}:{ids}".encode()).hexdigest()[:40]
    refund = owe_refund(order=order, amount_cents=amount, idempotency_key=key)
    everything = order.status == OrderStatus.REFUNDED
    send_templated_email(
        "orders/emails/refund",
        to=order.user.email,
        context={
            "order": order,
            "tickets": locked,
            "amount_cents": amount,
            "everything": everything,
        },
        language=order.user.language,
    )
    return Refunded(tickets=locked, refund=refund, everything=everything)


def _seats_of(tickets: list[Ticket]) -> Counter[int]:
    seats: Counter[int] = Counter()
    for ticket in tickets:
        seats[ticket.event_id] += ticket.persons
    return seats
