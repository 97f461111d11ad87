import base64
import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from etickets.accounts.models import User
from etickets.core import sql
from etickets.core.clock import calendar_now

from .models import REPLACED_STATES, Ticket, TicketState, Transfer, TransferState
from .services import can_transfer
from .tokens import STEP_SECONDS, issue_certificate, private_key_pkcs8, ticket_private_key


def _owned_by(user: User) -> QuerySet[Ticket]:
    """The user's tickets, but not those that have changed hands (transferred or resold):
    their QR codes are dead and the new holder has the ticket now."""
    return (
        Ticket.objects.filter(holder=user)
        .exclude(state__in=REPLACED_STATES)
        .select_related("event", "order", "order_line__offer", "holder")
    )


def tickets_of(user: User) -> list[Ticket]:
    """« Mes billets »: tickets of events to come, soonest first, then past ones, latest first."""
    now = calendar_now()
    upcoming = _owned_by(user).filter(event__starts_at__gt=now).order_by("event__starts_at")
    past = _owned_by(user).filter(event__starts_at__lte=now).order_by("-event__starts_at")
    return [*upcoming, *past]


def ticket_for_owner(user: User, *, ticket_id: uuid.UUID) -> Ticket:
    """The user's own ticket; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(_owned_by(user), pk=ticket_id)


def order_tickets_of(user: User, *, reference: str) -> list[Ticket]:
    """The tickets of an order of the user's they still hold (none once all changed hands)."""
    return list(
        _owned_by(user).filter(order__reference=reference).order_by("order_line_id", "created_at")
    )


def order_tickets_for_owner(user: User, *, reference: str) -> list[Ticket]:
    """All the tickets of the user's own order, for one PDF; anyone else's is a 404."""
    tickets = order_tickets_of(user, reference=reference)
    if not tickets:
        raise Http404
    return tickets


# The tickets of an event a user holds, as SQL: valid ones (used included) and those they put
# on the resale (they may withdraw them); parameters: ``tickets_held_params``. Hand-written, on
# an index of its own: it runs on every add to a cart in a sales rush.
TICKETS_HELD_SQL = (
    "SELECT COUNT(*) FROM tickets_ticket WHERE holder_id = %s AND event_id = %s "
    "AND state IN (%s, %s)"
)


def tickets_held_params(*, user_id: int, event_id: int) -> list[object]:
    return [user_id, event_id, TicketState.VALID.value, TicketState.LISTED.value]


def tickets_held(*, user_id: int, event_id: int) -> int:
    """The tickets of an event the user holds: what the per-account limit counts (a refunded
    ticket is cancelled, a transferred or resold one is someone else's: they no longer
    count)."""
    (count,) = sql.one(TICKETS_HELD_SQL, tickets_held_params(user_id=user_id, event_id=event_id))
    return count


def _pending_transfers(now: datetime.datetime, **lookups: Any) -> list[Transfer]:
    """The pending transfers ``lookups`` select that may still be accepted at ``now`` (the
    calendar clock): those of tickets since used, refunded or past the cutoff are void."""
    found = (
        Transfer.objects.filter(state=TransferState.PENDING, **lookups)
        .select_related("ticket__event", "ticket__order_line__offer", "sender")
        .order_by("ticket__event__starts_at", "created_at")
    )
    return [transfer for transfer in found if can_transfer(ticket=transfer.ticket, now=now)]


def transfers_sent(*, user: User, now: datetime.datetime) -> list[Transfer]:
    """The user's transfers waiting for their recipient's acceptance."""
    return _pending_transfers(now, sender=user)


def transfers_received(*, user: User, now: datetime.datetime) -> list[Transfer]:
    """The transfers offered to the user's address, waiting for their acceptance."""
    return _pending_transfers(now, recipient_email=user.email)


def pending_transfer_of(*, user: User, transfer_id: int) -> Transfer:
    """The user's own pending transfer; anyone else's, or one decided, is a 404."""
    return get_object_or_404(
        Transfer.objects.select_related("ticket__event"),
        pk=transfer_id,
        sender=user,
        state=TransferState.PENDING,
    )


@dataclass(frozen=True)
class TicketCode:
    """What a ticket's page shows for its QR code: ``static`` (the signed token, as printed),
    ``rotating`` (drawn every STEP_SECONDS by the holder's phone), ``later`` (rotating, from
    ``shown_from``) or ``none`` (a ticket that may no longer enter, under rotating codes)."""

    kind: str
    shown_from: datetime.datetime | None = None
    # Rotating: the site's certificate, base64. Public (every code carries it): the page gives
    # it, so that a phone keeping an older one (a new signing key since) asks for the key again.
    certificate: str = ""


def rotating_code_shown_from(*, event: Any) -> datetime.datetime:
    return event.starts_at - settings.ROTATING_CODE_SHOWN_BEFORE


def ticket_code(*, ticket: Ticket, now: datetime.datetime) -> TicketCode:
    """How ``ticket`` (with its event) shows its QR code at ``now`` (the calendar clock)."""
    if not ticket.event.rotating_codes:
        return TicketCode("static")
    if not ticket.may_enter:
        return TicketCode("none")
    shown_from = rotating_code_shown_from(event=ticket.event)
    if now < shown_from:
        return TicketCode("later", shown_from)
    return TicketCode("rotating", shown_from, base64.b64encode(issue_certificate(ticket)).decode())


class CodeNotShown(Exception):
    """The ticket's rotating code is not to be shown now: nor is its private key given."""


def rotating_code_key(*, ticket: Ticket, now: datetime.datetime) -> dict[str, Any]:
    """What the holder's phone needs to draw ``ticket``'s rotating code offline: the site's
    certificate and the ticket's private key (PKCS#8, as WebCrypto imports it), both base64;
    CodeNotShown unless ``ticket_code`` says rotating. Never in a PDF or an e-mail."""
    if ticket_code(ticket=ticket, now=now).kind != "rotating":
        raise CodeNotShown()
    return {
        "ticket": str(ticket.pk),
        "key_version": ticket.key_version,
        "certificate": base64.b64encode(issue_certificate(ticket)).decode(),
        "private_key": base64.b64encode(private_key_pkcs8(ticket_private_key(ticket))).decode(),
        "step_seconds": STEP_SECONDS,
    }
