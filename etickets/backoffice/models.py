import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from etickets.core.templatetags.etickets import euros


class AuditAction(models.TextChoices):
    REFUND = "refund", _("Remboursement")
    ROLE_GRANTED = "role_granted", _("Rôle accordé")
    ROLE_REVOKED = "role_revoked", _("Rôle retiré")
    EVENT_SAVED = "event_saved", _("Épreuve enregistrée")
    OFFER_SAVED = "offer_saved", _("Offre enregistrée")
    OFFER_DELETED = "offer_deleted", _("Offre supprimée")
    QUEUE_CONFIGURED = "queue_configured", _("File d'attente réglée")
    QUEUE_PAUSED = "queue_paused", _("Admissions suspendues")
    QUEUE_RESUMED = "queue_resumed", _("Admissions reprises")
    QUEUE_RATE = "queue_rate", _("Débit de la file d'attente changé")
    # By a ticket's holder or its recipient (tickets.transfers), not by the staff.
    TRANSFER_REQUESTED = "transfer_requested", _("Transfert proposé")
    TRANSFER_CANCELLED = "transfer_cancelled", _("Transfert annulé")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfert accepté")


ROLE_NAMES = {"controller": _("Contrôleur"), "admin": _("Administrateur")}


def describe(action: str, details: dict) -> str:
    """What an audit entry says was done, in the active language, from its details."""
    if action == AuditAction.REFUND:
        count = len(details["tickets"])
        return ngettext(
            "%(count)s billet annulé et remboursé : %(amount)s.",
            "%(count)s billets annulés et remboursés : %(amount)s.",
            count,
        ) % {"count": count, "amount": euros(details["amount_cents"])}
    if action in (AuditAction.ROLE_GRANTED, AuditAction.ROLE_REVOKED):
        text = (
            gettext("Rôle « %(role)s » accordé à %(email)s.")
            if action == AuditAction.ROLE_GRANTED
            else gettext("Rôle « %(role)s » retiré à %(email)s.")
        )
        return text % {"role": ROLE_NAMES[details["role"]], "email": details["email"]}
    if action == AuditAction.EVENT_SAVED:
        return gettext("Épreuve « %(title)s » enregistrée.") % details
    if action == AuditAction.OFFER_SAVED:
        text = (
            gettext("Offre « %(title)s » enregistrée (%(price)s, publiée).")
            if details["published"]
            else gettext("Offre « %(title)s » enregistrée (%(price)s, non publiée).")
        )
        return text % {"title": details["title"], "price": euros(details["price_cents"])}
    if action == AuditAction.OFFER_DELETED:
        return gettext("Offre « %(title)s » supprimée.") % details
    if action == AuditAction.TRANSFER_REQUESTED:
        return (
            gettext("Billet %(ticket)s (%(event)s) proposé par %(sender)s à %(recipient)s.")
            % details
        )
    if action == AuditAction.TRANSFER_CANCELLED:
        return (
            gettext(
                "Transfert du billet %(ticket)s (%(event)s) à %(recipient)s annulé par %(sender)s."
            )
            % details
        )
    if action == AuditAction.TRANSFER_ACCEPTED:
        return (
            gettext(
                "Billet %(ticket)s (%(event)s) transféré de %(sender)s à %(recipient)s : nouveau "
                "billet %(new_ticket)s."
            )
            % details
        )
    return _describe_queue(action, details)


def _describe_queue(action: str, details: dict) -> str:
    if action == AuditAction.QUEUE_CONFIGURED:
        if not details["enabled"]:
            return gettext("File d'attente de « %(title)s » désactivée.") % details
        opens_at = timezone.localtime(datetime.datetime.fromisoformat(details["opens_at"]))
        return ngettext(
            "File d'attente de « %(title)s » activée : ouverture le %(opens_at)s, "
            "%(rate)s acheteur admis par minute.",
            "File d'attente de « %(title)s » activée : ouverture le %(opens_at)s, "
            "%(rate)s acheteurs admis par minute.",
            details["rate"],
        ) % {**details, "opens_at": date_format(opens_at, "j F Y, H:i")}
    if action == AuditAction.QUEUE_PAUSED:
        return gettext("Admissions de la file d'attente de « %(title)s » suspendues.") % details
    if action == AuditAction.QUEUE_RESUMED:
        return gettext("Admissions de la file d'attente de « %(title)s » reprises.") % details
    return (
        ngettext(
            "Débit de la file d'attente de « %(title)s » : %(rate)s acheteur admis par minute.",
            "Débit de la file d'attente de « %(title)s » : %(rate)s acheteurs admis par minute.",
            details["rate"],
        )
        % details
    )


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

    @property
    def description(self) -> str:
        """``summary`` in the reader's language (``summary`` keeps it as written, in French);
        entries written before their details held it all are shown as written."""
        try:
            return describe(self.action, self.details)
        except (KeyError, TypeError):
            return self.summary
