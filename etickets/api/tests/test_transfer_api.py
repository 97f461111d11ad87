"""/api/v1 transfers: create, list, cancel, accept, with the pages' rules and error codes."""

import re

import pytest
from django.core import mail

from conftest import pay
from etickets.api.tests.test_shop_api import Api, token_for
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.services import check_ticket


@pytest.fixture
def ticket(make_user, make_offer):
    user = make_user(email="mjp@example.fr")
    cart.add_to_cart(user, offer=make_offer(kind=OfferKind.SOLO), quantity=1)
    return pay(user).tickets.get()


@pytest.fixture
def sender(ticket):
    return Api(token_for(ticket.holder))


@pytest.fixture
def recipient(make_user):
    user = make_user(email="teddy@example.fr")
    return user, Api(token_for(user))


def link_token() -> str:
    found = re.search(r"/billets/transfert/([^/\s]+)/", str(mail.outbox[-1].body))
    assert found
    return found.group(1)


@pytest.mark.django_db(transaction=True)
def test_transfer_then_accept(ticket, sender, recipient):
    response = sender.call("post", f"/tickets/{ticket.pk}/transfer", {"email": "Teddy@example.fr"})
    assert response.status_code == 201, response.content
    created, token = response.json(), link_token()
    assert created["recipient_email"] == "teddy@example.fr" and created["state"] == "pending"
    assert created["ticket_number"] == ticket.number and "token" not in created
    outgoing = sender.call("get", "/transfers").json()["outgoing"]
    assert [t["id"] for t in outgoing] == [created["id"]]
    user, api = recipient
    (incoming,) = api.call("get", "/transfers").json()["incoming"]
    assert incoming["id"] == created["id"]
    # The ticket's id and number stay the sender's until the recipient accepts it.
    assert (incoming["ticket_id"], incoming["ticket_number"]) == (None, None)
    accepted = api.call("post", "/transfers/accept", {"token": token})
    assert accepted.status_code == 201, accepted.content
    new = accepted.json()
    assert new["status"] == "valid" and new["id"] != str(ticket.pk)
    assert check_ticket(new["token"]).ticket.holder == user
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.TRANSFERRED
    assert sender.call("get", "/transfers").json() == {"outgoing": [], "incoming": []}
    assert str(ticket.pk) not in [t["id"] for t in sender.call("get", "/tickets").json()]
    again = api.call("post", "/transfers/accept", {"token": token})
    assert (again.status_code, again.json()["code"]) == (404, "transfer_not_found")


@pytest.mark.django_db(transaction=True)
def test_errors(ticket, sender, recipient, make_user):
    path = f"/tickets/{ticket.pk}/transfer"
    refused = sender.call("post", path, {"email": "mjp@example.fr"})
    assert (refused.status_code, refused.json()["code"]) == (400, "transfer_to_self")
    refused = sender.call("post", path, {"email": "pas une adresse"})
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_email")
    assert sender.call("post", path, {}).json()["code"] == "invalid"
    _, other = recipient
    assert other.call("post", path, {"email": "x@example.fr"}).status_code == 404
    assert sender.call("post", path, {"email": "teddy@example.fr"}).status_code == 201
    token = link_token()
    refused = sender.call("post", path, {"email": "x@example.fr"})
    assert (refused.status_code, refused.json()["code"]) == (409, "transfer_pending")
    stranger = Api(token_for(make_user(email="someone@example.fr")))
    refused = stranger.call("post", "/transfers/accept", {"token": token})
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_recipient")
    assert Api().call("get", "/transfers").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_cancel(ticket, sender, recipient):
    created = sender.call("post", f"/tickets/{ticket.pk}/transfer", {"email": "teddy@example.fr"})
    transfer_id, token = created.json()["id"], link_token()
    _, other = recipient
    assert other.call("delete", f"/transfers/{transfer_id}").status_code == 404
    assert sender.call("delete", f"/transfers/{transfer_id}").status_code == 204
    assert sender.call("delete", f"/transfers/{transfer_id}").status_code == 404
    refused = other.call("post", "/transfers/accept", {"token": token})
    assert refused.json()["code"] == "transfer_not_found"


@pytest.mark.django_db
def test_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/tickets/{ticket_id}/transfer",
        "/api/v1/transfers",
        "/api/v1/transfers/accept",
    ):
        assert path in schema["paths"], path
    assert "delete" in schema["paths"]["/api/v1/transfers/{transfer_id}"]
