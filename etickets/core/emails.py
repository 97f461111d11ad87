"""E-mails: HTML plus plain text, in the recipient's language, sent after the transaction.

Each e-mail is three templates: ``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``
(the latter extending ``emails/base.html``). They are rendered here, in the web process, and
written to the outbox (``OutgoingEmail``) in the caller's transaction; once it commits, the
``deliver_email`` job sends it (through Celery when Redis is configured, at once otherwise).
An e-mail whose job was never queued (the broker down) or never finished (a worker killed) is
sent by the ``send_outbox`` sweep: at least once, whatever fails.
"""

import base64
import datetime
import logging
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template import Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import tasks
from .attempts import attempt
from .jobs import queue_on_commit
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# An e-mail the sweep finds unsent past this age had its job lost (or failing).
_SWEEP_AFTER_SECONDS = 30


@cache
def _text_engine() -> Engine:
    """The project's templates without HTML escaping, for subjects and plain-text bodies."""
    default = Engine.get_default()
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        libraries=default.libraries,
        autoescape=False,
    )


def send_templated_email(
    name: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """``attachments``: (filename, content, MIME type) of each file to join."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_text_engine().render_to_string(f"{name}_subject.txt", context).split())
        text = _text_engine().render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject,
        text=text,
        html=html,
        attachments=[
            [name, base64.b64encode(data).decode(), kind] for name, data, kind in attachments
        ],
    )
    queue_on_commit(tasks.deliver_email, email.pk)


def deliver(*, email_id: int) -> bool:
    """Send this e-mail if it still is to be and nobody is sending it; whether this call sent
    it. A refusal of the mail server is noted on it, and the sweep tries again."""
    return attempt(
        OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True),
        _send,
        done={"sent_at": timezone.now(), "text": "", "html": "", "attachments": []},
        retry_seconds=_SWEEP_AFTER_SECONDS,
    )


def _send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
    message.attach_alternative(email.html, "text/html")
    for filename, content, mimetype in email.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    message.send()


def send_outbox(*, batch: int = 100) -> int:
    """The periodic sweep: send the e-mails whose job was lost or failed, up to
    OUTBOX_MAX_ATTEMPTS tries each (then given up, with an error in the log), and forget those
    sent more than OUTBOX_KEEP_DAYS ago. How many it sent."""
    now = timezone.now()
    given_up = OutgoingEmail.objects.filter(
        sent_at__isnull=True, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS, retry_at__isnull=False
    )
    for email in given_up.only("pk", "to", "attempts", "last_error"):
        logger.error(
            "E-mail %s to %s given up after %s tries: %s",
            email.pk,
            email.to,
            email.attempts,
            email.last_error,
        )
    given_up.update(retry_at=None)
    lost = Q(
        retry_at__isnull=True,
        created_at__lte=now - datetime.timedelta(seconds=_SWEEP_AFTER_SECONDS),
    )
    to_send = OutgoingEmail.objects.filter(
        lost | Q(retry_at__lte=now),
        sent_at__isnull=True,
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    ).order_by("created_at")
    sent = sum(deliver(email_id=pk) for pk in list(to_send.values_list("pk", flat=True)[:batch]))
    OutgoingEmail.objects.filter(
        sent_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    return sent
