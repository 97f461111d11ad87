"""The sandbox acquirer: the default provider, behaving like a real payment service provider.

It answers with an opaque reference, honours idempotency keys and the usual test cards:

- 4242 4242 4242 4242: approved
- 4000 0000 0000 0002: declined
- 4000 0000 0000 9995: insufficient funds
- 4000 0000 0000 0119: processing error

and approves any other valid card. Its ledger (``SandboxCharge``) keeps no card data.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from etickets.core import sql

from .cards import BRAND_NAMES, Card
from .models import PaymentStatus, SandboxCharge, SandboxRefund
from .providers import (
    Authorisation,
    InsufficientFunds,
    OpenAuthorisation,
    PaymentDeclined,
    ProcessingError,
)

CHARGE = sql.Loader(SandboxCharge)

TEST_CARD_REFUSALS = {
    "4000000000000002": PaymentDeclined,
    "4000000000009995": InsufficientFunds,
    "4000000000000119": ProcessingError,
}


class SandboxAcquirer:
    name = "sandbox"

    def authorise(self, *, amount_cents, card: Card, idempotency_key, description=""):
        refusal = TEST_CARD_REFUSALS.get(card.number)
        if card.brand is None:
            raise PaymentDeclined()  # a network it does not serve, as an acquirer answers
        now = timezone.now()
        # The same key sent twice, even at the same moment, finds the first charge.
        charge = f"RETURNING {CHARGE.select('payments_sandboxcharge')}"
        created = sql.row(
            "INSERT INTO payments_sandboxcharge (reference, idempotency_key, amount_cents, "
            "refunded_cents, brand, last4, status, decline_code, description, created_at, "
            "updated_at) VALUES (%s, %s, %s, 0, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (idempotency_key) DO NOTHING {charge}",
            [
                f"sbx_{secrets.token_urlsafe(18)}",
                idempotency_key,
                amount_cents,
                BRAND_NAMES[card.brand],
                card.last4,
                PaymentStatus.DECLINED if refusal else PaymentStatus.AUTHORISED,
                refusal.code if refusal else "",
                description[:200],
                now,
                now,
            ],
        ) or sql.row(
            f"SELECT {CHARGE.select('c')} FROM payments_sandboxcharge c "
            "WHERE c.idempotency_key = %s",
            [idempotency_key],
        )
        return self._answer(CHARGE.load(created))

    def _answer(self, charge: SandboxCharge) -> Authorisation:
        if charge.status == PaymentStatus.DECLINED:
            refusal = next(
                (r for r in TEST_CARD_REFUSALS.values() if r.code == charge.decline_code),
                PaymentDeclined,
            )
            raise refusal()
        if charge.status == PaymentStatus.VOIDED:
            raise PaymentDeclined()
        return Authorisation(
            charge.reference, charge.brand, charge.last4, charge.amount_cents, charge.created_at
        )

    def _move(self, reference, allowed_from, to):
        updated = sql.execute(
            "UPDATE payments_sandboxcharge SET status = %s, updated_at = %s "
            f"WHERE reference = %s AND status IN ({sql.marks(allowed_from)})",
            [to, timezone.now(), reference, *allowed_from],
        )
        if (
            not updated
            and not SandboxCharge.objects.filter(reference=reference, status=to).exists()
        ):
            raise ProcessingError()

    def capture(self, reference):
        self._move(reference, [PaymentStatus.AUTHORISED], PaymentStatus.CAPTURED)

    def void(self, reference):
        self._move(reference, [PaymentStatus.AUTHORISED], PaymentStatus.VOIDED)

    def refund(self, reference, *, amount_cents, idempotency_key):
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().get(reference=reference)
            if charge.refunds.filter(idempotency_key=idempotency_key).exists():
                return  # the same refund asked again
            refundable = (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED)
            if charge.status not in refundable:
                raise ProcessingError()
            if charge.refunded_cents + amount_cents > charge.amount_cents:
                raise ProcessingError()
            SandboxRefund.objects.create(
                charge=charge, idempotency_key=idempotency_key, amount_cents=amount_cents
            )
            charge.refunded_cents += amount_cents
            charge.status = (
                PaymentStatus.REFUNDED
                if charge.refunded_cents == charge.amount_cents
                else PaymentStatus.PARTIALLY_REFUNDED
            )
            charge.save(update_fields=["refunded_cents", "status", "updated_at"])

    def open_authorisations(self, *, older_than: datetime.datetime) -> list[OpenAuthorisation]:
        charges = SandboxCharge.objects.filter(
            status=PaymentStatus.AUTHORISED, created_at__lt=older_than
        ).order_by("created_at")
        return [
            OpenAuthorisation(
                charge.reference, charge.idempotency_key, charge.amount_cents, charge.created_at
            )
            for charge in charges
        ]
