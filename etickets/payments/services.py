"""The shop's side of the payment provider: authorising a card, paying refunds back."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

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
# Every call the provider must eventually accept — a capture, a refund, the void of an orphan
# authorisation — is a row with ``Attempts``. A worker takes the row for one attempt with a
# conditional UPDATE (its lease, CALL_LEASE_SECONDS, in ``retry_at``), calls the provider
# outside any transaction, then writes the answer; a failure sets the next attempt, sooner
# first, then less and less often. Two workers, on one node or several, never make the same
# call at once, and the provider's idempotency makes a call repeated after a crash harmless.

CALL_LEASE_SECONDS = 60  # longer than any provider's answer takes
_MAX_BACKOFF_SECONDS = 3600


def _take(rows: QuerySet[Any], now: datetime.datetime) -> bool:
    """Take the one row of ``rows`` for an attempt, if it is due and nobody has it."""
    return bool(
        rows.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now)).update(
            retry_at=now + datetime.timedelta(seconds=CALL_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )


def _failed(rows: QuerySet[Any], error: Exception, attempts: int) -> None:
    """Note a failed attempt; the next one after PAYMENT_RETRY_SECONDS, doubling each time."""
    delay = min(settings.PAYMENT_RETRY_SECONDS * 2 ** max(attempts - 1, 0), _MAX_BACKOFF_SECONDS)
    rows.update(
        last_error=repr(error)[:200],
        retry_at=timezone.now() + datetime.timedelta(seconds=delay),
    )


def _call(rows: QuerySet[Any], call: Callable[[Any], object], done: dict[str, Any]) -> bool:
    """One attempt at ``call`` for the one row of ``rows``: whether the provider accepted it
    (then ``done`` is written on the row). False when the row is not due, or taken."""
    if not _take(rows, timezone.now()):
        return False
    row = rows.get()
    try:
        call(row)
    except Exception as error:
        logger.warning(
            "%s %s: the provider refused, retried later: %r", row._meta.model_name, row.pk, error
        )
        _failed(rows, error, row.attempts)
        return False
    rows.update(retry_at=None, last_error="", **done)
    return True


def pay_refund(*, refund_id: int) -> bool:
    """Ask the provider to pay this refund, if still owed; whether it is paid (by this call
    or an earlier one)."""
    return (
        _send_refund(refund_id)
        or Refund.objects.filter(pk=refund_id, status=RefundStatus.DONE).exists()
    )


def _send_refund(refund_id: int) -> bool:
    """Whether this very call had the refund paid."""
    return _call(
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
    return _call(
        Payment.objects.filter(pk=payment_id, status=PaymentStatus.AUTHORISED),
        lambda payment: get_provider().capture(payment.reference),
        {"status": PaymentStatus.CAPTURED, "updated_at": timezone.now()},
    )


def void_orphan(*, orphan_id: int) -> bool:
    """Ask the provider to void this orphan authorisation; whether this call voided it."""
    return _call(
        OrphanAuthorisation.objects.filter(pk=orphan_id, voided_at__isnull=True),
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
    # A payment, refund or authorisation younger than this is still in the hands of the
    # request that made it.
    settled = now - datetime.timedelta(seconds=settings.PAYMENT_RETRY_SECONDS)
    due = Q(retry_at__lte=now) | Q(retry_at__isnull=True, created_at__lte=settled)
    to_capture = Payment.objects.filter(due, status=PaymentStatus.AUTHORISED)
    owed = Refund.objects.filter(due, status=RefundStatus.PENDING)
    captured = sum(capture_payment(payment_id=pk) for pk in to_capture.values_list("pk", flat=True))
    refunded = sum(_send_refund(pk) for pk in owed.values_list("pk", flat=True))
    _find_orphans(now - datetime.timedelta(seconds=settings.AUTHORISATION_GRACE_SECONDS))
    orphans = OrphanAuthorisation.objects.filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now), voided_at__isnull=True
    )
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
