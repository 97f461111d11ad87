import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# No 0/O or 1/I: a reference is read aloud on the phone to the support team.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A readable order reference such as JO24-7KQ2-M9XD (40 random bits)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"JO24-{chars[:4]}-{chars[4:]}"


def new_purchase_key() -> bytes:
    return secrets.token_bytes(32)


class OrderStatus(models.TextChoices):
    PAID = "paid", _("Payée")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partiellement remboursée")
    REFUNDED = "refunded", _("Remboursée")


class Order(models.Model):
    """A paid purchase (« Commande »)."""

    reference = models.CharField(_("référence"), max_length=14, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    # The key of the payment page's form: a replay of « Payer » finds this order again.
    idempotency_key = models.UUIDField(unique=True, editable=False)
    total_cents = models.PositiveIntegerField(_("total (centimes d'euro)"))
    status = models.CharField(
        _("état"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PAID
    )
    refunded_cents = models.PositiveIntegerField(_("remboursé (centimes d'euro)"), default=0)
    # Secret of the order that, with the holder's account key, keys its tickets
    # (docs/ARCHITECTURE.md, « Tickets »).
    purchase_key = models.BinaryField(max_length=32, default=new_purchase_key, editable=False)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # The confirmation e-mail is still to be sent: an outbox, swept by a periodic job, so that
    # paying waits for no message broker (and loses no e-mail if the broker is down).
    confirmation_due = models.BooleanField(default=False, editable=False)
    # Its invoice, or a credit note for a refund, is still to be issued (etickets.invoices): an
    # outbox that the numbering step empties after the purchase's commit, so that paying never
    # waits for the one lock that numbers invoices.
    invoicing_due = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(confirmation_due=True),
                name="orders_order_confirmation_due",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(invoicing_due=True),
                name="orders_order_invoicing_due",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"reference": self.reference})

    @property
    def ticket_count(self) -> int:
        return sum(line.quantity for line in self.lines.all())


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey("catalog.Offer", on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveSmallIntegerField(_("quantité"))
    unit_price_cents = models.PositiveIntegerField(_("prix unitaire (centimes d'euro)"))
    persons = models.PositiveSmallIntegerField(_("personnes par billet"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")

    def __str__(self):
        return f"{self.quantity} × {self.offer}"

    @property
    def subtotal_cents(self) -> int:
        return self.quantity * self.unit_price_cents
