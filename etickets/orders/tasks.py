from celery import shared_task


@shared_task
def send_pending_confirmations() -> int:
    """Sweep the outbox of confirmation e-mails (every two seconds, see CELERY_BEAT_SCHEDULE),
    unless a sales rush is on and they may wait (``confirmations_may_wait``, asked again before
    each batch: a rush may begin while the sweep runs)."""
    from .selectors import confirmations_may_wait
    from .services import send_pending_confirmations as sweep

    return sweep(may_wait=confirmations_may_wait)
