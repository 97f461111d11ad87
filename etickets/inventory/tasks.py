from celery import shared_task

from .services import purge_expired_holds as purge


@shared_task
def purge_expired_holds() -> int:
    return purge()
