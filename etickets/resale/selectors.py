"""Reading the official resale: what is on sale, and a seller's listings."""

import uuid

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.accounts.models import User
from etickets.catalog.models import Offer
from etickets.waitlist.models import EntryState, WaitingEntry

from .models import Listing, ListingState


def _listed() -> QuerySet[Listing]:
    """Listings on the resale, for an event to come."""
    return Listing.objects.filter(
        state=ListingState.LISTED, event__starts_at__gt=timezone.now()
    ).select_related("offer__event")


def _unheld() -> QuerySet[Listing]:
    """Listed, in no cart where they are still held."""
    return _listed().exclude(cart_line__held_until__gt=timezone.now())


def _on_sale() -> QuerySet[Listing]:
    """Listings any buyer may take now: unheld, of an offer whose waiting list is empty
    (those of an offer someone waits for go to its list: ``waitlist.services``)."""
    waiting = WaitingEntry.objects.filter(offer_id=OuterRef("offer_id"), state=EntryState.WAITING)
    return _unheld().exclude(Exists(waiting))


def unheld_listings(*, offer_id: int) -> list[int]:
    """The ids of the offer's listings no cart holds, longest listed first: what its waiting
    list may be given."""
    return list(
        _unheld()
        .filter(offer_id=offer_id)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def listings_on_sale(*, offer: Offer) -> list[Listing]:
    """The offer's tickets on the official resale, longest listed first."""
    return list(_on_sale().filter(offer=offer).order_by("created_at", "id"))


def listing_to_buy(*, listing_id: int) -> Listing | None:
    """The listing a buyer asks for, if still listed: held in another cart, the cart says so
    (``cart.services.add_listing``)."""
    return _listed().filter(pk=listing_id).first()


def resale_counts(*, offer_ids: list[int]) -> dict[int, int]:
    """How many tickets of each of these offers are on the resale (for the offers list)."""
    if not offer_ids:
        return {}
    found = (
        _on_sale()
        .filter(offer_id__in=offer_ids)
        .order_by()
        .values("offer_id")
        .annotate(n=Count("id"))
    )
    return {row["offer_id"]: row["n"] for row in found}


def live_listing_of(*, ticket_id: uuid.UUID) -> Listing | None:
    """The ticket's listing while it is on the resale."""
    return Listing.objects.filter(ticket_id=ticket_id, state=ListingState.LISTED).first()


def listing_for_seller(user: User, *, listing_id: int) -> Listing:
    """The seller's own listing; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(
        Listing.objects.select_related("ticket", "offer__event"), pk=listing_id, seller=user
    )


def listings_of(*, user: User) -> QuerySet[Listing]:
    """The user's listings, newest first."""
    return Listing.objects.filter(seller=user).select_related("offer__event").order_by("-id")
