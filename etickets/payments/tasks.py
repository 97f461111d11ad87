from celery import shared_task

from .services import reconcile_payments as reconcile


@shared_task
def reconcile_payments() -> str:
    return str(reconcile())
