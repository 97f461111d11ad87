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


class Scan(models.Model):
    """One reading of a QR code at a gate, whatever its verdict (the scan log)."""

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

    class Meta:
        ordering = ["-scanned_at", "-id"]
        verbose_name = _("contrôle")
        verbose_name_plural = _("contrôles")
        indexes = [models.Index(fields=["event", "-scanned_at"], name="gate_scan_event_time")]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.gate} — {self.scanned_at:%d/%m %H:%M:%S}"

    @property
    def reason_text(self) -> str:
        """Why it may not enter, as the scanner said it ("" when valid)."""
        return str(REASONS.get(self.reason, self.reason))
