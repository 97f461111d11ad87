"""Reading the official resale: what is on sale, and a seller's listings."""

import uuid

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.accounts.models import User
from etickets.catalog.models import Offer
from etickets.core.clock import calendar_now
from etickets.waitlist.models import EntryState, WaitingEntry

from .models import Listing, ListingState


def _listed() -> QuerySet[Listing]:
    """Listings on the resale, for an event whose resale has not closed (it closes with the
    transfers: ``resale.services.resale_closed``)."""
    closes = calendar_now() + settings.TRANSFER_CLOSES_BEFORE
    return Listing.objects.filter(
        state=ListingState.LISTED, event__starts_at__gt=closes
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


def on_sale_count() -> Coalesce:
    """How many tickets of the offer being annotated anyone may buy on the resale now (as
    ``listings_on_sale`` shows them), for a list of offers."""
    counted = (
        _on_sale()
        .filter(offer_id=OuterRef("pk"))
        .order_by()
        .values("offer_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


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
