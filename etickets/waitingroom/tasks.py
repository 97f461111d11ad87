from celery import shared_task
from django.utils import timezone

from .services import admit_all_due


@shared_task
def admit_waiting_buyers() -> int:
    return admit_all_due(now=timezone.now())
