"""Checking a ticket's QR code against the database, and rotating its key."""

import hmac
import uuid

from django.contrib.auth import get_user_model
from django.db.models import F

from etickets.catalog.models import Event, Offer
from etickets.core import sql
from etickets.orders.models import Order, OrderLine

from .errors import TicketRefused
from .models import Ticket, TicketState
from .tokens import key_digest, read_token

_TICKET, _HOLDER, _ORDER = sql.Loader(Ticket), sql.Loader(get_user_model()), sql.Loader(Order)
_EVENT, _LINE, _OFFER = sql.Loader(Event), sql.Loader(OrderLine), sql.Loader(Offer)
_PARTS = (_TICKET, _HOLDER, _ORDER, _EVENT, _LINE, _OFFER)
_COLUMNS = ", ".join(part.select(alias) for part, alias in zip(_PARTS, "thoelf", strict=True))


def ticket_with_context(ticket_id: uuid.UUID) -> Ticket | None:
    """The ticket with its holder, order, event and offer: one query (every scan makes it)."""
    found = sql.row(
        f"SELECT {_COLUMNS} "
        f"FROM tickets_ticket t JOIN {_HOLDER.model._meta.db_table} h ON h.id = t.holder_id "
        "JOIN orders_order o ON o.id = t.order_id JOIN catalog_event e ON e.id = t.event_id "
        "JOIN orders_orderline l ON l.id = t.order_line_id "
        "JOIN catalog_offer f ON f.id = l.offer_id WHERE t.id = %s",
        [ticket_id],
    )
    if found is None:
        return None
    parts, start = [], 0
    for part in _PARTS:
        parts.append(part.load(found[start : start + part.width]))
        start += part.width
    ticket, ticket.holder, ticket.order, ticket.event, ticket.order_line, offer = parts
    ticket.order_line.offer = offer
    return ticket


def check_ticket(token: str, *, event_id: int | None = None) -> Ticket:
    """The ticket a QR code admits, or TicketRefused with the first failed check's reason:
    malformed → bad_signature → unknown_ticket → wrong_event → key_rotated → cancelled →
    already_used. Reads only: letting the holder in is the gate's business."""
    claims = read_token(token)
    ticket = ticket_with_context(claims.ticket_id)
    if ticket is None:
        raise TicketRefused("unknown_ticket")
    if event_id is not None and ticket.event_id != event_id:
        raise TicketRefused("wrong_event", ticket)
    if not hmac.compare_digest(claims.key_digest, key_digest(ticket)):
        raise TicketRefused("key_rotated", ticket)
    if ticket.state == TicketState.CANCELLED:
        raise TicketRefused("cancelled", ticket)
    if ticket.used_at is not None:
        raise TicketRefused("already_used", ticket)
    return ticket


def regenerate_qr_code(ticket: Ticket) -> bool:
    """« Régénérer le QR code »: a new ticket key, so every earlier QR code is refused.

    Only for a ticket that can still enter; returns whether the key changed.
    """
    changed = Ticket.objects.filter(
        pk=ticket.pk, state=TicketState.VALID, used_at__isnull=True
    ).update(key_version=F("key_version") + 1)
    ticket.refresh_from_db(fields=["key_version"])
    return bool(changed)
