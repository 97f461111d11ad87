from celery import shared_task

from etickets.core.clock import calendar_now

from . import services


@shared_task
def withdraw_unsold_listings() -> int:
    return services.withdraw_unsold_listings(now=calendar_now())
