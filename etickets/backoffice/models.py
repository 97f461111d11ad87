from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    REFUND = "refund", _("Remboursement")
    ROLE_GRANTED = "role_granted", _("Rôle accordé")
    ROLE_REVOKED = "role_revoked", _("Rôle retiré")
    EVENT_SAVED = "event_saved", _("Épreuve enregistrée")
    OFFER_SAVED = "offer_saved", _("Offre enregistrée")
    OFFER_DELETED = "offer_deleted", _("Offre supprimée")


class AuditEntry(models.Model):
    """Who did what in the back office, and when. Written once, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target = models.CharField(_("objet"), max_length=200)
    summary = models.TextField(_("résumé"))
    details = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor} {self.get_action_display()}"
