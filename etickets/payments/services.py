"""The shop's side of the payment provider: authorising a card, paying refunds back."""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .cards import Card
from .models import Payment, Refund, RefundStatus
from .providers import Authorisation, get_provider

logger = logging.getLogger(__name__)

# Longer than any provider's answer takes: past it, a worker that died sending is replaced.
REFUND_CLAIM_SECONDS = 60


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


def pay_refund(*, refund_id: int) -> bool:
    """Ask the provider to pay this refund, if still owed; whether it is paid now.

    Outside any transaction, so that no row stays locked while the provider answers: the
    refund is claimed for ``REFUND_CLAIM_SECONDS`` first (two workers never send it at once),
    and its key makes a resend after a crash harmless. A refusal or an unreachable provider
    leaves it owed, for ``retry_pending_refunds``.
    """
    now = timezone.now()
    owed = Refund.objects.filter(pk=refund_id, status=RefundStatus.PENDING)
    claimed = owed.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(
        claimed_until=now + datetime.timedelta(seconds=REFUND_CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return Refund.objects.filter(pk=refund_id, status=RefundStatus.DONE).exists()
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    try:
        get_provider().refund(
            refund.payment.reference,
            amount_cents=refund.amount_cents,
            idempotency_key=refund.idempotency_key,
        )
    except Exception as error:
        logger.warning("Refund %s not paid yet: %r", refund.idempotency_key, error)
        owed.update(last_error=repr(error)[:200], claimed_until=None, updated_at=timezone.now())
        return False
    owed.update(
        status=RefundStatus.DONE, last_error="", claimed_until=None, updated_at=timezone.now()
    )
    return True


def retry_pending_refunds() -> int:
    """Send again every refund still owed a while after it was asked (the periodic job); how
    many are paid now."""
    since = timezone.now() - datetime.timedelta(seconds=settings.REFUND_RETRY_SECONDS)
    owed = Refund.objects.filter(status=RefundStatus.PENDING, updated_at__lte=since)
    return sum(pay_refund(refund_id=pk) for pk in owed.values_list("pk", flat=True))
