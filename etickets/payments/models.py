from django.db import models
from django.utils.translation import gettext_lazy as _

from etickets.core.models import Attempts


class PaymentStatus(models.TextChoices):
    AUTHORISED = "authorised", _("autorisé")
    CAPTURED = "captured", _("encaissé")
    VOIDED = "voided", _("annulé")
    PARTIALLY_REFUNDED = "part_refunded", _("partiellement remboursé")
    REFUNDED = "refunded", _("remboursé")
    DECLINED = "declined", _("refusé")


class Payment(Attempts):
    """The shop's record of an order's payment: the acquirer's reference, never the card.
    ``AUTHORISED`` once its order is written, ``CAPTURED`` once the provider took the money
    (right after the order; if that fails, the reconciliation retries)."""

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=40)
    reference = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=14, choices=PaymentStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="authorised"),
                name="payments_payment_to_capture",
            )
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"


class SandboxCharge(models.Model):
    """The sandbox acquirer's own ledger, as a real acquirer keeps one on its side.

    Like the shop, it keeps no card number and no security code.
    """

    reference = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    amount_cents = models.PositiveIntegerField()
    refunded_cents = models.PositiveIntegerField(default=0)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=14, choices=PaymentStatus.choices)
    decline_code = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opération de la banque de test")
        verbose_name_plural = _("opérations de la banque de test")

    def __str__(self):
        return f"{self.reference} {self.amount_cents} ({self.status})"


class SandboxRefund(models.Model):
    """A refund in the sandbox acquirer's ledger; its key makes a retried refund harmless."""

    charge = models.ForeignKey(SandboxCharge, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=64, unique=True)
    amount_cents = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement de la banque de test")
        verbose_name_plural = _("remboursements de la banque de test")

    def __str__(self):
        return f"{self.idempotency_key}: {self.amount_cents}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    DONE = "done", _("effectué")


class Refund(Attempts):
    """Money the shop owes back on a payment. Written with the cancellation that causes it,
    paid to the provider after that transaction commits, and retried until the provider
    accepts it; its key makes a retry harmless (the provider pays a key once)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="payments_refund_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key}: {self.amount_cents} ({self.get_status_display()})"


class OrphanAuthorisation(Attempts):
    """An authorisation the provider holds and no order of ours has (the process died, or the
    database failed, between authorising and recording): voided, so that the buyer's money is
    not held for nothing. Found by asking the provider, never from our own records alone."""

    reference = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=64)
    amount_cents = models.PositiveIntegerField()
    authorised_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("autorisation orpheline")
        verbose_name_plural = _("autorisations orphelines")

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount_cents}"
