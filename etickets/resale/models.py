"""The official resale at face value (docs/ARCHITECTURE.md, « Resale »)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingState(models.TextChoices):
    LISTED = "listed", _("En vente")
    SOLD = "sold", _("Vendu")
    WITHDRAWN = "withdrawn", _("Retiré")


class Listing(models.Model):
    """A ticket its holder puts back on sale, at its face value. While listed the ticket is
    « en revente » (the gate refuses it); sold, its buyer gets a new ticket and the seller
    the price less the fee, on the card that paid it."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="listings")
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listings"
    )
    event = models.ForeignKey("catalog.Event", on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey("catalog.Offer", on_delete=models.PROTECT, related_name="listings")
    # What its first buyer paid for it: the resale's price, never more nor less.
    price_cents = models.PositiveIntegerField(_("prix (centimes d'euro)"))
    # What goes back to the seller's card once sold: the price less RESALE_FEE_PERCENT.
    payout_cents = models.PositiveIntegerField(_("reversé au vendeur (centimes d'euro)"))
    state = models.CharField(
        _("état"), max_length=10, choices=ListingState.choices, default=ListingState.LISTED
    )
    created_at = models.DateTimeField(_("mis en vente le"), auto_now_add=True)
    ended_at = models.DateTimeField(_("vendu ou retiré le"), null=True, blank=True)
    buyer_ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="bought"
    )
    refund = models.OneToOneField(
        "payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("billet en revente")
        verbose_name_plural = _("billets en revente")
        constraints = [
            # A ticket is on sale once at a time, and sold once ever.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(state__in=["listed", "sold"]),
                name="resale_listing_one_live_per_ticket",
            ),
        ]
        indexes = [
            models.Index(
                fields=["offer", "created_at"],
                condition=models.Q(state="listed"),
                name="resale_listing_on_sale",
            ),
        ]

    def __str__(self) -> str:
        return f"Revente {self.pk} — {self.ticket_id} ({self.state})"
