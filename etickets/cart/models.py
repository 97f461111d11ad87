from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cart(models.Model):
    """A user's « Panier »: one per account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")

    def __str__(self):
        return f"Panier de {self.user}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey("catalog.Offer", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantité"))
    added_at = models.DateTimeField(auto_now_add=True)
    # The cart's holds were renewed once after they expired: the next expiry ends them (the
    # same on every line of a cart, as they share one deadline).
    hold_renewed = models.BooleanField(default=False)
    # Seats given from a waiting list: held for this buyer until then (etickets.waitlist).
    offered_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("ligne de panier")
        verbose_name_plural = _("lignes de panier")
        constraints = [
            models.UniqueConstraint(fields=["cart", "offer"], name="cart_line_one_per_offer"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_line_quantity"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.offer}"

    @property
    def subtotal_cents(self) -> int:
        return self.quantity * self.offer.price_cents
