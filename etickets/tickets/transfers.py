"""« Transférer ce billet »: a holder offers a ticket to an e-mail address; whoever has the
account of that address accepts it from the e-mailed link and gets a new ticket (a new key:
the old QR code and its printed copies are refused at the gate, « Billet transféré »).

A pending transfer whose ticket can no longer be transferred (used, refunded, the cutoff
passed) is void: it is neither shown nor accepted (``services.transfer_refusal`` decides).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.backoffice.models import AuditAction
from etickets.backoffice.services import record
from etickets.cart.services import check_tickets_received
from etickets.core import ratelimit
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError

from .models import Ticket, TicketState, Transfer, TransferState
from .services import reissue_ticket, transfer_refusal, transfers_close_at


class TransferToSelf(DomainError):
    message = _("Ce billet est déjà à vous : saisissez l'adresse email d'une autre personne.")
    code = "transfer_to_self"


class TransferAlreadyPending(DomainError):
    message = _(
        "Ce billet a déjà un transfert en attente : annulez-le avant d'en proposer un autre."
    )
    code = "transfer_pending"
    status = 409


class TooManyTransfers(DomainError):
    message = _("Trop de transferts proposés en une heure : réessayez plus tard.")
    code = "rate_limited"
    status = 429


class TransferNotPending(DomainError):
    message = _("Ce transfert n'est plus en attente : il a été accepté, annulé, ou il a expiré.")
    code = "transfer_not_pending"
    status = 409


class TransferLinkInvalid(DomainError):
    message = _(
        "Ce lien de transfert n'est plus valable : le billet a déjà été accepté, le transfert a "
        "été annulé, ou il a expiré."
    )
    code = "transfer_not_found"
    status = 404


class WrongRecipient(DomainError):
    message = _(
        "Ce billet est destiné à l'adresse %(email)s : connectez-vous avec le compte de cette "
        "adresse (ou créez-le) pour l'accepter."
    )
    code = "wrong_recipient"
    status = 403


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _details(transfer: Transfer, ticket: Ticket, **more: str) -> dict[str, str]:
    return {
        "ticket": ticket.number,
        "event": ticket.event.title_fr,
        "sender": transfer.sender.email,
        "recipient": transfer.recipient_email,
        **more,
    }


def offer_transfer(*, ticket: Ticket, sender: User, email: str, now: datetime.datetime) -> Transfer:
    """« Transférer ce billet »: offer ``ticket`` (the sender's own, with its event) to the
    account of ``email``, and e-mail that address the acceptance link. At most
    TRANSFER_RATE_LIMIT an hour per account; one pending transfer per ticket."""
    email = User.objects.normalize_email(email)
    if email == sender.email:
        raise TransferToSelf()
    refusal = transfer_refusal(ticket=ticket, now=now)
    if refusal:
        raise refusal
    if not ratelimit.allow(
        scope="transfer",
        key=str(sender.pk),
        limit=settings.TRANSFER_RATE_LIMIT,
        window_seconds=3600,
        # A known account, one pending transfer per ticket: during an outage it gets through.
        fail_open=True,
    ):
        raise TooManyTransfers()
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                ticket=ticket, sender=sender, recipient_email=email, token_hash=_token_hash(token)
            )
            record(sender, AuditAction.TRANSFER_REQUESTED, ticket, **_details(transfer, ticket))
            language = User.objects.filter(email=email).values_list("language", flat=True)
            send_templated_email(
                "tickets/emails/transfer_offered",
                to=email,
                context={
                    "transfer": transfer,
                    "ticket": ticket,
                    "accept_path": reverse("tickets:transfer_accept", kwargs={"token": token}),
                    "closes_at": transfers_close_at(event=ticket.event),
                },
                language=language.first(),  # the recipient's, if they have an account
            )
    except IntegrityError as error:  # tickets_transfer_one_pending
        raise TransferAlreadyPending() from error
    return transfer


@transaction.atomic
def cancel_transfer(*, transfer: Transfer, sender: User) -> None:
    """« Annuler le transfert »: its link stops working. Only while it is pending."""
    cancelled = Transfer.objects.filter(
        pk=transfer.pk, sender=sender, state=TransferState.PENDING
    ).update(state=TransferState.CANCELLED, decided_at=timezone.now())
    if not cancelled:
        raise TransferNotPending()
    ticket = Ticket.objects.select_related("event").get(pk=transfer.ticket_id)
    record(sender, AuditAction.TRANSFER_CANCELLED, ticket, **_details(transfer, ticket))


def pending_transfer_for(*, token: str) -> Transfer:
    """The pending transfer of an acceptance link, with its ticket, event, offer and sender;
    TransferLinkInvalid for a link unknown, used or cancelled."""
    transfer = (
        Transfer.objects.select_related(
            "ticket__event", "ticket__order_line__offer", "ticket__holder", "sender"
        )
        .filter(token_hash=_token_hash(token), state=TransferState.PENDING)
        .first()
    )
    if transfer is None:
        raise TransferLinkInvalid()
    return transfer


def check_recipient(*, transfer: Transfer, user: User) -> None:
    """Only the account of the address the link was sent to may accept it."""
    if user.email != transfer.recipient_email:
        raise WrongRecipient(email=transfer.recipient_email)


def accept_transfer(*, token: str, user: User, now: datetime.datetime) -> Ticket:
    """Accept the transfer of an acceptance link: ``user`` (the account of its address) gets a
    new ticket in their name, the old one is « transféré », both are told by e-mail. The link
    works once: of two acceptances, or an acceptance and a scan at the gate, one wins."""
    check_recipient(transfer=pending_transfer_for(token=token), user=user)
    with transaction.atomic():
        # Locked: a second acceptance, or a cancellation, waits and then finds it decided.
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("ticket__event", "ticket__holder", "sender")
            .filter(token_hash=_token_hash(token), state=TransferState.PENDING)
            .first()
        )
        if transfer is None:
            raise TransferLinkInvalid()
        ticket = transfer.ticket
        refusal = transfer_refusal(ticket=ticket, now=now)
        if refusal:
            raise refusal
        check_tickets_received(user=user, event_id=ticket.event_id, count=1)
        new = reissue_ticket(ticket=ticket, holder=user, reason=TicketState.TRANSFERRED)
        transfer.state, transfer.recipient, transfer.decided_at = (
            TransferState.ACCEPTED,
            user,
            timezone.now(),
        )
        transfer.save(update_fields=["state", "recipient", "decided_at"])
        record(
            user,
            AuditAction.TRANSFER_ACCEPTED,
            ticket,
            **_details(transfer, ticket, new_ticket=new.number),
        )
        new.event = ticket.event
        context = {"transfer": transfer, "ticket": ticket, "new_ticket": new, "recipient": user}
        for name, person in (("transfer_accepted", transfer.sender), ("transfer_received", user)):
            send_templated_email(
                f"tickets/emails/{name}", to=person.email, context=context, language=person.language
            )
    return new
