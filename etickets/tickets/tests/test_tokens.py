import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from etickets.tickets import tokens
from etickets.tickets.errors import TicketRefused
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.services import can_regenerate, check_ticket, regenerate_qr_code


def refused(token, **kwargs):
    with pytest.raises(TicketRefused) as error:
        check_ticket(token, **kwargs)
    return error.value.reason


def raw(token):
    return bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def encode(data):
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()


@pytest.fixture
def ticket(order):
    return order.tickets.select_related("holder", "order", "event").first()


@pytest.mark.django_db
def test_round_trip(ticket):
    token = tokens.issue_token(ticket)
    assert len(token) <= 126
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    claims = tokens.read_token(token)
    assert (claims.ticket_id, claims.event_id, claims.persons) == (
        ticket.id,
        ticket.event_id,
        ticket.persons,
    )
    assert check_ticket(token).ticket == ticket
    assert check_ticket(token, event_id=ticket.event_id).ticket == ticket


@pytest.mark.django_db
def test_the_ticket_key_binds_account_order_ticket_and_version(ticket):
    key = tokens.ticket_key(
        ticket.holder.account_key, ticket.order.purchase_key, ticket.id, ticket.key_version
    )
    assert len(key) == 32
    assert key != tokens.ticket_key(
        ticket.holder.account_key, ticket.order.purchase_key, ticket.id, ticket.key_version + 1
    )
    assert tokens.read_token(tokens.issue_token(ticket)).key_digest == key[:8]


@pytest.mark.django_db
@pytest.mark.parametrize("position", [0, 5, 20, 21, 25, 40, 93])
def test_any_changed_byte_is_refused(ticket, position):
    data = raw(tokens.issue_token(ticket))
    data[position] ^= 0x01
    assert refused(encode(data)) in ("bad_signature", "malformed")


@pytest.mark.django_db
def test_a_token_signed_by_another_key_is_refused(ticket, monkeypatch):
    forger = Ed25519PrivateKey.generate()
    monkeypatch.setattr(tokens, "signing_key", lambda: forger)
    forged = tokens.issue_token(ticket)
    monkeypatch.undo()
    assert refused(forged) == "bad_signature"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "hello", "!!!!", "a" * 126, "x" * 5000, "https://jo-etickets.fr/", "AAAA====="],
)
def test_garbage_is_malformed(garbage):
    assert refused(garbage) == "malformed"


@pytest.mark.django_db
def test_truncated_token_is_malformed(ticket):
    token = tokens.issue_token(ticket)
    assert refused(token[:-10]) == "malformed"
    assert refused(token[:40]) == "malformed"


@pytest.mark.django_db
def test_unknown_ticket(ticket):
    token = tokens.issue_token(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(id="00000000-0000-0000-0000-000000000001")
    assert refused(token) == "unknown_ticket"


@pytest.mark.django_db
def test_wrong_event(ticket):
    assert refused(tokens.issue_token(ticket), event_id=ticket.event_id + 1) == "wrong_event"


@pytest.mark.django_db
def test_a_regenerated_tickets_old_token_is_refused(ticket):
    old = tokens.issue_token(ticket)
    assert regenerate_qr_code(ticket)
    assert refused(old) == "key_rotated"
    assert check_ticket(tokens.issue_token(ticket)).ticket == ticket


@pytest.mark.django_db
def test_cancelled_and_used_tickets(ticket):
    token = tokens.issue_token(ticket)
    assert can_regenerate(ticket=ticket)
    Ticket.objects.filter(pk=ticket.pk).update(used_at=timezone.now())
    ticket.refresh_from_db()
    assert not can_regenerate(ticket=ticket)
    with pytest.raises(TicketRefused) as refusal:
        check_ticket(token)
    assert refusal.value.reason == "already_used" and refusal.value.ticket == ticket
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    assert refused(token) == "cancelled"
    ticket.refresh_from_db()
    assert not can_regenerate(ticket=ticket)
    assert not regenerate_qr_code(ticket)


@pytest.mark.django_db
def test_the_public_key_alone_checks_authenticity(ticket, client):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    response = client.get("/billets/cle-publique.pem")
    assert response.status_code == 200
    public_key = load_pem_public_key(response.content)
    assert tokens.read_token(tokens.issue_token(ticket), public_key).ticket_id == ticket.id
