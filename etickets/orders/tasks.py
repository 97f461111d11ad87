from celery import shared_task


@shared_task
def send_pending_confirmations() -> int:
    """Sweep the outbox of confirmation e-mails (every two seconds, see CELERY_BEAT_SCHEDULE)."""
    from .services import send_pending_confirmations as sweep

    return sweep()
