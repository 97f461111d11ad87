import base64

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_email(
    subject: str, text: str, html: str, to: list[str], attachments: list | None = None
) -> None:
    """``attachments``: [filename, base64 content, MIME type] (the job's JSON carries no
    bytes)."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    message.send()
