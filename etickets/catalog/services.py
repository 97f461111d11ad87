"""The seat pools: locking them, and counting what is free inside the lock."""

from functools import wraps

from django.conf import settings
from django.db import OperationalError, connection

from etickets.core.errors import Busy

from .models import Event

# PostgreSQL: lock_not_available, deadlock_detected. SQLite reports its write lock in words.
_LOCK_SQLSTATES = {"55P03", "40P01"}


def _is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in _LOCK_SQLSTATES or "database is locked" in str(error)


def busy_on_lock_timeout(function):
    """Turn a lock wait that timed out into ``Busy``; wraps the whole transaction."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if _is_lock_failure(error):
                raise Busy() from error
            raise

    return wrapper


def lock_seat_pools(event_ids) -> dict[int, Event]:
    """Lock the seat pools of these events until the end of the current transaction.

    Always in ascending id order, so that two buyers never wait for each other in a circle, and
    for at most SEAT_LOCK_TIMEOUT_MS. On SQLite the IMMEDIATE transaction already holds the
    database's write lock, which serialises every writer the same way.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.SEAT_LOCK_TIMEOUT_MS}ms"],
            )
    # NO KEY UPDATE: buyers queue for the pool among themselves, while rows that merely refer
    # to the event (holds, tickets) can still be inserted by others meanwhile.
    pools = (
        Event.objects.select_for_update(no_key=True).filter(pk__in=set(event_ids)).order_by("pk")
    )
    return {event.pk: event for event in pools}
