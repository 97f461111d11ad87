from celery import shared_task
from django.utils import timezone

from .services import admit_all_due, discard_finished_queues


@shared_task
def admit_waiting_buyers() -> int:
    return admit_all_due(now=timezone.now())


@shared_task
def discard_finished_lines() -> int:
    return discard_finished_queues(now=timezone.now())
