"""/api/v1 « Transférer ce billet »: the same services and rules as the pages
(etickets.tickets.transfers)."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from etickets.core.clock import calendar_now
from etickets.tickets import selectors as tickets
from etickets.tickets import transfers
from etickets.tickets.services import transfers_close_at

from .errors import ApiError, RowId
from .shop import EventOut, TicketOut, customer, describe_event, describe_ticket

transfers_router = Router(tags=["transfers"], auth=customer)


class TransferIn(Schema):
    email: str = Field(max_length=254, description="The address of the person it is for")


class AcceptIn(Schema):
    token: str = Field(max_length=100, description="From the link e-mailed to the recipient")


class TransferOut(Schema):
    id: int
    ticket_id: uuid.UUID | None = Field(
        description="The sender's ticket; not shown to the recipient"
    )
    ticket_number: str | None = Field(description="Likewise: what a steward types at the gate")
    event: EventOut
    sender_email: str
    recipient_email: str
    state: str = Field(description="pending, accepted or cancelled")
    created_at: datetime.datetime
    expires_at: datetime.datetime = Field(
        description="The link stops working then (TRANSFER_CLOSES_HOURS_BEFORE before the event)"
    )


class TransfersOut(Schema):
    outgoing: list[TransferOut] = Field(description="Mine, waiting for their recipient")
    incoming: list[TransferOut] = Field(description="Offered to my address: accept by the link")


def describe_transfer(transfer, *, incoming: bool = False) -> dict:
    """A transfer; ``incoming``: as its recipient sees it, without the ticket's id and number
    (what a steward types at the gate), which stay the sender's until acceptance."""
    ticket = transfer.ticket
    return {
        "id": transfer.pk,
        "ticket_id": None if incoming else ticket.pk,
        "ticket_number": None if incoming else ticket.number,
        "event": describe_event(ticket.event),
        "sender_email": transfer.sender.email,
        "recipient_email": transfer.recipient_email,
        "state": transfer.state,
        "created_at": transfer.created_at,
        "expires_at": transfers_close_at(event=ticket.event),
    }


@transfers_router.post(
    "/tickets/{ticket_id}/transfer",
    response={201: TransferOut},
    summary="Transfer one of my tickets",
    description="E-mails the recipient a link to accept it; until then the ticket stays mine.",
)
def create_transfer(request, ticket_id: uuid.UUID, payload: TransferIn):
    try:
        validate_email(payload.email.strip())
    except ValidationError as error:
        raise ApiError(
            400,
            "invalid_email",
            _("Saisissez une adresse email valide, par exemple nom@exemple.fr."),
        ) from error
    ticket = tickets.ticket_for_owner(request.auth, ticket_id=ticket_id)
    transfer = transfers.offer_transfer(
        ticket=ticket, sender=request.auth, email=payload.email, now=calendar_now()
    )
    return Status(201, describe_transfer(transfer))


@transfers_router.get("/transfers", response=TransfersOut, summary="My pending transfers")
def list_transfers(request):
    now = calendar_now()
    return {
        "outgoing": [
            describe_transfer(t) for t in tickets.transfers_sent(user=request.auth, now=now)
        ],
        "incoming": [
            describe_transfer(t, incoming=True)
            for t in tickets.transfers_received(user=request.auth, now=now)
        ],
    }


@transfers_router.post(
    "/transfers/accept",
    response={201: TicketOut},
    summary="Accept a ticket transferred to me",
    description="With the token of the e-mailed link; only the account of its address may.",
)
def accept_transfer(request, payload: AcceptIn):
    new = transfers.accept_transfer(token=payload.token, user=request.auth, now=calendar_now())
    return Status(201, describe_ticket(tickets.ticket_for_owner(request.auth, ticket_id=new.pk)))


# After /transfers/accept, which its path would take for an id.
@transfers_router.delete(
    "/transfers/{transfer_id}", response={204: None}, summary="Cancel my pending transfer"
)
def cancel_transfer(request, transfer_id: RowId):
    transfer = tickets.pending_transfer_of(user=request.auth, transfer_id=transfer_id)
    transfers.cancel_transfer(transfer=transfer, sender=request.auth)
    return Status(204, None)
