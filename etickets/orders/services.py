"""Placing an order: one charge, one order, never more seats sold than the event has."""

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.cart.selectors import cart_lines, cart_summary
from etickets.cart.services import ensure_on_sale, lock_cart
from etickets.catalog.selectors import held_seats_by_event
from etickets.catalog.services import busy_on_lock_timeout, lock_seat_pools
from etickets.core import sql
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.payments.models import Payment, PaymentStatus
from etickets.payments.providers import Authorisation, get_provider
from etickets.tickets.models import Ticket
from etickets.tickets.pdf import tickets_pdf
from etickets.tickets.selectors import order_tickets_for_owner

from .models import Order, OrderLine, new_reference

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


class CartChanged(DomainError):
    message = _(
        "Votre panier a changé pendant le paiement. Vous n'avez pas été débité : vérifiez le "
        "nouveau total et payez de nouveau."
    )
    code = "cart_changed"


class KeyAlreadyUsed(DomainError):
    message = _("Ce formulaire de paiement a déjà servi. Rechargez la page de paiement.")
    code = "key_used"


class _AlreadyPlaced(Exception):
    def __init__(self, order):
        self.order = order


Authorise = Callable[[int, str], Authorisation]


def place_order(*, user, idempotency_key: uuid.UUID, authorise: Authorise) -> Order:
    """Charge the cart's total and turn its holds into an order with its tickets.

    The amount comes from the database. ``authorise`` (see payments.services.card_authoriser)
    reserves it on the card before the pools are locked, so that no buyer waits on a bank while
    holding the seats of an event; then one short transaction re-checks the holds, sells the
    seats, and writes the order, its payment and its tickets. If that fails, the authorisation is
    voided and the cart is left as it was. The same ``idempotency_key`` always gives the same
    order: one order and one charge, however many times « Payer » is sent.
    """
    summary = cart_summary(user)
    if not summary.lines:
        # Most often the same « Payer » sent again: its order has emptied the cart. (Sent again
        # with a cart filled since, it finds its order inside the lock, as a double click does.)
        existing = _order_with_key(idempotency_key)
        if existing is not None:
            return _replayed(existing, user)
        raise CartEmpty()
    authorisation = authorise(summary.total_cents, f"JO E-Tickets — {user.email}")
    provider = get_provider()
    try:
        order = _record_order(user, idempotency_key, authorisation, provider.name)
    except _AlreadyPlaced as replay:
        return _replayed(replay.order, user)
    except BaseException:
        provider.void(authorisation.reference)
        raise
    _capture(provider, order)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker, hence no periodic job to sweep the outbox: send it now.
        transaction.on_commit(send_pending_confirmations)
    return order


def _replayed(order: Order, user) -> Order:
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


@busy_on_lock_timeout
@transaction.atomic
def _record_order(user, idempotency_key, authorisation: Authorisation, provider_name) -> Order:
    cart_id = lock_cart(user)
    lines = cart_lines(cart_id=cart_id)
    if not lines:
        _raise_if_placed(idempotency_key)  # the same « Payer » sent twice: the first one won
        raise CartEmpty()
    order = Order(
        user=user,
        idempotency_key=idempotency_key,
        total_cents=authorisation.amount_cents,
        confirmation_due=True,
    )
    order.reference = new_reference()
    # Written first, so that a key already used shows before anything is checked: the charge
    # authorised with it is then the first order's, and must not be voided.
    while not sql.insert([order], unless_taken=True):
        _raise_if_placed(idempotency_key)
        order.reference = new_reference()  # 40 random bits: seldom taken
    if sum(line.subtotal_cents for line in lines) != authorisation.amount_cents:
        raise CartChanged()
    seats_by_event = defaultdict(int)
    for line in lines:
        ensure_on_sale(line.offer)
        seats_by_event[line.offer.event_id] += line.quantity * line.offer.persons
    order.payment = Payment(
        order=order,
        provider=provider_name,
        reference=authorisation.reference,
        brand=authorisation.brand,
        last4=authorisation.last4,
        amount_cents=authorisation.amount_cents,
        status=PaymentStatus.AUTHORISED,
    )
    sql.insert([order.payment])
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
    sql.insert(order_lines)
    tickets = issue_tickets(order_lines)
    sql.set_prefetched(order, "tickets", tickets)  # describing the order reads them
    # The cart is emptied, holds first: the seats they kept are sold now.
    sql.execute(
        "DELETE FROM cart_hold WHERE line_id IN (SELECT id FROM cart_cartline WHERE cart_id = %s)",
        [cart_id],
    )
    sql.execute("DELETE FROM cart_cartline WHERE cart_id = %s", [cart_id])

    # Last, so that every buyer of these events waits for as short a time as possible: the
    # writes above need no lock, and are rolled back with the rest if the seats do not fit.
    pools = lock_seat_pools(seats_by_event)
    held_elsewhere = held_seats_by_event(pools, excluding_cart_id=cart_id)
    for event_id, seats in seats_by_event.items():
        # Inside the lock: this cart's seats, held or not, must still fit. A live hold always
        # does; an expired one does while nobody else took its seats.
        pool = pools[event_id]
        if seats > pool.capacity - pool.sold - held_elsewhere.get(event_id, 0):
            raise HoldLost()
    cases = " ".join(["WHEN %s THEN %s"] * len(seats_by_event))
    sql.execute(
        f"UPDATE catalog_event SET sold = sold + CASE id {cases} END "
        f"WHERE id IN ({sql.marks(seats_by_event)})",
        [*(value for pair in seats_by_event.items() for value in pair), *seats_by_event],
    )
    return order


def issue_tickets(order_lines: list[OrderLine]) -> list[Ticket]:
    """One ticket per unit bought, each admitting the offer's persons, held by the buyer."""
    tickets = [
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
    sql.insert(tickets)
    return tickets


def _capture(provider, order: Order) -> None:
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
        # The order stands (the seats are sold, the amount authorised); finance retries.
        payment.status = PaymentStatus.AUTHORISED
        logger.exception("Capture failed for order %s", order.reference)


def send_pending_confirmations(
    batch: int = 50, may_wait: Callable[[], bool] = lambda: False
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
    tickets = order_tickets_for_owner(order.user, order.reference)
    pdf = tickets_pdf(tickets, order.user.language)
    send_templated_email(
        "orders/emails/confirmation",
        to=order.user.email,
        context={
            "order": order,
            "lines": list(order.lines.select_related("offer__event")),
            "tickets_path": reverse("tickets:list"),
            "order_path": reverse("orders:detail", kwargs={"reference": order.reference}),
        },
        language=order.user.language,
        attachments=[(f"billets-{order.reference}.pdf", pdf, "application/pdf")],
    )
