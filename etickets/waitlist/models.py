"""Waiting lists of sold-out offers (docs/ARCHITECTURE.md, « Waiting lists »)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryState(models.TextChoices):
    WAITING = "WAITING", _("En attente")
    OFFERED = "OFFERED", _("Places proposées")
    FULFILLED = "FULFILLED", _("Payé")
    LAPSED = "LAPSED", _("Proposition expirée")
    LEFT = "LEFT", _("Quittée")


LIVE_STATES = (EntryState.WAITING, EntryState.OFFERED)


class WaitingEntry(models.Model):
    """A buyer waiting for ``quantity`` tickets of a sold-out offer; ``seats`` (quantity ×
    the offer's persons) are kept for it in ``Event.waiting_seats`` while it waits."""

    offer = models.ForeignKey(
        "catalog.Offer", on_delete=models.CASCADE, related_name="waiting_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_entries"
    )
    quantity = models.PositiveSmallIntegerField(_("quantité"))
    seats = models.PositiveSmallIntegerField(_("places"))
    state = models.CharField(
        _("état"), max_length=16, choices=EntryState.choices, default=EntryState.WAITING
    )
    joined_at = models.DateTimeField(_("inscription"), db_index=True)
    offered_at = models.DateTimeField(_("places proposées le"), null=True, blank=True)
    offered_until = models.DateTimeField(_("réservées jusqu'au"), null=True, blank=True)
    # The cart line the seats were put in. Not a foreign key: the cart deletes its lines in
    # plain SQL (paying, emptying), which a constraint would make it know about.
    line_id = models.BigIntegerField(null=True, blank=True)
    # Its place among the entries of its offer still waiting, set by the selectors.
    place: int | None

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("inscription en liste d'attente")
        verbose_name_plural = _("inscriptions en liste d'attente")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "offer"],
                condition=models.Q(state__in=LIVE_STATES),
                name="waitlist_one_live_entry_per_offer",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="waitlist_entry_quantity"
            ),
        ]
        indexes = [
            models.Index(
                fields=["state", "offered_until"],
                name="waitlist_entry_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer_id} ({self.state})"
