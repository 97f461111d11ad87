"""The waiting room of an event: its settings and the commitment to its draw (the line itself
lives in the queue store, store.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from etickets.catalog.models import Event


class QueueConfig(models.Model):
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="queue_config", verbose_name=_("épreuve")
    )
    enabled = models.BooleanField(_("file d'attente active"), default=False)
    opens_at = models.DateTimeField(_("ouverture de la vente"))
    admission_rate = models.PositiveIntegerField(_("acheteurs admis par minute"))
    paused = models.BooleanField(_("admissions suspendues"), default=False)
    # Secret until the opening, then published so that anyone can recompute the draw; its
    # SHA-256 is shown before, so that it cannot be chosen once the entries are known.
    seed = models.CharField(max_length=64, editable=False)
    seed_commitment = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("file d'attente")
        verbose_name_plural = _("files d'attente")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(admission_rate__gt=0),
                name="waitingroom_queueconfig_rate_positive",
            ),
        ]

    def __str__(self):
        return str(self.event)
