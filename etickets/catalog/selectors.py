"""Reads of the catalogue: published offers and the tickets they have left."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.core import sql
from etickets.core.clock import calendar_now
from etickets.inventory.selectors import free_seats_expression, free_seats_sql

from .models import Event, Offer, OfferKind


def _offers_with_availability() -> QuerySet[Offer]:
    free = free_seats_expression("event_id", "event__")
    return (
        Offer.objects.filter(is_published=True, event__is_published=True)
        .select_related("event")
        .annotate(event_free_seats=free)  # type: ignore[no-redef]  # Offer declares it for this
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
# Columns of an offer, its event and the event's free seats, for ``load_offer``; parameter: now.
OFFER_COLUMNS = f"{OFFER.select('o')}, {EVENT.select('e')}, {free_seats_sql('e')}"
OFFER_WIDTH = OFFER.width + EVENT.width + 1


def load_offer(values: Sequence[Any]) -> Offer:
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
