"""Counting free seats: ``capacity − sold − seats of live holds − waiting_seats`` (the
seats kept for the waiting lists, docs « Waiting lists »), computed, never stored.

The same count is written three ways, each for the reads that need it — in SQL for the
purchase path's hand-written queries (``free_seats_sql``), as an ORM expression for lists
(``free_seats_expression``), and as a query of its own (``free_seats``) — all built on the
one definition of a live hold (``models.LIVE_HOLD_SQL`` and ``HoldQuerySet.live``); a test
holds them to one figure.
"""

from collections.abc import Iterable, Sequence

from django.db.models import F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from etickets.catalog.models import Event
from etickets.core import sql

from .models import LIVE_HOLD_SQL, Hold


def _live_holds_sql(excluding_lines: Sequence[int]) -> str:
    """FROM and WHERE of the live holds (alias ``h``), but those of ``excluding_lines`` (the
    lines of the cart being changed or paid); parameters: now, then those lines."""
    query = f"FROM inventory_hold h WHERE {LIVE_HOLD_SQL}"
    if excluding_lines:
        query += f" AND h.line_id NOT IN ({sql.marks(excluding_lines)})"
    return query


def held_seats_sql(event_id_column: str, *, excluding_lines: Sequence[int] = ()) -> str:
    """The seats of the live holds of the event ``event_id_column`` names, as an SQL
    expression; its parameters are ``live_hold_params(excluding_lines)``."""
    return (
        f"COALESCE((SELECT SUM(h.seats) {_live_holds_sql(excluding_lines)} "
        f"AND h.event_id = {event_id_column}), 0)"
    )


def free_seats_sql(event_alias: str) -> str:
    """An event's free seats for general sale as an SQL expression over its row (it may be
    negative when more seats are waited for than free); parameter: now."""
    return (
        f"{event_alias}.capacity - {event_alias}.sold - {event_alias}.waiting_seats - "
        f"{held_seats_sql(f'{event_alias}.id')}"
    )


def live_hold_params(excluding_lines: Sequence[int] = ()) -> list:
    return [timezone.now(), *excluding_lines]


def held_seats_by_event(
    event_ids: Iterable[int], *, excluding_lines: Sequence[int] = ()
) -> dict[int, int]:
    """Seats of live holds per event (but those of ``excluding_lines``): one query."""
    ids = list(event_ids)
    if not ids:
        return {}
    found = sql.rows(
        f"SELECT h.event_id, SUM(h.seats) {_live_holds_sql(excluding_lines)} "
        f"AND h.event_id IN ({sql.marks(ids)}) GROUP BY h.event_id",
        [*live_hold_params(excluding_lines), *ids],
    )
    return dict(found)


def free_seats(event: Event) -> int:
    """The event's free seats for general sale now (never below 0)."""
    held = held_seats_by_event([event.pk]).get(event.pk, 0)
    return max(event.capacity - event.sold - event.waiting_seats - held, 0)


def held_seats_expression(event_ref: str = "pk") -> Subquery:
    """The seats of live holds of the event ``event_ref`` names, for annotating a list."""
    held = (
        Hold.objects.live()
        .filter(event_id=OuterRef(event_ref))
        .order_by()
        .values("event_id")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return Subquery(held, output_field=IntegerField())


def free_seats_expression(event_ref: str = "pk", prefix: str = "") -> Combinable:
    """Free seats as an ORM expression; ``prefix`` leads from the annotated model to the
    event (``"event__"`` for offers)."""
    return Greatest(
        F(f"{prefix}capacity")
        - F(f"{prefix}sold")
        - F(f"{prefix}waiting_seats")
        - Coalesce(held_seats_expression(event_ref), 0),
        0,
    )
