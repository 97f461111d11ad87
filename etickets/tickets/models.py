import re
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The ticket's number (Ticket.number): the first hexadecimal digits of its id, printed on the
# ticket and its PDF, typed at a gate when the QR code will not scan.
NUMBER_LENGTH = 12
_NUMBER = re.compile(rf"[0-9A-F]{{{NUMBER_LENGTH}}}")
_NUMBER_SEPARATORS = re.compile(r"[\s-]+")


def parse_number(text: str) -> str | None:
    """The ticket number ``text`` is, as typed (any case, spaces or dashes anywhere), or None
    if it is not one."""
    number = _NUMBER_SEPARATORS.sub("", text).upper()
    return number if _NUMBER.fullmatch(number) else None


class TicketState(models.TextChoices):
    VALID = "valid", _("Valide")
    CANCELLED = "cancelled", _("Annulé")
    # On the official resale (etickets.resale): it cannot enter until withdrawn or sold.
    LISTED = "listed", _("En revente")
    # Changed hands (tickets.services.reissue_ticket): the new holder's ticket replaces it.
    TRANSFERRED = "transferred", _("Transféré")
    RESOLD = "resold", _("Revendu")


# The states in which a ticket is no longer its holder's: it was given or sold to someone else.
REPLACED_STATES = (TicketState.TRANSFERRED, TicketState.RESOLD)

# A ticket that may still enter, and so still get a new QR code, be transferred or be listed:
# valid and unused (``Ticket.may_enter`` for a loaded one). The writes that depend on it repeat
# it in their UPDATE, so that a scan or a refund meanwhile wins.
MAY_ENTER = models.Q(state=TicketState.VALID, used_at__isnull=True)


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
        _("état"), max_length=12, choices=TicketState.choices, default=TicketState.VALID
    )
    # Bumped by « Régénérer le QR code »: older QR codes of this ticket stop working.
    key_version = models.PositiveIntegerField(default=1)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    used_gate = models.CharField(_("porte d'entrée"), max_length=60, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contrôleur"),
    )
    # The ticket that replaced this one when it changed hands (a transfer or a resale).
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("billet")
        verbose_name_plural = _("billets")
        indexes = [
            # The per-account limit counts them on every add to a cart (selectors.tickets_held).
            models.Index(fields=["holder", "event"], name="tickets_holder_event"),
        ]

    def __str__(self):
        return f"Billet {self.id} — {self.event}"

    def get_absolute_url(self):
        return reverse("tickets:detail", kwargs={"ticket_id": self.id})

    @property
    def status(self) -> str:
        """« Valide », « Utilisé », « Annulé », « Transféré » or « Revendu », as the ticket's
        owner reads it."""
        if self.state != TicketState.VALID:
            return str(TicketState(self.state).label)
        return str(_("Utilisé") if self.used_at else TicketState.VALID.label)

    @property
    def status_code(self) -> str:
        if self.state != TicketState.VALID:
            return str(self.state)
        return "used" if self.used_at else "valid"

    @property
    def may_enter(self) -> bool:
        """``MAY_ENTER``, for this ticket as loaded."""
        return self.state == TicketState.VALID and self.used_at is None

    @property
    def qr_regenerated(self) -> bool:
        """Its holder regenerated its QR code (« Régénérer le QR code »)."""
        return self.key_version > 1

    @property
    def number(self) -> str:
        """A short form of the id, for reading aloud at the gate or to the support team."""
        return self.id.hex[:NUMBER_LENGTH].upper()


class TransferState(models.TextChoices):
    PENDING = "pending", _("En attente d'acceptation")
    ACCEPTED = "accepted", _("Accepté")
    CANCELLED = "cancelled", _("Annulé")


class Transfer(models.Model):
    """« Transférer ce billet »: its holder offers ``ticket`` to whoever owns
    ``recipient_email``; accepted from the e-mailed link, it gives them a new ticket
    (``Ticket.replaced_by``). tickets.transfers holds the rules."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="transfers")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfers_sent"
    )
    recipient_email = models.EmailField(_("adresse email du destinataire"), max_length=254)
    # The account that accepted it (the one with ``recipient_email`` then).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_received",
    )
    state = models.CharField(
        _("état"), max_length=10, choices=TransferState.choices, default=TransferState.PENDING
    )
    # SHA-256 of the acceptance link's random token: the link is in the e-mail only.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("accepté ou annulé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        constraints = [
            # One offer at a time per ticket: two links could not both be honoured.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(state="pending"),
                name="tickets_transfer_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_email", "state"], name="tickets_transfer_recipient"),
            models.Index(fields=["sender", "state"], name="tickets_transfer_sender"),
        ]

    def __str__(self):
        return f"Transfert {self.pk} du billet {self.ticket_id} à {self.recipient_email}"
