"""Reads of the catalogue: published offers and the tickets they have left."""

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.cart.models import Hold
from etickets.core import sql
from etickets.core.clock import calendar_now

from .models import Event, Offer, OfferKind


def free_seats(event: Event) -> int:
    """capacity − sold − seats of live holds (those not yet past their ``expires_at``)."""
    held = held_seats_by_event([event]).get(event.pk, 0)
    return max(event.capacity - event.sold - held, 0)


def held_seats_by_event(events, excluding_cart_id=None) -> dict[int, int]:
    """Seats of live holds per event (of other carts than ``excluding_cart_id``): one query."""
    ids = [getattr(event, "pk", event) for event in events]
    if not ids:
        return {}
    query = (
        "SELECT h.event_id, SUM(h.seats) FROM cart_hold h JOIN cart_cartline l ON l.id = h.line_id "
        f"WHERE h.event_id IN ({sql.marks(ids)}) AND h.expires_at > %s"
    )
    params = [*ids, timezone.now()]
    if excluding_cart_id is not None:
        query += " AND l.cart_id <> %s"
        params.append(excluding_cart_id)
    return dict(sql.rows(query + " GROUP BY h.event_id", params))


def free_seats_expression(event_ref: str = "pk", prefix: str = ""):
    """The same count as a database expression, for annotating a list in one query."""
    held = (
        Hold.objects.filter(event_id=OuterRef(event_ref), expires_at__gt=timezone.now())
        .order_by()
        .values("event_id")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return Greatest(
        F(f"{prefix}capacity")
        - F(f"{prefix}sold")
        - Coalesce(Subquery(held, output_field=IntegerField()), 0),
        0,
    )


def _offers_with_availability() -> QuerySet[Offer]:
    return (
        Offer.objects.filter(is_published=True, event__is_published=True)
        .select_related("event")
        .annotate(event_free_seats=free_seats_expression("event_id", "event__"))
    )


def upcoming_offers(kind: str | None = None) -> QuerySet[Offer]:
    """Published offers of events still to come, soonest first; ``kind`` is an OfferKind."""
    offers = _offers_with_availability().filter(event__starts_at__gt=calendar_now())
    if kind:
        offers = offers.filter(kind=OfferKind(kind))
    return offers.order_by("event__starts_at", "event_id", "price_cents")


def featured_offers(limit: int = 6) -> list[Offer]:
    """One offer per upcoming event (its most affordable one with tickets left), soonest first."""
    featured: dict[int, Offer] = {}
    for offer in upcoming_offers():
        if offer.event_id not in featured and not offer.is_sold_out:
            featured[offer.event_id] = offer
            if len(featured) == limit:
                break
    return list(featured.values())


def get_published_offer(slug: str) -> Offer:
    """The published offer with this slug, past or not; 404 otherwise."""
    return get_object_or_404(_offers_with_availability(), slug=slug)


def other_offers_of_event(offer: Offer) -> QuerySet[Offer]:
    return _offers_with_availability().filter(event_id=offer.event_id).exclude(pk=offer.pk)


# --- The same reads in hand-written SQL, for the purchase path (see core/sql.py) -----------

OFFER = sql.Loader(Offer)
EVENT = sql.Loader(Event)
# Columns of an offer, its event and the event's free seats, for ``load_offer``: the same count
# as ``free_seats`` and ``free_seats_expression`` (a test holds the three to it).
OFFER_COLUMNS = (
    f"{OFFER.select('o')}, {EVENT.select('e')}, e.capacity - e.sold - COALESCE(("
    "SELECT SUM(h.seats) FROM cart_hold h WHERE h.event_id = e.id AND h.expires_at > %s), 0)"
)
OFFER_WIDTH = OFFER.width + EVENT.width + 1


def load_offer(values) -> Offer:
    """An offer with its event and ``event_free_seats``, from OFFER_COLUMNS' values."""
    offer = OFFER.load(values[: OFFER.width])
    offer.event = EVENT.load(values[OFFER.width : OFFER.width + EVENT.width])
    offer.event_free_seats = max(values[OFFER.width + EVENT.width], 0)
    return offer


def offer_on_sale(offer_id: int) -> Offer | None:
    """The published offer of an upcoming event with this id (as in ``upcoming_offers``)."""
    found = sql.row(
        f"SELECT {OFFER_COLUMNS} FROM catalog_offer o JOIN catalog_event e ON e.id = o.event_id "
        "WHERE o.id = %s AND o.is_published = %s AND e.is_published = %s AND e.starts_at > %s",
        [timezone.now(), offer_id, True, True, calendar_now()],
    )
    return load_offer(found) if found else None


def event_by_id(event_id: int) -> Event | None:
    found = sql.row(f"SELECT {EVENT.select('e')} FROM catalog_event e WHERE e.id = %s", [event_id])
    return EVENT.load(found) if found else None
