"""Money owed back on an order: the one place an order's refunded amount and status change
(a refund by the back office, a ticket resold on the official resale)."""

from etickets.invoices.services import issue_after_commit
from etickets.payments.models import PaymentStatus, Refund
from etickets.payments.services import request_refund
from etickets.tickets.models import TicketState

from .models import Order, OrderStatus

# The tickets that still make an order « payée »: those that may still enter, listed or not.
LIVE_STATES = (TicketState.VALID, TicketState.LISTED)


def owe_refund(*, order: Order, amount_cents: int, idempotency_key: str) -> Refund:
    """Owe ``amount_cents`` back on the card that paid ``order`` (locked by the caller, its
    tickets already changed): the order and its payment say how much is refunded, and the
    provider is asked once the caller's transaction commits, then again until it accepts
    (``payments.services``). The key makes a second request for the same reason a no-op at
    the provider and a conflict here: never paid twice. The refund's credit note is issued
    after the commit (``invoices.services``)."""
    order.refunded_cents += amount_cents
    everything = not order.tickets.filter(state__in=LIVE_STATES).exists()
    order.status = OrderStatus.REFUNDED if everything else OrderStatus.PARTIALLY_REFUNDED
    order.invoicing_due = True
    order.save(update_fields=["refunded_cents", "status", "invoicing_due"])
    issue_after_commit()
    payment = order.payment
    if payment.status != PaymentStatus.AUTHORISED:  # its capture, still owed, is retried first
        payment.status = PaymentStatus.REFUNDED if everything else PaymentStatus.PARTIALLY_REFUNDED
        payment.save(update_fields=["status", "updated_at"])
    return request_refund(
        payment=payment, amount_cents=amount_cents, idempotency_key=idempotency_key
    )
