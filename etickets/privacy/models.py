"""« Mes données »: the archives of an account's data its owner asked for."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

# Never under MEDIA_ROOT: an export is served only through a view that checks who asks.
_private_storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_storage() -> FileSystemStorage:
    """A callable, so that migrations name it rather than write down a machine's folder."""
    return _private_storage


class ExportState(models.TextChoices):
    PENDING = "pending", _("En préparation")
    READY = "ready", _("Prête")


class DataExport(models.Model):
    """A ZIP of everything the site holds about ``user`` (etickets.privacy.export), built by a
    job; its owner alone may download it, until ``expires_at``, then it is deleted."""

    # Random: the download's address says nothing of other exports.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # A job building it holds it until then (another job, or the sweep, waits for it).
    building_until = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export de données")
        verbose_name_plural = _("exports de données")

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.state})"
