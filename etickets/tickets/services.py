"""Checking a ticket's QR code against the database, rotating its key, and giving it to
someone else."""

import datetime
import hmac
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.catalog.models import Event, Offer
from etickets.core import sql
from etickets.core.errors import DomainError
from etickets.orders.models import Order, OrderLine

from .errors import TicketRefused
from .models import MAY_ENTER, Ticket, TicketState, Transfer, TransferState
from .tokens import key_digest, read_token

_TICKET, _HOLDER, _ORDER = sql.Loader(Ticket), sql.Loader(get_user_model()), sql.Loader(Order)
_EVENT, _LINE, _OFFER = sql.Loader(Event), sql.Loader(OrderLine), sql.Loader(Offer)
_PARTS = (_TICKET, _HOLDER, _ORDER, _EVENT, _LINE, _OFFER)
_COLUMNS = ", ".join(part.select(alias) for part, alias in zip(_PARTS, "thoelf", strict=True))


def _tickets_with_context(where: str, params: list) -> list[Ticket]:
    """The tickets ``where`` (on ``t``, and any LIMIT) selects, each with its holder, order,
    event and offer: one query (every scan makes it)."""
    found = sql.rows(
        f"SELECT {_COLUMNS} "
        f"FROM tickets_ticket t JOIN {_HOLDER.model._meta.db_table} h ON h.id = t.holder_id "
        "JOIN orders_order o ON o.id = t.order_id JOIN catalog_event e ON e.id = t.event_id "
        "JOIN orders_orderline l ON l.id = t.order_line_id "
        f"JOIN catalog_offer f ON f.id = l.offer_id WHERE {where}",
        params,
    )
    tickets = []
    for values in found:
        parts, start = [], 0
        for part in _PARTS:
            parts.append(part.load(values[start : start + part.width]))
            start += part.width
        ticket, ticket.holder, ticket.order, ticket.event, ticket.order_line, offer = parts
        ticket.order_line.offer = offer
        tickets.append(ticket)
    return tickets


def ticket_with_context(ticket_id: uuid.UUID) -> Ticket | None:
    """The ticket with its holder, order, event and offer."""
    found = _tickets_with_context("t.id = %s", [ticket_id])
    return found[0] if found else None


@dataclass(frozen=True)
class Checked:
    """A ticket that may enter, and whether it showed its static code where the event's are
    rotating: a printed ticket (or a copy of one), let in once an identity document is seen."""

    ticket: Ticket
    printed: bool = False


def check_ticket(
    token: str, *, event_id: int | None = None, at: datetime.datetime | None = None
) -> Checked:
    """The ticket a QR code admits, or TicketRefused with the first failed check's reason:
    malformed → bad_signature → expired_code / future_code (a rotating code, shown at ``at``)
    → unknown_ticket → wrong_event → key_rotated → cancelled… → already_used. Reads only:
    letting the holder in is the gate's business."""
    claims = read_token(token, at=at)
    ticket = ticket_with_context(claims.ticket_id)
    if ticket is None:
        raise TicketRefused("unknown_ticket")
    if event_id is not None and ticket.event_id != event_id:
        raise TicketRefused("wrong_event", ticket)
    if claims.rotating:
        current = claims.key_version == ticket.key_version
    else:
        current = hmac.compare_digest(claims.key_digest, key_digest(ticket))
    if not current:
        raise TicketRefused("key_rotated", ticket)
    _check_entry(ticket)
    return Checked(ticket, printed=not claims.rotating and ticket.event.rotating_codes)


def _check_entry(ticket: Ticket) -> None:
    if ticket.state != TicketState.VALID:  # cancelled, transferred or resold: its own reason
        raise TicketRefused(ticket.state, ticket)
    if ticket.used_at is not None:
        raise TicketRefused("already_used", ticket)


def check_ticket_number(*, number: str, event_id: int) -> Ticket:
    """The ticket of ``event_id`` printed with ``number`` (as ``parse_number`` gives it), or
    TicketRefused: unknown_number → ambiguous_number → cancelled → already_used.

    Only that event's tickets are looked at, so a number tells a gate nothing of other
    events'. A number is no proof: it carries no signature and outlives « Régénérer le QR
    code », so the gate lets it in only once the holder's identity document has been seen.
    """
    # The number is the start of the id: the ids between …000 and …fff, on the primary key.
    prefix = number.lower()
    first, last = uuid.UUID(prefix.ljust(32, "0")), uuid.UUID(prefix.ljust(32, "f"))
    found = _tickets_with_context(
        "t.event_id = %s AND t.id BETWEEN %s AND %s LIMIT 2", [event_id, first, last]
    )
    if not found:
        raise TicketRefused("unknown_number")
    if len(found) > 1:  # two tickets of one event sharing 48 random bits: never guess
        raise TicketRefused("ambiguous_number")
    (ticket,) = found
    _check_entry(ticket)
    return ticket


def can_regenerate(*, ticket: Ticket) -> bool:
    """Whether « Régénérer le QR code » applies to ``ticket`` as loaded: only to a ticket that
    can still enter (``regenerate_qr_code`` checks it again as it writes)."""
    return ticket.may_enter


def regenerate_qr_code(ticket: Ticket) -> bool:
    """« Régénérer le QR code »: a new ticket key, so every earlier QR code is refused.

    Returns whether the key changed: ``can_regenerate``'s rule, in the ``UPDATE`` itself, so
    that a ticket used or refunded since it was loaded keeps its key.
    """
    changed = Ticket.objects.filter(MAY_ENTER, pk=ticket.pk).update(
        key_version=F("key_version") + 1
    )
    ticket.refresh_from_db(fields=["key_version"])
    return bool(changed)


class TicketNotTransferable(DomainError):
    message = _(
        "Ce billet ne peut pas être transféré : il a été utilisé, annulé, transféré ou mis en "
        "revente (retirez-le d'abord de la revente)."
    )
    code = "not_transferable"
    status = 409


class TransfersClosed(DomainError):
    message = _(
        "Les transferts de billets pour cette épreuve sont fermés : ils ferment %(hours)s heures "
        "avant son début."
    )
    code = "transfer_closed"
    status = 409


def transfers_close_at(*, event: Event) -> datetime.datetime:
    """When « Transférer ce billet » closes for ``event``'s tickets, and their links expire."""
    return event.starts_at - settings.TRANSFER_CLOSES_BEFORE


def transfer_refusal(*, ticket: Ticket, now: datetime.datetime) -> DomainError | None:
    """Why ``ticket`` (with its event) may not change hands by a transfer at ``now`` (the
    calendar clock), or None if it may: the one place that decides, for offering a transfer,
    showing it and accepting it. ``reissue_ticket`` checks the ticket's state again as it
    writes."""
    if not ticket.may_enter:
        return TicketNotTransferable()
    if now >= transfers_close_at(event=ticket.event):
        return TransfersClosed(hours=int(settings.TRANSFER_CLOSES_BEFORE.total_seconds() // 3600))
    return None


def can_transfer(*, ticket: Ticket, now: datetime.datetime) -> bool:
    return transfer_refusal(ticket=ticket, now=now) is None


def void_transfers(*, ticket_ids: Collection[uuid.UUID]) -> None:
    """Cancel the pending transfers of tickets that were just cancelled (a refund) or listed
    for resale, in the caller's transaction: their links stop working and nobody sees them
    pending any more.
    (``transfer_refusal`` already refuses them: this keeps the records true.)"""
    Transfer.objects.filter(ticket_id__in=ticket_ids, state=TransferState.PENDING).update(
        state=TransferState.CANCELLED, decided_at=timezone.now()
    )


class TicketNotReissued(DomainError):
    message = _(
        "Ce billet ne peut plus changer de main : il a été utilisé, annulé, transféré ou revendu "
        "entre-temps."
    )
    code = "ticket_not_reissued"
    status = 409


def reissue_ticket(
    *,
    ticket: Ticket,
    holder: User,
    reason: str,
    order: Order | None = None,
    order_line: OrderLine | None = None,
    from_state: str = TicketState.VALID,
) -> Ticket:
    """Give ``ticket`` to ``holder`` as a new ticket (a new id, hence a new key): the old one
    becomes ``reason`` (« transféré » or « revendu ») and every copy of its QR code is refused
    with that reason. The new ticket stays in the old one's order unless it was sold again in
    ``order``. Inside the caller's transaction; TicketNotReissued unless the ticket is still
    unused and ``from_state`` (valid, or listed for a resale) — the one conditional update
    decides, as at the gate."""
    new = Ticket(
        order=order or ticket.order,
        order_line=order_line or ticket.order_line,
        event_id=ticket.event_id,
        holder=holder,
        persons=ticket.persons,
    )
    new.save()
    changed = Ticket.objects.filter(pk=ticket.pk, state=from_state, used_at__isnull=True).update(
        state=reason, replaced_by=new
    )
    if not changed:
        raise TicketNotReissued()
    ticket.state, ticket.replaced_by = reason, new
    return new
