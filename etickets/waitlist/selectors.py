"""Reads of the waiting lists."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from etickets.accounts.models import User
from etickets.catalog.models import Event, Offer
from etickets.inventory.selectors import free_seats_expression

from .models import EntryState, WaitingEntry


def _ahead(entry: WaitingEntry) -> Q:
    return Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, pk__lt=entry.pk)


def place_in_list(*, entry: WaitingEntry) -> int:
    """The entry's place among the entries of its offer still waiting (1: the next)."""
    ahead = WaitingEntry.objects.filter(
        _ahead(entry), offer_id=entry.offer_id, state=EntryState.WAITING
    )
    return ahead.count() + 1


def live_entry(*, user: User, offer: Offer) -> WaitingEntry | None:
    """The user's entry waiting or offered in the list of ``offer``, with its place."""
    entry = (
        WaitingEntry.objects.filter(
            user=user, offer=offer, state__in=[EntryState.WAITING, EntryState.OFFERED]
        )
        .select_related("offer__event")
        .first()
    )
    if entry is not None:
        entry.place = place_in_list(entry=entry)
    return entry


def entries_of(*, user: User) -> Sequence[WaitingEntry]:
    """The user's entries, the live ones first, each waiting one with its ``place``, their
    offers with their free seats."""
    entries = list(
        WaitingEntry.objects.filter(user=user)
        .select_related("offer__event")
        .annotate(free=free_seats_expression("offer__event_id", "offer__event__"))
        .order_by("-joined_at", "-id")
    )
    live = [e for e in entries if e.state in (EntryState.WAITING, EntryState.OFFERED)]
    for entry in entries:
        entry.offer.event_free_seats = entry.free
        entry.place = place_in_list(entry=entry) if entry.state == EntryState.WAITING else None
    return live + [e for e in entries if e not in live]


def user_entry(*, user: User, entry_id: int) -> WaitingEntry | None:
    return (
        WaitingEntry.objects.filter(user=user, pk=entry_id).select_related("offer__event").first()
    )


@dataclass(frozen=True)
class OfferList:
    offer: Offer
    entries: list[WaitingEntry]


def event_lists(*, event: Event) -> list[OfferList]:
    """Each offer of the event with its list, in order (back office)."""
    offers = list(event.offers.all().order_by("price_cents"))
    entries = (
        WaitingEntry.objects.filter(offer__event=event)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    by_offer: dict[int, list[WaitingEntry]] = {offer.pk: [] for offer in offers}
    for entry in entries:
        by_offer[entry.offer_id].append(entry)
    return [OfferList(offer, by_offer[offer.pk]) for offer in offers]


def events_with_lists() -> QuerySet[Event]:
    """Events that have waiting entries, with counts (back office)."""
    return (
        Event.objects.annotate(
            waiting=Count(
                "offers__waiting_entries",
                filter=Q(offers__waiting_entries__state=EntryState.WAITING),
            )
        )
        .filter(waiting__gt=0)
        .order_by("starts_at")
    )
