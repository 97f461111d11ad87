from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etickets.tickets.errors import REASONS

CONTROLLER_GROUP = "Contrôleur"


class Verdict(models.TextChoices):
    VALID = "valid", _("VALIDE")
    ALREADY_USED = "already_used", _("DÉJÀ UTILISÉ")
    INVALID = "invalid", _("INVALIDE")
    # An offline scan that reached the server after the ticket had entered through another gate.
    CONFLICT = "conflict", _("CONFLIT")
    # A typed number that found a ticket which may enter: its holder's name was shown, for the
    # steward to check their identity document. A lookup, kept for accountability: no entry.
    CHECK_IDENTITY = "check_identity", _("VÉRIFIEZ L'IDENTITÉ")
    # An entry by number refused by gate.services.number_entry_refusal (past the controller's
    # budget, or outside the event's hours): the ticket was not marked used.
    NUMBER_REFUSED = "number_refused", _("NUMÉRO REFUSÉ")


class Scan(models.Model):
    """One reading of a QR code or typed number at a gate, whatever its verdict (the scan log)."""

    event = models.ForeignKey("catalog.Event", on_delete=models.PROTECT, related_name="scans")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="scans"
    )
    verdict = models.CharField(_("verdict"), max_length=14, choices=Verdict.choices)
    reason = models.CharField(_("motif"), max_length=20, blank=True)
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scans"
    )
    gate = models.CharField(_("porte"), max_length=60)
    scanned_at = models.DateTimeField(_("scanné le"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    offline = models.BooleanField(_("hors ligne"), default=False)
    device = models.CharField(_("appareil"), max_length=64, blank=True)
    # The printed ticket number typed instead of the QR code (let in after an identity check).
    by_number = models.BooleanField(_("par numéro"), default=False)
    # A static QR code where the event's codes rotate: let in after an identity check.
    printed = models.BooleanField(_("billet imprimé"), default=False)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        verbose_name = _("contrôle")
        verbose_name_plural = _("contrôles")
        indexes = [
            models.Index(fields=["event", "-scanned_at"], name="gate_scan_event_time"),
            # A controller's entries by number, counted before each new one.
            models.Index(
                fields=["controller", "scanned_at"],
                name="gate_scan_number_entries",
                condition=models.Q(by_number=True, verdict=Verdict.VALID),
            ),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.gate} — {self.scanned_at:%d/%m %H:%M:%S}"

    @property
    def reason_text(self) -> str:
        """Why it may not enter, as the scanner said it ("" when valid)."""
        return str(REASONS.get(self.reason, self.reason))
