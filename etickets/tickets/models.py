import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketState(models.TextChoices):
    VALID = "valid", _("Valide")
    CANCELLED = "cancelled", _("Annulé")


class Ticket(models.Model):
    """An e-ticket: admits ``persons`` people to one event, once. Nominative."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="tickets")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="tickets"
    )
    event = models.ForeignKey("catalog.Event", on_delete=models.PROTECT, related_name="tickets")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets"
    )
    persons = models.PositiveSmallIntegerField(_("personnes"))
    state = models.CharField(
        _("état"), max_length=10, choices=TicketState.choices, default=TicketState.VALID
    )
    # Bumped by « Régénérer le QR code »: older QR codes of this ticket stop working.
    key_version = models.PositiveIntegerField(default=1)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("billet")
        verbose_name_plural = _("billets")

    def __str__(self):
        return f"Billet {self.id} — {self.event}"
