"""Reads of the catalogue: published offers and the tickets they have left."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from etickets.core import sql
from etickets.core.clock import calendar_now
from etickets.core.text import Folded, fold
from etickets.inventory.selectors import free_seats_expression, free_seats_sql
from etickets.resale.selectors import on_sale_count

from .models import Event, Offer, OfferKind, Sport

# Events (each a card with its offers) on one page of the offers list.
EVENTS_PER_PAGE = 12
# The columns of an event a search looks in, besides its sport's name in every language.
SEARCHED_FIELDS = ("title_fr", "title_en", "venue_fr", "venue_en", "city_fr", "city_en")


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


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor asked the offers list for; an empty field filters nothing."""

    text: str = ""
    sport: str = ""
    day: datetime.date | None = None
    venue: str = ""
    kind: OfferKind | None = None


@dataclass(frozen=True)
class FilterChoices:
    """The sports (code, name), days and venues of the events on sale, for the filters."""

    sports: list[tuple[str, str]]
    days: list[datetime.date]
    venues: list[tuple[str, str]]  # (French name, the name in the reader's language)


def _published_offers(kind: OfferKind | None = None) -> QuerySet[Offer]:
    offers = Offer.objects.filter(is_published=True)
    return offers.filter(kind=kind) if kind else offers


def _events_on_sale(kind: OfferKind | None = None) -> QuerySet[Event]:
    """Published events still to come with a published offer (of ``kind``)."""
    return Event.objects.filter(
        Exists(_published_offers(kind).filter(event=OuterRef("pk"))),
        is_published=True,
        starts_at__gt=calendar_now(),
    )


def filter_choices() -> FilterChoices:
    """What the offers list's filters offer: only what some event on sale has. One query."""
    events = list(_events_on_sale().order_by().only("sport", "venue_fr", "venue_en", "starts_at"))
    return FilterChoices(
        sports=sport_choices(sports=(event.sport for event in events)),
        days=sorted({timezone.localdate(event.starts_at) for event in events}),
        # Filtered by the French name, so that an address works in either language.
        venues=sorted(
            {(event.venue_fr, event.venue) for event in events}, key=lambda v: fold(v[1])
        ),
    )


def sport_choices(*, sports: Iterable[str]) -> list[tuple[str, str]]:
    """Each of ``sports`` once, with its name (its code if it has none any more), in the
    alphabetical order of the names."""
    names = dict(Sport.choices)
    named = [(sport, str(names.get(sport, sport))) for sport in set(sports)]
    return sorted(named, key=lambda choice: fold(choice[1]))


def sports_with_events() -> list[tuple[str, str]]:
    """The sports that have an event, on sale or not (``sport_choices``)."""
    return sport_choices(sports=Event.objects.order_by().values_list("sport", flat=True).distinct())


def events_on_sale(*, filters: CatalogueFilters) -> QuerySet[Event]:
    """The events on sale that pass ``filters``, soonest first, each with its published offers
    (of ``filters.kind``) by price in ``offers_on_sale``, their free seats counted: one query
    for the events and one for their offers."""
    events = _events_on_sale(filters.kind)
    if filters.sport:
        events = events.filter(sport=filters.sport)
    if filters.day:
        events = events.filter(starts_at__date=filters.day)  # in the site's time zone
    if filters.venue:
        events = events.filter(venue_fr=filters.venue)
    offers = _published_offers(filters.kind).annotate(
        event_free_seats=free_seats_expression("event_id", "event__"),  # type: ignore[no-redef]
        # Shown once the offer is sold out (« Revente officielle »).
        resale_count=on_sale_count(),
    )
    return (
        _matching(events, filters.text)
        .prefetch_related(Prefetch("offers", offers.order_by("price_cents"), "offers_on_sale"))
        .order_by("starts_at", "id")
    )


def catalogue_page(*, filters: CatalogueFilters, number: int) -> Page:
    """Page ``number`` of ``events_on_sale`` (the last one past the end)."""
    return Paginator(events_on_sale(filters=filters), EVENTS_PER_PAGE).get_page(number)


def _matching(events: QuerySet[Event], text: str) -> QuerySet[Event]:
    """The events in which each word of ``text`` appears, whatever its case and accents, in one
    of the ``SEARCHED_FIELDS`` or in the name of the event's sport."""
    words = fold(text).split()
    if not words:
        return events
    events = events.alias(**{f"{field}_folded": Folded(field) for field in SEARCHED_FIELDS})
    for word in words:
        sports = [sport for sport, names in _sport_names().items() if word in names]
        anywhere = Q(sport__in=sports)
        for field in SEARCHED_FIELDS:
            anywhere |= Q(**{f"{field}_folded__contains": word})
        events = events.filter(anywhere)
    return events


@cache
def _sport_names() -> dict[str, str]:
    """Each sport's names in the site's languages, folded (``core.text``)."""
    names = dict.fromkeys(Sport.values, "")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for sport, label in Sport.choices:
                names[sport] += f" {fold(str(label))}"
    return names


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
