from django.conf import settings
from django.db import models
from django.utils import timezone
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


class ResaleLine(models.Model):
    """A ticket of the official resale in a cart: its listing is held for this cart until
    ``held_until``; past it, another buyer may take it (and this line then goes). One cart at
    a time holds a listing."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="resale_lines")
    listing = models.OneToOneField(
        "resale.Listing", on_delete=models.CASCADE, related_name="cart_line"
    )
    # The listing's, copied: what the cart counts (its limits, its total) without a join.
    event = models.ForeignKey("catalog.Event", on_delete=models.CASCADE, related_name="+")
    price_cents = models.PositiveIntegerField(_("prix (centimes d'euro)"))
    persons = models.PositiveSmallIntegerField(_("personnes"))
    held_until = models.DateTimeField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("billet de revente dans un panier")
        verbose_name_plural = _("billets de revente dans des paniers")

    def __str__(self):
        return f"Revente {self.listing_id} dans {self.cart}"

    @property
    def subtotal_cents(self) -> int:
        return self.price_cents

    @property
    def is_held(self) -> bool:
        """Whether no other buyer may take its listing yet."""
        return self.held_until > timezone.now()
