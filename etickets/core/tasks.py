from celery import shared_task

from . import emails


@shared_task
def deliver_email(email_id: int) -> None:
    """Send one e-mail of the outbox, right after the transaction that wrote it; if it fails,
    the sweep below sends it again."""
    emails.deliver(email_id=email_id)


@shared_task
def send_outbox() -> int:
    return emails.send_outbox()
