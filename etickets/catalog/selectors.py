"""Reads of the catalogue: published offers and the tickets they have left."""

from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404

from etickets.core.clock import calendar_now

from .models import Event, Offer, OfferKind


def free_seats_expression(prefix: str = ""):
    """Free seats of an event's pool as a database expression (see DESIGN.md, "Seats")."""
    return Greatest(F(f"{prefix}capacity") - F(f"{prefix}sold"), 0)


def events_with_free_seats() -> QuerySet[Event]:
    return Event.objects.annotate(free_seats=free_seats_expression())


def _offers_with_availability() -> QuerySet[Offer]:
    return (
        Offer.objects.filter(is_published=True)
        .select_related("event")
        .annotate(event_free_seats=free_seats_expression("event__"))
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
