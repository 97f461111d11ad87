"""The calendar clock: "now" for the rules that depend on the Games' calendar (which events are
still to come and on sale).

In production it is the real time. Demo mode may set ``ETICKETS_TODAY`` (``YYYY-MM-DD``) to
replay the Games, which took place in summer 2024: the calendar then reads that day at the
current wall-clock time. Durations (seat holds, countdowns, token expiries) never use this
clock: they use the real time, which moves at the same pace everywhere.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def calendar_now() -> datetime.datetime:
    real_now = timezone.now()
    if not settings.ETICKETS_TODAY:
        return real_now
    today = datetime.date.fromisoformat(settings.ETICKETS_TODAY)
    return timezone.localtime(real_now).replace(year=today.year, month=today.month, day=today.day)
