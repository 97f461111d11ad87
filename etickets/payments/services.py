"""The shop's side of the payment provider: authorising a card, paying refunds back."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from etickets.core.attempts import attempt, due

from .cards import Card
from .models import OrphanAuthorisation, Payment, PaymentStatus, Refund, RefundStatus
from .providers import Authorisation, get_provider

logger = logging.getLogger(__name__)


def card_authoriser(card: Card, *, idempotency_key: str) -> Callable[[int, str], Authorisation]:
    """A function that authorises an amount on this card through the provider.

    The shop's checkout calls it with the amount it computed; it never sees the card itself.
    """
    provider = get_provider()

    def authorise(amount_cents: int, description: str) -> Authorisation:
        return provider.authorise(
            amount_cents=amount_cents,
            card=card,
            idempotency_key=idempotency_key,
            description=description,
        )

    return authorise


def request_refund(*, payment: Payment, amount_cents: int, idempotency_key: str) -> Refund:
    """Owe ``amount_cents`` back on ``payment``, inside the caller's transaction; the provider
    is asked once it commits (never while the caller holds its row locks)."""
    refund = Refund.objects.create(
        payment=payment, amount_cents=amount_cents, idempotency_key=idempotency_key
    )
    transaction.on_commit(lambda: pay_refund(refund_id=refund.pk))
    return refund


# --- Reconciliation -----------------------------------------------------------------------
# Every call the provider must accept in the end — a capture, a refund, the void of an orphan
# authorisation — is a row with ``Attempts``, sent again by ``core.attempts`` until it is.


def _attempt(rows: QuerySet[Any], call: Callable[[Any], object], done: dict[str, Any]) -> bool:
    return attempt(rows, call, done=done, retry_seconds=settings.PAYMENT_RETRY_SECONDS)


def pay_refund(*, refund_id: int) -> bool:
    """Ask the provider to pay this refund, if still owed; whether it is paid (by this call
    or an earlier one)."""
    return (
        _send_refund(refund_id)
        or Refund.objects.filter(pk=refund_id, status=RefundStatus.DONE).exists()
    )


def _send_refund(refund_id: int) -> bool:
    """Whether this very call had the refund paid."""
    return _attempt(
        Refund.objects.filter(pk=refund_id, status=RefundStatus.PENDING).select_related("payment"),
        lambda refund: get_provider().refund(
            refund.payment.reference,
            amount_cents=refund.amount_cents,
            idempotency_key=refund.idempotency_key,
        ),
        {"status": RefundStatus.DONE, "updated_at": timezone.now()},
    )


def capture_payment(*, payment_id: int) -> bool:
    """Ask the provider to capture this payment again; whether this call captured it."""
    return _attempt(
        Payment.objects.filter(pk=payment_id, status=PaymentStatus.AUTHORISED),
        lambda payment: get_provider().capture(payment.reference),
        {"status": PaymentStatus.CAPTURED, "updated_at": timezone.now()},
    )


def void_orphan(*, orphan_id: int) -> bool:
    """Ask the provider to void this orphan authorisation; whether this call voided it. Never
    once an order has it (a checkout cannot use an authorisation that old: orders.services)."""
    has_order = Payment.objects.filter(reference=OuterRef("reference"))
    return _attempt(
        OrphanAuthorisation.objects.filter(pk=orphan_id, voided_at__isnull=True).exclude(
            Exists(has_order)
        ),
        lambda orphan: get_provider().void(orphan.reference),
        {"voided_at": timezone.now()},
    )


@dataclass(frozen=True)
class Reconciled:
    captured: int
    refunded: int
    voided: int


def reconcile_payments() -> Reconciled:
    """The periodic job (every 30 s): capture the payments whose capture failed or never
    happened, pay the refunds still owed, void the authorisations no order has. Safe to run
    twice at once, on one node or several."""
    now = timezone.now()
    # A payment or refund younger than this is still in the hands of the request that made it.
    settled = now - datetime.timedelta(seconds=settings.PAYMENT_RETRY_SECONDS)
    first_or_due = Q(retry_at__lte=now) | Q(retry_at__isnull=True, created_at__lte=settled)
    to_capture = Payment.objects.filter(first_or_due, status=PaymentStatus.AUTHORISED)
    owed = Refund.objects.filter(first_or_due, status=RefundStatus.PENDING)
    captured = sum(capture_payment(payment_id=pk) for pk in to_capture.values_list("pk", flat=True))
    refunded = sum(_send_refund(pk) for pk in owed.values_list("pk", flat=True))
    try:
        _find_orphans(now - datetime.timedelta(seconds=settings.AUTHORISATION_GRACE_SECONDS))
    except Exception:  # the provider unreachable: those found before are still voided
        logger.warning("The provider's open authorisations could not be listed", exc_info=True)
    orphans = OrphanAuthorisation.objects.filter(due(now), voided_at__isnull=True)
    voided = sum(void_orphan(orphan_id=pk) for pk in orphans.values_list("pk", flat=True))
    return Reconciled(captured, refunded, voided)


def _find_orphans(older_than: datetime.datetime) -> None:
    """Ask the provider which authorisations it still holds, and note those no payment of ours
    refers to (their order was never written)."""
    held = get_provider().open_authorisations(older_than=older_than)
    ours = set(
        Payment.objects.filter(reference__in=[a.reference for a in held]).values_list(
            "reference", flat=True
        )
    )
    OrphanAuthorisation.objects.bulk_create(
        [
            OrphanAuthorisation(
                reference=a.reference,
                idempotency_key=a.idempotency_key,
                amount_cents=a.amount_cents,
                authorised_at=a.created_at,
            )
            for a in held
            if a.reference not in ours
        ],
        ignore_conflicts=True,  # found by another run too
    )
