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
from django.db import transaction
from django.db.models import F
from django.template import Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import tasks
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
    """Send this e-mail if nobody has yet (nor is sending it); whether this call sent it. An
    error of the mail server is noted on it and raised; the sweep tries again."""
    try:
        with transaction.atomic():
            email = (
                OutgoingEmail.objects.select_for_update(skip_locked=True)
                .filter(pk=email_id, sent_at__isnull=True)
                .first()
            )
            if email is None:
                return False
            message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
            message.attach_alternative(email.html, "text/html")
            for filename, content, mimetype in email.attachments:
                message.attach(filename, base64.b64decode(content), mimetype)
            message.send()
            OutgoingEmail.objects.filter(pk=email_id).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    except OSError as error:
        OutgoingEmail.objects.filter(pk=email_id).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:200]
        )
        raise
    return True


def send_outbox(*, batch: int = 100) -> int:
    """The periodic sweep: send the e-mails whose job was lost, and forget those sent more than
    OUTBOX_KEEP_DAYS ago. How many it sent."""
    now = timezone.now()
    due = OutgoingEmail.objects.filter(
        sent_at__isnull=True, created_at__lte=now - datetime.timedelta(seconds=_SWEEP_AFTER_SECONDS)
    ).order_by("created_at")
    sent = 0
    for email_id in list(due.values_list("pk", flat=True)[:batch]):
        try:
            sent += deliver(email_id=email_id)
        except OSError:
            logger.warning(
                "E-mail %s not sent, tried again at the next sweep", email_id, exc_info=True
            )
    OutgoingEmail.objects.filter(
        sent_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    return sent
