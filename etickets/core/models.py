from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempts(models.Model):
    """What ``core.attempts`` needs to retry a call to another service: how many were made,
    when the next may be (also the lease of the worker making one), what the last one said."""

    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class OutgoingEmail(Attempts):
    """An e-mail, written in the transaction that causes it and sent after it commits by a
    job (``core.emails``): a broker that is down or a worker killed delays it, never loses it.
    Once sent, its content is blanked (it may hold a reset link or tickets), and the row is
    deleted OUTBOX_KEEP_DAYS later."""

    to = models.EmailField()
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField()
    # [[filename, base64 content, MIME type], …]
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

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
