"""/api/v1/waiting-list: join, list with place and state, leave; the web pages' rules."""

import pytest

from etickets.api.tests.test_shop_api import Api, token_for
from etickets.catalog.models import Event, OfferKind
from etickets.inventory import services as pool
from etickets.waitlist import services
from etickets.waitlist.models import EntryState, WaitingEntry


@pytest.fixture
def duo(make_event, make_offer):
    event = make_event(capacity=4)
    offer = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=4)
    return offer


def api_of(user):
    return Api(token_for(user))


@pytest.mark.django_db
def test_join_see_ones_place_then_leave(duo, make_user):
    services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    api = api_of(make_user())
    response = api.call("post", "/waiting-list", {"offer_id": duo.pk, "quantity": 2})
    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["quantity"], entry["seats"], entry["state"], entry["place"]) == (
        2,
        4,
        "WAITING",
        2,
    )
    assert entry["offer"]["tickets_available"] == 0

    (listed,) = api.call("get", "/waiting-list").json()
    assert (listed["id"], listed["place"]) == (entry["id"], 2)

    assert api.call("delete", f"/waiting-list/{entry['id']}").status_code == 204
    assert WaitingEntry.objects.get(pk=entry["id"]).state == EntryState.LEFT
    (listed,) = api.call("get", "/waiting-list").json()
    assert (listed["state"], listed["place"]) == ("LEFT", None)


@pytest.mark.django_db
def test_the_same_refusals_as_the_pages(duo, make_user, make_offer):
    api = api_of(make_user())
    api.call("post", "/waiting-list", {"offer_id": duo.pk, "quantity": 1})
    again = api.call("post", "/waiting-list", {"offer_id": duo.pk, "quantity": 1})
    assert (again.status_code, again.json()["code"]) == (409, "already_waiting")
    on_sale = make_offer()
    refused = api.call("post", "/waiting-list", {"offer_id": on_sale.pk, "quantity": 1})
    assert (refused.status_code, refused.json()["code"]) == (409, "not_sold_out")
    invalid = api.call("post", "/waiting-list", {"offer_id": duo.pk, "quantity": 0})
    assert (invalid.status_code, invalid.json()["code"]) == (400, "invalid")
    missing = api.call("post", "/waiting-list", {"offer_id": 2_000_000_000, "quantity": 1})
    assert missing.status_code == 404
    assert Api().call("get", "/waiting-list").status_code == 401


@pytest.mark.django_db
def test_an_offered_entry_says_until_when(duo, make_user):
    user = make_user()
    entry = services.join_waiting_list(user=user, offer=duo, quantity=1)
    pool.release_sold_seats({duo.event_id: 2})
    services.offer_returned_seats(event_id=duo.event_id)
    (listed,) = api_of(user).call("get", "/waiting-list").json()
    entry.refresh_from_db()
    assert listed["state"] == "OFFERED" and listed["offered_until"] is not None
    items = api_of(user).call("get", "/cart/items").json()["items"]
    assert [item["quantity"] for item in items] == [1]


@pytest.mark.django_db
def test_someone_elses_entry_is_not_found(duo, make_user):
    entry = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    response = api_of(make_user()).call("delete", f"/waiting-list/{entry.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_documented_in_openapi():
    schema = Api().call("get", "/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/waiting-list"])
    assert "delete" in schema["paths"]["/api/v1/waiting-list/{entry_id}"]
