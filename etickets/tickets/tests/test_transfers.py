"""« Transférer ce billet »: the rules (tickets.transfers), the gate afterwards, the races."""

import datetime
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from etickets.backoffice.models import AuditAction, AuditEntry
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.gate.models import Verdict
from etickets.gate.services import redeem_ticket
from etickets.tickets import transfers
from etickets.tickets.models import Ticket, TicketState, Transfer, TransferState
from etickets.tickets.services import TicketNotReissued, TicketNotTransferable, TransfersClosed
from etickets.tickets.tokens import issue_token


def link_token(message) -> str:
    found = re.search(r"/billets/transfert/([^/\s]+)/", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def ticket(make_user, buy):
    """A Solo ticket of Marie-José Pérec's, for an event in a month."""
    user = make_user(first_name="Marie-José", last_name="Pérec", email="mjp@example.fr")
    order = buy(user, (OfferKind.SOLO, 1))
    return order.tickets.select_related("event", "holder", "order").get()


@pytest.fixture
def recipient(make_user):
    return make_user(first_name="Teddy", last_name="Riner", email="teddy@example.fr", language="en")


@pytest.fixture
def offered(ticket, django_capture_on_commit_callbacks):
    """The ticket offered to teddy@example.fr: (transfer, the link's token)."""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email=" Teddy@Example.fr ", now=timezone.now()
        )
    return transfer, link_token(mail.outbox[-1])


def accept(token, user, now=None):
    return transfers.accept_transfer(token=token, user=user, now=now or timezone.now())


@pytest.mark.django_db
def test_offer_then_accept(ticket, offered, recipient, django_capture_on_commit_callbacks):
    transfer, token = offered
    assert transfer.recipient_email == "teddy@example.fr"
    (offer_email,) = mail.outbox
    assert offer_email.to == ["teddy@example.fr"]
    assert "Marie-José Pérec" in offer_email.body and "Judo — Finales" in offer_email.body
    assert offer_email.alternatives and "<a href=" in offer_email.alternatives[0][0]
    assert Transfer.objects.get().token_hash != token  # only its hash is stored

    with django_capture_on_commit_callbacks(execute=True):
        new = accept(token, recipient)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.replaced_by) == (TicketState.TRANSFERRED, new)
    assert (new.holder, new.order, new.order_line) == (recipient, ticket.order, ticket.order_line)
    assert new.pk != ticket.pk and new.persons == ticket.persons
    transfer.refresh_from_db()
    assert (transfer.state, transfer.recipient) == (TransferState.ACCEPTED, recipient)
    assert transfer.decided_at is not None
    # Both told, each in their language: the sender in French, the recipient (en) in English.
    to_sender, to_recipient = mail.outbox[1:]
    assert to_sender.to == ["mjp@example.fr"] and "refusés à l'entrée" in to_sender.body
    assert to_recipient.to == ["teddy@example.fr"] and "Hello Teddy" in to_recipient.body
    assert new.get_absolute_url() in to_recipient.body
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.TRANSFER_REQUESTED, AuditAction.TRANSFER_ACCEPTED]
    assert new.number in AuditEntry.objects.get(action=AuditAction.TRANSFER_ACCEPTED).summary


@pytest.mark.django_db
def test_the_link_works_once(offered, recipient):
    _, token = offered
    accept(token, recipient)
    with pytest.raises(transfers.TransferLinkInvalid):
        accept(token, recipient)
    with pytest.raises(transfers.TransferLinkInvalid):
        accept("not-a-token", recipient)


@pytest.mark.django_db
def test_only_the_account_of_the_address_accepts(offered, ticket, make_user):
    _, token = offered
    with pytest.raises(transfers.WrongRecipient) as refused:
        accept(token, make_user(email="someone@example.fr"))
    assert "teddy@example.fr" in str(refused.value)
    with pytest.raises(transfers.WrongRecipient):
        accept(token, ticket.holder)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.VALID


@pytest.mark.django_db
def test_transfer_to_oneself_is_refused(ticket):
    with pytest.raises(transfers.TransferToSelf):
        transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="MJP@example.fr", now=timezone.now()
        )
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_transfers_close_before_the_event(ticket, offered, recipient, settings):
    _, token = offered
    closes_at = ticket.event.starts_at - datetime.timedelta(hours=48)
    with pytest.raises(TransfersClosed) as refused:
        transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="x@example.fr", now=closes_at
        )
    assert "48 heures" in str(refused.value)
    # The link expires then too.
    with pytest.raises(TransfersClosed):
        accept(token, recipient, now=closes_at)
    settings.TRANSFER_CLOSES_BEFORE = datetime.timedelta(hours=1)
    accept(token, recipient, now=closes_at)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["used", "cancelled", "transferred"])
def test_used_cancelled_or_transferred_tickets_are_not_transferred(
    change, ticket, recipient, make_user
):
    if change == "used":
        Ticket.objects.filter(pk=ticket.pk).update(used_at=timezone.now())
    elif change == "cancelled":
        Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    else:
        Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.TRANSFERRED)
    ticket.refresh_from_db()
    with pytest.raises(TicketNotTransferable):
        transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="teddy@example.fr", now=timezone.now()
        )


@pytest.mark.django_db
def test_a_pending_transfer_dies_with_its_ticket(ticket, offered, recipient):
    """Used or refunded while pending: the link no longer gives anything."""
    _, token = offered
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    with pytest.raises(TicketNotTransferable):
        accept(token, recipient)
    assert not Ticket.objects.filter(holder=recipient).exists()
    from etickets.tickets.selectors import transfers_received, transfers_sent

    assert transfers_sent(user=ticket.holder, now=timezone.now()) == []
    assert transfers_received(user=recipient, now=timezone.now()) == []


@pytest.mark.django_db
def test_cancel(ticket, offered, recipient, make_user):
    transfer, token = offered
    with pytest.raises(transfers.TransferNotPending):
        transfers.cancel_transfer(transfer=transfer, sender=make_user())
    transfers.cancel_transfer(transfer=transfer, sender=ticket.holder)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED and transfer.decided_at
    with pytest.raises(transfers.TransferLinkInvalid):
        accept(token, recipient)
    with pytest.raises(transfers.TransferNotPending):
        transfers.cancel_transfer(transfer=transfer, sender=ticket.holder)
    entry = AuditEntry.objects.get(action=AuditAction.TRANSFER_CANCELLED)
    assert "teddy@example.fr" in entry.summary and entry.actor == ticket.holder
    # Cancelled, it may be offered again.
    transfers.offer_transfer(
        ticket=ticket, sender=ticket.holder, email="x@example.fr", now=timezone.now()
    )


@pytest.mark.django_db
def test_one_pending_transfer_per_ticket(ticket, offered):
    with pytest.raises(transfers.TransferAlreadyPending):
        transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="x@example.fr", now=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            ticket=ticket, sender=ticket.holder, recipient_email="y@example.fr", token_hash="x"
        )


@pytest.mark.django_db
def test_transfer_requests_are_rate_limited(ticket, settings):
    settings.TRANSFER_RATE_LIMIT = 2
    for _ in range(2):
        transfer = transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="x@example.fr", now=timezone.now()
        )
        transfers.cancel_transfer(transfer=transfer, sender=ticket.holder)
    with pytest.raises(transfers.TooManyTransfers):
        transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email="x@example.fr", now=timezone.now()
        )


@pytest.mark.django_db
def test_the_recipients_per_account_limit_applies(ticket, offered, recipient, make_offer, settings):
    _, token = offered
    settings.MAX_TICKETS_PER_EVENT = 2
    offer = make_offer(event=ticket.event, kind=OfferKind.DUO)
    cart.add_to_cart(recipient, offer=offer, quantity=2)  # their cart counts, as on any add
    with pytest.raises(cart.EventLimitReached) as refused:
        accept(token, recipient)
    assert refused.value.code == "limit_reached"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.VALID
    cart.set_quantity(recipient, offer=offer, quantity=1)
    assert accept(token, recipient).holder == recipient


# --- At the gate ----------------------------------------------------------------------------


@pytest.fixture
def controller(make_user):
    from django.contrib.auth.models import Group

    from etickets.gate.models import CONTROLLER_GROUP

    user = make_user(first_name="Karim", last_name="Benali")
    user.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    return user


def scan(token, ticket, controller):
    return redeem_ticket(token, event=ticket.event_id, gate="Porte A", controller=controller)


@pytest.mark.django_db
def test_after_acceptance_the_old_qr_is_refused_and_the_new_one_enters(
    ticket, offered, recipient, controller
):
    old_token = issue_token(ticket)
    _, token = offered
    new = accept(token, recipient)
    refused = scan(old_token, ticket, controller)
    assert (refused.verdict, refused.reason) == (Verdict.INVALID, "transferred")
    assert "Billet transféré" in refused.message
    new = Ticket.objects.select_related("holder", "order", "event").get(pk=new.pk)
    assert scan(issue_token(new), ticket, controller).verdict == Verdict.VALID


# --- Races, each party on its own connection (PostgreSQL in CI, SQLite locally) ------------


def race(*attempts):
    """Run the attempts at the same moment, each in its own thread and connection: what each
    returned or raised."""
    start = threading.Barrier(len(attempts))

    def run(attempt):
        start.wait()
        try:
            return attempt()
        except Exception as error:  # the outcome is what the test reads
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts, timeout=60))


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_give_one_ticket(offered, recipient, ticket):
    _, token = offered
    outcomes = race(lambda: accept(token, recipient), lambda: accept(token, recipient))
    tickets = [outcome for outcome in outcomes if isinstance(outcome, Ticket)]
    assert len(tickets) == 1, outcomes
    assert [type(o) for o in outcomes if o not in tickets] == [transfers.TransferLinkInvalid]
    assert Ticket.objects.filter(holder=recipient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_acceptance_racing_a_gate_scan_has_one_outcome(offered, recipient, ticket, controller):
    _, token = offered
    old_token = issue_token(ticket)
    accepted, scanned = race(
        lambda: accept(token, recipient), lambda: scan(old_token, ticket, controller)
    )
    ticket.refresh_from_db()
    if isinstance(accepted, Ticket):  # the transfer won: the old QR code was refused
        assert (scanned.verdict, scanned.reason) == (Verdict.INVALID, "transferred")
        assert ticket.state == TicketState.TRANSFERRED and ticket.used_at is None
    else:  # the scan won: the ticket entered and did not change hands
        assert isinstance(accepted, TicketNotReissued | TicketNotTransferable), accepted
        assert scanned.verdict == Verdict.VALID
        assert ticket.state == TicketState.VALID and ticket.used_at is not None
        assert not Ticket.objects.filter(holder=recipient).exists()


@pytest.mark.django_db
def test_a_refund_cancels_the_pending_transfer(ticket, offered, recipient):
    from etickets.orders.services import refund_tickets

    transfer, token = offered
    refund_tickets(order=ticket.order, tickets=[ticket])
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED and transfer.decided_at
    with pytest.raises(transfers.TransferLinkInvalid):
        accept(token, recipient)
