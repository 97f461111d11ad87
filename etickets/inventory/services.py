"""The seat pools: every write that takes, sells or gives back seats.

An event row is its seat pool (``capacity``, ``sold``); holds are rows of their own; free seats
are counted (``selectors``), never stored. The rules every caller keeps:

1. A change that *takes* seats — holding them for a cart, selling them, lowering a capacity —
   runs in one transaction that first locks the pools it touches with ``lock_seat_pools``
   (``lock_free_seats`` and ``sell_held_seats`` do it), then counts the free seats inside the
   lock, then writes. Nothing else: the count read outside the lock is only a hint.
2. Pools are locked in ascending event id order, all in one statement, so that two buyers never
   wait for each other in a circle; a caller's other locks (its cart row) are taken *before*
   the pools, never after.
3. A lock is waited for at most ``SEAT_LOCK_TIMEOUT_MS``. A transaction wrapped in
   ``busy_on_lock_timeout`` is then tried again from the start ``SEAT_LOCK_RETRIES`` times,
   then ends in ``Busy`` (« Forte affluence »), never an error page.
4. Hold the pools as briefly as possible: write what needs no lock first (an order's rows), lock
   last, and never call anything slow (a payment provider, an e-mail) while they are locked.
5. Giving seats back (shrinking or releasing a hold, a refund) takes no lock: it can only make
   room.

General sale's free seats leave out ``Event.waiting_seats``, the seats kept for the waiting
lists (docs « Waiting lists »): only ``offer_waiting_seats`` gives those, to an entry.

On SQLite an IMMEDIATE transaction holds the database's write lock from its start, which
serialises every writer the same way.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from etickets.catalog.models import Event
from etickets.catalog.selectors import EVENT
from etickets.core import sql
from etickets.core.errors import Busy, DomainError

from .models import LIVE_HOLD_SQL, Hold
from .selectors import held_seats_by_event, held_seats_sql, live_hold_params

# PostgreSQL: lock_not_available, deadlock_detected. SQLite reports its write lock in words.
_LOCK_SQLSTATES = {"55P03", "40P01"}

P = ParamSpec("P")
R = TypeVar("R")


class CapacityTooLow(DomainError):
    message = ngettext_lazy(
        "La capacité ne peut pas être inférieure à la place déjà vendue ou réservée (%(count)s).",
        "La capacité ne peut pas être inférieure aux places déjà vendues ou réservées (%(count)s).",
        "count",
    )
    code = "capacity_too_low"


def _is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in _LOCK_SQLSTATES or "database is locked" in str(error)


def busy_on_lock_timeout(function: Callable[P, R]) -> Callable[P, R]:
    """Try a transaction whose lock wait timed out again, SEAT_LOCK_RETRIES times, before
    ``Busy`` (rule 3). It wraps the whole transaction, outside its ``atomic``, so that each try
    starts afresh; inside a caller's transaction a try cannot, and a timeout is ``Busy`` at
    once."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
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


def lock_seat_pools(event_ids: Iterable[int], *, durable: bool = True) -> dict[int, Event]:
    """Lock the seat pools of these events until the end of the current transaction (rules 2
    and 3); the events as locked.

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
        params: list[object] = [
            f"{settings.SEAT_LOCK_TIMEOUT_MS}ms",
            "on" if durable else "off",
            *ids,
        ]
    else:
        query = f"SELECT {EVENT.select('e')} FROM catalog_event e WHERE e.id IN ({sql.marks(ids)})"
        params = [*ids]
    pools = [EVENT.load(values) for values in sql.rows(query, params)]
    return {event.pk: event for event in pools}


def lock_free_seats(
    event_ids: Iterable[int], *, excluding_lines: Sequence[int], durable: bool = True
) -> dict[int, int]:
    """Lock these pools and count their free seats inside the lock, the holds of
    ``excluding_lines`` (the cart being changed) left out: they may be given again."""
    pools = lock_seat_pools(event_ids, durable=durable)
    held = held_seats_by_event(pools, excluding_lines=excluding_lines)
    free = {pk: pool.capacity - pool.sold - held.get(pk, 0) for pk, pool in pools.items()}
    waited = {pk: pool.waiting_seats for pk, pool in pools.items() if pool.waiting_seats}
    if waited:
        # Seats kept for a waiting list are not for sale, but the cart keeps what it holds
        # live (seats a list gave it among them): one more query, only while someone waits.
        everyone = held_seats_by_event(waited)
        for pk, waiting in waited.items():
            own = everyone.get(pk, 0) - held.get(pk, 0)
            free[pk] = max(own, free[pk] - waiting)
    return free


def hold_seats(*, line_id: int, event_id: int, seats: int, expires_at: datetime.datetime) -> None:
    """The line's hold, new or renewed. Under the pool's lock (rule 1)."""
    sql.execute(
        "INSERT INTO inventory_hold (line_id, event_id, seats, expires_at) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (line_id) DO UPDATE SET "
        "event_id = excluded.event_id, seats = excluded.seats, expires_at = excluded.expires_at",
        [line_id, event_id, seats, expires_at],
    )


def hold_seats_for_new_line(
    *,
    insert_line: str,
    params: Sequence[object],
    event_id: int,
    seats: int,
    expires_at: datetime.datetime,
) -> int:
    """Write a new cart line with ``insert_line`` (an INSERT … RETURNING id and its
    ``params``) and its hold; the line's id. On PostgreSQL one round trip. Under the pool's
    lock (rule 1)."""
    if connection.vendor != "postgresql":
        line_id: int = sql.rows(insert_line, params)[0][0]
        hold_seats(line_id=line_id, event_id=event_id, seats=seats, expires_at=expires_at)
        return line_id
    return sql.rows(
        f"WITH l AS ({insert_line}) INSERT INTO inventory_hold "
        "(line_id, event_id, seats, expires_at) SELECT l.id, %s, %s, %s FROM l "
        "RETURNING line_id",
        [*params, event_id, seats, expires_at],
    )[0][0]


def shrink_hold(*, line_id: int, seats: int) -> None:
    """Fewer seats for a live hold: no lock (rule 5)."""
    Hold.objects.filter(line_id=line_id).update(seats=seats)


def release_holds(*, line_ids: Sequence[int]) -> None:
    """Give back the seats these lines hold: no lock (rule 5)."""
    if line_ids:
        sql.execute(
            f"DELETE FROM inventory_hold WHERE line_id IN ({sql.marks(line_ids)})", line_ids
        )


def sell_held_seats(seats_by_event: Mapping[int, int], *, line_ids: Sequence[int]) -> bool:
    """Count these seats as sold, in place of the holds of ``line_ids`` (the cart being paid),
    if they fit: capacity − sold − seats of the other live holds. False if they do not fit in
    some event: the caller's transaction must then be rolled back. Seats kept for the waiting
    lists are not for sale: unless the live holds of ``line_ids`` cover the seats (a list gave
    them), the other free seats must, ``waiting_seats`` taken off.

    Locks the pools (rule 1), then one statement re-reads the holds: a statement that had
    waited for the lock itself would count them as they were before it waited.
    """
    lock_seat_pools(seats_by_event)
    cases = " ".join(["WHEN %s THEN %s"] * len(seats_by_event))
    pairs = [value for pair in seats_by_event.items() for value in pair]
    update = (
        f"UPDATE catalog_event SET sold = sold + CASE id {cases} END "
        f"WHERE id IN ({sql.marks(seats_by_event)}) AND capacity - sold - "
        f"{held_seats_sql('catalog_event.id', excluding_lines=line_ids)} >= CASE id {cases} END"
    )
    params = [*pairs, *seats_by_event, *live_hold_params(line_ids), *pairs]
    # Read only where someone waits (the first test), so that a purchase pays nothing more.
    kept = f"{_held_by_lines_sql(line_ids)} >= CASE id {cases} END OR " if line_ids else ""
    update += (
        f" AND (waiting_seats = 0 OR {kept}capacity - sold - waiting_seats - "
        f"{held_seats_sql('catalog_event.id', excluding_lines=line_ids)} >= CASE id {cases} END)"
    )
    if line_ids:
        params += [timezone.now(), *line_ids, *pairs]
    params += [*live_hold_params(line_ids), *pairs]
    released = f"DELETE FROM inventory_hold WHERE line_id IN ({sql.marks(line_ids)})"
    if connection.vendor == "postgresql" and line_ids:
        # The holds go in the same statement (it sees them as they were: hence the exclusion).
        sold = sql.execute(f"WITH released AS ({released}) {update}", [*line_ids, *params])
    else:
        sold = sql.execute(update, params)
        release_holds(line_ids=line_ids)
    return sold == len(seats_by_event)


def _held_by_lines_sql(line_ids: Sequence[int]) -> str:
    """The seats the live holds of ``line_ids`` keep in the event of the updated row;
    parameters: now, then the lines."""
    return (
        f"COALESCE((SELECT SUM(h.seats) FROM inventory_hold h WHERE {LIVE_HOLD_SQL} "
        f"AND h.line_id IN ({sql.marks(line_ids)}) AND h.event_id = catalog_event.id), 0)"
    )


def release_sold_seats(seats_by_event: Mapping[int, int]) -> None:
    """Put sold seats back on sale (a refund): no lock (rule 5)."""
    for event_id, seats in seats_by_event.items():
        Event.objects.filter(pk=event_id).update(sold=F("sold") - seats)


def check_capacity(*, event: Event) -> Event:
    """The pool of ``event`` as locked, once checked that ``event.capacity`` still holds its
    sold seats and live holds (rule 1: nothing may slip in before the caller saves it)."""
    pool = lock_seat_pools([event.pk])[event.pk]
    # Seats kept for the waiting lists are not taken: a capacity may leave them out.
    taken = pool.sold + held_seats_by_event([pool.pk]).get(pool.pk, 0)
    if event.capacity < taken:
        raise CapacityTooLow(count=taken)
    return pool


def reserve_waiting_seats(*, event_id: int, delta: int) -> None:
    """Keep ``delta`` more seats for the event's waiting lists (fewer if negative), in the
    transaction that changes the entries. Keeping more only takes from general sale, keeping
    fewer only makes room: no lock (rules 1 and 5)."""
    Event.objects.filter(pk=event_id).update(waiting_seats=F("waiting_seats") + delta)


def lock_unheld_seats(*, event_id: int) -> tuple[Event, int]:
    """Lock the event's pool (rule 1) and count its seats neither sold nor held, those kept for
    the waiting lists included: what the lists are served from. The pool as locked."""
    pool = lock_seat_pools([event_id])[event_id]
    held = held_seats_by_event([event_id]).get(event_id, 0)
    return pool, pool.capacity - pool.sold - held


def purge_expired_holds() -> int:
    """Delete the holds past their time (they already counted for nothing); the periodic job."""
    deleted, _ = Hold.objects.expired().delete()
    return deleted
