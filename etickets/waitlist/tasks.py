from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def offer_returned_seats(event_id: int) -> int:
    """Queued when seats of an event come back (a refund, an entry left or joined); the
    periodic ``run_waiting_lists`` is its sweep."""
    return services.offer_returned_seats(event_id=event_id)


@shared_task
def run_waiting_lists() -> int:
    return services.run_waiting_lists(now=timezone.now())
