"""/api/v1 for the official resale: the same services and rules as its pages."""

import datetime
import uuid

from django.http import Http404
from ninja import Field, Router, Schema, Status

from etickets.cart import services as cart
from etickets.catalog import selectors as catalog
from etickets.resale import selectors, services
from etickets.tickets import selectors as tickets

from .errors import RowId
from .shop import CartOut, EventOut, QueuePass, _passes, customer, describe_cart, describe_event

resale_router = Router(tags=["resale"], auth=customer)


class ListingOut(Schema):
    id: int
    offer_id: int
    event: EventOut
    persons: int
    price_cents: int = Field(description="The ticket's face value: never more, never less")


class MyListingOut(ListingOut):
    ticket_id: uuid.UUID
    payout_cents: int = Field(description="What the seller gets back once it is sold")
    state: str = Field(description="listed, sold or withdrawn")
    created_at: datetime.datetime


class ResaleItemIn(Schema):
    listing_id: RowId


def describe_listing(listing) -> dict:
    return {
        "id": listing.pk,
        "offer_id": listing.offer_id,
        "event": describe_event(listing.offer.event),
        "persons": listing.offer.persons,
        "price_cents": listing.price_cents,
    }


def describe_own_listing(listing) -> dict:
    return {
        **describe_listing(listing),
        "ticket_id": listing.ticket_id,
        "payout_cents": listing.payout_cents,
        "state": listing.state,
        "created_at": listing.created_at,
    }


@resale_router.get(
    "/offers/{offer_id}/listings",
    response=list[ListingOut],
    auth=None,
    summary="Tickets of an offer on the official resale",
)
def offer_listings(request, offer_id: RowId):
    offer = catalog.offer_on_sale(offer_id)
    if offer is None:
        raise Http404
    return [describe_listing(listing) for listing in selectors.listings_on_sale(offer=offer)]


@resale_router.get("/listings", response=list[MyListingOut], summary="My tickets on resale")
def my_listings(request):
    return [describe_own_listing(listing) for listing in selectors.listings_of(user=request.auth)]


@resale_router.post(
    "/tickets/{ticket_id}",
    response={201: MyListingOut},
    summary="Put one of my tickets on the resale, at its face value",
)
def list_ticket(request, ticket_id: uuid.UUID):
    ticket = tickets.ticket_for_owner(request.auth, ticket_id=ticket_id)
    listing = services.list_ticket(user=request.auth, ticket=ticket)
    return Status(201, describe_own_listing(listing))


@resale_router.delete(
    "/listings/{listing_id}", response=MyListingOut, summary="Withdraw my ticket from resale"
)
def withdraw(request, listing_id: RowId):
    listing = selectors.listing_for_seller(request.auth, listing_id=listing_id)
    services.withdraw_listing(user=request.auth, listing=listing)
    return describe_own_listing(listing)


@resale_router.post(
    "/cart",
    response={201: CartOut},
    summary="Put a ticket of the resale in my cart (then pay it with /checkout)",
)
def add_to_cart(request, payload: ResaleItemIn, queue_pass: str | None = QueuePass):
    listing = selectors.listing_to_buy(listing_id=payload.listing_id)
    if listing is None:
        raise Http404
    cart.add_listing(request.auth, listing=listing, passes=_passes(queue_pass))
    return Status(201, describe_cart(request.auth))


@resale_router.delete(
    "/cart/{listing_id}", response=CartOut, summary="Take a ticket of the resale out of my cart"
)
def remove_from_cart(request, listing_id: RowId):
    cart.remove_listing(request.auth, listing_id=listing_id)
    return describe_cart(request.auth)
