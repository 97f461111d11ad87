"""/api/v1/waiting-list: the waiting lists of sold-out offers, with the web pages' rules."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status

from etickets.catalog import selectors as catalog
from etickets.waitlist import selectors, services
from etickets.waitlist.models import EntryState

from .errors import RowId
from .shop import OfferOut, customer, describe_offer

waitlist_router = Router(tags=["waiting lists"], auth=customer)


class EntryIn(Schema):
    offer_id: RowId
    quantity: int = Field(ge=1, le=999, description="Tickets wanted (a Duo admits 2 persons)")


class EntryOut(Schema):
    id: int
    offer: OfferOut
    quantity: int
    seats: int = Field(description="Seats the entry needs: quantity × persons of the offer")
    state: EntryState = Field(
        description="WAITING; OFFERED (seats held in the cart until offered_until); FULFILLED "
        "(paid); LAPSED (not paid in time); LEFT"
    )
    place: int | None = Field(description="Place among the offer's entries still waiting")
    joined_at: datetime.datetime
    offered_until: datetime.datetime | None


def describe_entry(entry) -> dict:
    return {
        "id": entry.pk,
        "offer": describe_offer(entry.offer),
        "quantity": entry.quantity,
        "seats": entry.seats,
        "state": entry.state,
        "place": entry.place,
        "joined_at": entry.joined_at,
        "offered_until": entry.offered_until,
    }


@waitlist_router.get("", response=list[EntryOut], summary="My waiting-list entries")
def list_entries(request):
    entries = selectors.entries_of(user=request.auth)
    return [describe_entry(entry) for entry in entries]


@waitlist_router.post(
    "",
    response={201: EntryOut},
    summary="Join the waiting list of a sold-out offer",
    description="One live entry per account and offer; refused (409 not_sold_out) while the "
    "offer can be bought. Seats that come back are offered in join order: the first entry "
    "they fit is held in the cart for WAITLIST_OFFER_MINUTES and told by e-mail.",
)
def join(request, payload: EntryIn):
    offer = catalog.offer_on_sale(payload.offer_id)
    if offer is None:
        raise Http404
    entry = services.join_waiting_list(user=request.auth, offer=offer, quantity=payload.quantity)
    entry.place = selectors.place_in_list(entry=entry)
    return Status(201, describe_entry(entry))


@waitlist_router.delete("/{entry_id}", response={204: None}, summary="Leave a waiting list")
def leave(request, entry_id: RowId):
    services.leave_waiting_list(user=request.auth, entry_id=entry_id)
    return Status(204, None)
