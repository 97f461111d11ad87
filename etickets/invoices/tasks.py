from celery import shared_task


@shared_task
def issue_documents() -> int:
    """Number the invoices and credit notes due: queued after each payment and refund, and a
    sweep every minute (CELERY_BEAT_SCHEDULE) for a message lost on the way."""
    from .services import issue_documents as issue

    return issue()
