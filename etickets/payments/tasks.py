from celery import shared_task

from .services import retry_pending_refunds as retry


@shared_task
def retry_pending_refunds() -> int:
    return retry()
