"""The resale in /api/v1: the same rules and errors as its pages."""

import pytest

from etickets.api.tests.test_shop_api import Api, checkout, token_for
from etickets.catalog.models import Event
from etickets.resale.models import Listing, ListingState
from etickets.tickets.models import Ticket, TicketState


@pytest.mark.django_db
def test_list_buy_and_withdraw_through_the_api(seller, sold_ticket, offer, make_user):
    api = Api(token_for(seller))
    response = api.call("post", f"/resale/tickets/{sold_ticket.pk}")
    assert response.status_code == 201, response.content
    listed = response.json()
    assert (listed["price_cents"], listed["payout_cents"], listed["state"]) == (
        12000,
        12000,
        "listed",
    )
    again = api.call("post", f"/resale/tickets/{sold_ticket.pk}")
    assert (again.status_code, again.json()["code"]) == (409, "not_listable")
    assert api.call("get", "/tickets").json()[0]["status"] == "listed"

    Event.objects.filter(pk=offer.event_id).update(
        sold=Event.objects.get(pk=offer.event_id).capacity
    )
    public = Api().call("get", f"/resale/offers/{offer.pk}/listings").json()
    assert [item["id"] for item in public] == [listed["id"]]

    buyer = Api(token_for(make_user()))
    own = api.call("post", "/resale/cart", {"listing_id": listed["id"]})
    assert (own.status_code, own.json()["code"]) == (400, "own_listing")
    added = buyer.call("post", "/resale/cart", {"listing_id": listed["id"]})
    assert added.status_code == 201, added.content
    assert added.json()["total_cents"] == 12000
    assert added.json()["resale_items"][0]["listing_id"] == listed["id"]
    held = Api(token_for(make_user())).call("post", "/resale/cart", {"listing_id": listed["id"]})
    assert (held.status_code, held.json()["code"]) == (409, "listing_held")

    order = checkout(buyer)
    assert order.status_code == 201, order.content
    (bought,) = order.json()["tickets"]
    assert bought["status"] == "valid"
    assert Ticket.objects.get(pk=sold_ticket.pk).state == TicketState.RESOLD
    mine = api.call("get", "/resale/listings").json()
    assert mine[0]["state"] == "sold"
    withdrawn = api.call("delete", f"/resale/listings/{listed['id']}")
    assert (withdrawn.status_code, withdrawn.json()["code"]) == (409, "listing_unavailable")


@pytest.mark.django_db
def test_nobody_lists_or_withdraws_anothers_ticket(sold_ticket, listing, make_user):
    intruder = Api(token_for(make_user()))
    assert intruder.call("post", f"/resale/tickets/{sold_ticket.pk}").status_code == 404
    assert intruder.call("delete", f"/resale/listings/{listing.pk}").status_code == 404
    assert Listing.objects.get().state == ListingState.LISTED
    assert intruder.call("post", "/resale/cart", {"listing_id": 999999}).status_code == 404
