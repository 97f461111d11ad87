from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Avoir")


# Each kind has its own sequence, and its numbers their own prefix: F-000001, AV-000001.
NUMBER_PREFIXES = {DocumentKind.INVOICE: "F", DocumentKind.CREDIT_NOTE: "AV"}


def document_number(kind: str, sequence: int) -> str:
    return f"{NUMBER_PREFIXES[DocumentKind(kind)]}-{sequence:06d}"


class AlreadyIssued(Exception):
    """A change to an issued invoice or credit note: a bug, never the user's doing."""


class WrittenOnceQuerySet(models.QuerySet):
    """Rows that are inserted, never updated nor deleted: an issued invoice is corrected by a
    credit note, never edited (docs/ARCHITECTURE.md, « Invoices »)."""

    def update(self, **kwargs: Any) -> int:
        raise AlreadyIssued(self.model.__name__)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AlreadyIssued(self.model.__name__)


class WrittenOnce(models.Model):
    objects = WrittenOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AlreadyIssued(str(self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AlreadyIssued(str(self))


class Invoice(WrittenOnce):
    """An invoice (« Facture ») of an order, or a credit note (« Avoir ») of one of its refunds:
    everything its PDF prints, copied when it is issued, so that it prints the same forever."""

    kind = models.CharField(_("type"), max_length=12, choices=DocumentKind.choices)
    # Its place in its kind's sequence: 1, 2, 3… without gaps, in the order of issue.
    sequence = models.PositiveIntegerField(editable=False)
    number = models.CharField(_("numéro"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("date"), db_index=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("commande"),
    )
    # A credit note's invoice, and the refund it is for.
    credited = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    refund = models.OneToOneField(
        "payments.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
    )
    seller_name = models.CharField(max_length=200)
    seller_address = models.TextField()
    seller_siret = models.CharField(max_length=20)
    seller_vat_number = models.CharField(max_length=20)
    buyer_name = models.CharField(_("client"), max_length=301)
    buyer_email = models.EmailField()
    # When the money moved: the payment of an invoice, the refund of a credit note.
    paid_at = models.DateTimeField()
    payment_brand = models.CharField(max_length=20)
    payment_last4 = models.CharField(max_length=4)
    vat_rate = models.PositiveIntegerField()  # basis points: 1000 = 10 %
    total_before_tax_cents = models.PositiveIntegerField()
    total_vat_cents = models.PositiveIntegerField()
    total_cents = models.PositiveIntegerField()

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("facture ou avoir")
        verbose_name_plural = _("factures et avoirs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "sequence"], name="invoices_gapless_numbers"),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind=DocumentKind.INVOICE),
                name="invoices_one_invoice_per_order",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_cents=models.F("total_before_tax_cents") + models.F("total_vat_cents")
                ),
                name="invoices_totals_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind=DocumentKind.INVOICE, credited__isnull=True, refund__isnull=True
                )
                | models.Q(
                    kind=DocumentKind.CREDIT_NOTE, credited__isnull=False, refund__isnull=False
                ),
                name="invoices_credit_note_of_a_refund",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE

    @property
    def vat_percent(self) -> Decimal:
        return Decimal(self.vat_rate) / 100

    @property
    def filename(self) -> str:
        return f"{'avoir' if self.is_credit_note else 'facture'}-{self.number}.pdf"


class InvoiceLine(WrittenOnce):
    """A line as printed: its description (in French, the invoice's language), quantity, unit
    price before and with tax, and totals."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    description = models.CharField(max_length=400)
    quantity = models.PositiveIntegerField()
    unit_price_before_tax_cents = models.PositiveIntegerField()
    unit_price_cents = models.PositiveIntegerField()
    total_before_tax_cents = models.PositiveIntegerField()
    total_vat_cents = models.PositiveIntegerField()
    total_cents = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total_cents=models.F("total_before_tax_cents") + models.F("total_vat_cents")
                ),
                name="invoices_line_totals_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"
