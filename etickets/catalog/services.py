"""The seat pools: locking them, and counting what is free inside the lock."""

from functools import wraps

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from etickets.core import sql
from etickets.core.errors import Busy

from .models import Event
from .selectors import EVENT

# PostgreSQL: lock_not_available, deadlock_detected. SQLite reports its write lock in words.
_LOCK_SQLSTATES = {"55P03", "40P01"}


def _is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in _LOCK_SQLSTATES or "database is locked" in str(error)


def busy_on_lock_timeout(function):
    """Try a transaction whose lock wait timed out again, SEAT_LOCK_RETRIES times, before
    ``Busy`` (« Forte affluence »). It wraps the whole transaction, outside its ``atomic``, so
    that each try starts afresh; inside a caller's transaction a try cannot, and a timeout is
    ``Busy`` at once."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        retries = 0 if connection.in_atomic_block else settings.SEAT_LOCK_RETRIES
        for attempt in range(retries + 1):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _is_lock_failure(error):
                    raise
                if attempt == retries:
                    raise Busy() from error
        raise AssertionError("unreachable")  # the loop returns or raises

    return wrapper


def lock_seat_pools(event_ids, *, durable: bool = True) -> dict[int, Event]:
    """Lock the seat pools of these events until the end of the current transaction.

    Always in ascending id order, so that two buyers never wait for each other in a circle, and
    for at most SEAT_LOCK_TIMEOUT_MS. On SQLite the IMMEDIATE transaction already holds the
    database's write lock, which serialises every writer the same way.

    ``durable=False`` (holds: a crash may lose them, and their seats are then free again, as
    when they expire): PostgreSQL commits the transaction without waiting for its WAL to reach
    the disk, so that the next buyer gets the pool that much sooner.
    """
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        # One round trip: the settings are made by the subquery, which runs before any row is
        # locked. NO KEY UPDATE: buyers queue for the pool among themselves, while rows that
        # merely refer to the event (holds, tickets) can still be inserted by others meanwhile.
        query = (
            f"SELECT {EVENT.select('e')} FROM catalog_event e, "
            "(SELECT set_config('lock_timeout', %s, true), "
            "set_config('synchronous_commit', %s, true)) AS settings "
            f"WHERE e.id IN ({sql.marks(ids)}) ORDER BY e.id FOR NO KEY UPDATE OF e"
        )
        params = [f"{settings.SEAT_LOCK_TIMEOUT_MS}ms", "on" if durable else "off", *ids]
    else:
        query = f"SELECT {EVENT.select('e')} FROM catalog_event e WHERE e.id IN ({sql.marks(ids)})"
        params = ids
    pools = [EVENT.load(values) for values in sql.rows(query, params)]
    return {event.pk: event for event in pools}


def sell_seats(seats_by_event: dict[int, int], *, excluding_cart_id: int) -> bool:
    """Count these seats as sold if they fit: capacity − sold − seats of live holds of other
    carts than ``excluding_cart_id`` (whose seats are the ones being sold). False if they do
    not fit in some event: the caller's transaction must then be rolled back, as the seats of
    the others are counted.

    Only under ``lock_seat_pools``: the pools' rows are already locked, and this statement
    reads the holds afresh (a statement that waited for the lock itself would count them as
    they were before it waited).
    """
    cases = " ".join(["WHEN %s THEN %s"] * len(seats_by_event))
    pairs = [value for pair in seats_by_event.items() for value in pair]
    sold = sql.execute(
        f"UPDATE catalog_event SET sold = sold + CASE id {cases} END "
        f"WHERE id IN ({sql.marks(seats_by_event)}) AND capacity - sold - COALESCE(("
        "SELECT SUM(h.seats) FROM cart_hold h JOIN cart_cartline l ON l.id = h.line_id "
        "WHERE h.event_id = catalog_event.id AND h.expires_at > %s AND l.cart_id <> %s"
        f"), 0) >= CASE id {cases} END",
        [*pairs, *seats_by_event, timezone.now(), excluding_cart_id, *pairs],
    )
    return sold == len(seats_by_event)
