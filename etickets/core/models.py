from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail, written in the transaction that causes it and sent after it commits by a
    job (``core.emails``): a broker that is down or a worker killed delays it, never loses it.
    Kept OUTBOX_KEEP_DAYS after it left, then deleted (it holds personal data)."""

    to = models.EmailField()
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField()
    # [[filename, base64 content, MIME type], …]
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("e-mail à envoyer")
        verbose_name_plural = _("e-mails à envoyer")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="core_outgoing_unsent",
            ),
            models.Index(fields=["sent_at"], name="core_outgoing_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
