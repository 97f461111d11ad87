"""Checking a ticket's QR code against the database, and rotating its key."""

import hmac

from django.db.models import F

from .errors import TicketRefused
from .models import Ticket, TicketState
from .tokens import key_digest, read_token


def check_ticket(token: str, event_id: int | None = None) -> Ticket:
    """The ticket a QR code admits, or TicketRefused with the first failed check's reason:
    malformed → bad_signature → unknown_ticket → wrong_event → key_rotated → cancelled →
    already_used. Reads only: letting the holder in is the gate's business."""
    claims = read_token(token)
    ticket = (
        Ticket.objects.select_related("holder", "order", "event", "order_line__offer")
        .filter(pk=claims.ticket_id)
        .first()
    )
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
