"""Holds: seats of an event kept for one cart line for a while (see ``services``)."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# « A hold counts while it has not expired », in SQL: the one fragment every hand-written query
# uses, for the hold table under the alias ``h``; its parameter is the current time.
LIVE_HOLD_SQL = "h.expires_at > %s"


class HoldQuerySet(models.QuerySet["Hold"]):
    def live(self) -> "HoldQuerySet":
        """The holds that still count (``LIVE_HOLD_SQL`` in the ORM)."""
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> "HoldQuerySet":
        """The holds that no longer count: all but the live ones."""
        return self.exclude(expires_at__gt=timezone.now())


class Hold(models.Model):
    """Seats of an event held for one cart line until ``expires_at`` (docs/ARCHITECTURE.md,
    « Seats »).

    A hold past its ``expires_at`` counts for nothing, at once; a periodic job deletes it.
    """

    line = models.OneToOneField("cart.CartLine", on_delete=models.CASCADE, related_name="hold")
    event = models.ForeignKey("catalog.Event", on_delete=models.CASCADE, related_name="holds")
    seats = models.PositiveIntegerField()
    expires_at = models.DateTimeField()

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation temporaire")
        verbose_name_plural = _("réservations temporaires")
        indexes = [models.Index(fields=["event", "expires_at"], name="inventory_hold_live")]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="inventory_hold_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.seats} places, {self.event} (jusqu'à {self.expires_at:%H:%M})"

    def is_live(self, now: datetime.datetime | None = None) -> bool:
        """Whether this hold still counts (``LIVE_HOLD_SQL`` for a loaded row)."""
        return self.expires_at > (now or timezone.now())
