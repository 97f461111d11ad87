import datetime
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from etickets.gate.models import Scan, Verdict
from etickets.gate.services import redeem_ticket
from etickets.tickets.errors import REASONS
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.services import (
    TicketNotReissued,
    check_ticket,
    regenerate_qr_code,
    reissue_ticket,
)
from etickets.tickets.tokens import issue_token


def scan(token, event, controller, gate="Porte A", **kwargs):
    return redeem_ticket(token, event=event, gate=gate, controller=controller, **kwargs)


@pytest.mark.django_db
def test_valid_then_replayed(token, ticket, event, controller):
    first = scan(token, event, controller)
    assert (first.verdict, first.reason) == (Verdict.VALID, "")
    ticket.refresh_from_db()
    assert ticket.used_at is not None and ticket.used_gate == "Porte A"
    assert ticket.used_by == controller
    again = scan(token, event, controller, gate="Porte B")
    assert (again.verdict, again.reason) == (Verdict.ALREADY_USED, "already_used")
    assert again.ticket.used_gate == "Porte A"
    assert list(Scan.objects.values_list("verdict", "gate")) == [
        (Verdict.ALREADY_USED, "Porte B"),
        (Verdict.VALID, "Porte A"),
    ]


@pytest.mark.parametrize(
    ("offline", "lost"), [(False, Verdict.ALREADY_USED), (True, Verdict.CONFLICT)]
)
@pytest.mark.django_db
def test_a_scan_that_loses_the_race_after_reading_is_told_where_it_entered(
    token, ticket, event, controller, offline, lost
):
    """Another gate marks the ticket used between this scan's read and its write."""
    stale = check_ticket(token, event_id=event.pk)
    assert scan(token, event, controller, gate="Porte B").verdict == Verdict.VALID
    with mock.patch("etickets.gate.services.check_ticket", return_value=stale):
        late = scan(token, event, controller, gate="Porte C", offline=offline)
    assert (late.verdict, late.reason) == (lost, "already_used")
    assert late.ticket.used_gate == "Porte B" and late.ticket.used_by == controller
    ticket.refresh_from_db()
    assert ticket.used_gate == "Porte B"
    assert Scan.objects.get(pk=late.scan.pk).verdict == lost


@pytest.mark.django_db
@pytest.mark.parametrize("offline", [False, True])
def test_a_ticket_refunded_between_the_check_and_the_mark_says_so(
    token, ticket, event, controller, offline
):
    stale = check_ticket(token, event_id=event.pk)
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    with mock.patch("etickets.gate.services.check_ticket", return_value=stale):
        late = scan(token, event, controller, offline=offline)
    assert (late.verdict, late.reason) == (Verdict.INVALID, "cancelled")
    assert Scan.objects.values_list("verdict", "reason").get() == (Verdict.INVALID, "cancelled")
    assert Ticket.objects.get(pk=ticket.pk).used_at is None


@pytest.mark.django_db
def test_the_buyer_then_sees_the_ticket_used(client, token, ticket, event, controller):
    scan(token, event, controller)
    client.force_login(ticket.holder)
    assert "Utilisé" in client.get("/mes-billets/").content.decode()


@pytest.mark.django_db
def test_forged_token(token, event, controller):
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    outcome = scan(forged, event, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "bad_signature")
    assert outcome.scan.ticket is None


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", ["", "not a ticket", "https://example.com/?t=1"])
def test_unreadable_codes(garbage, event, controller):
    assert scan(garbage, event, controller).reason == "malformed"


@pytest.mark.django_db
def test_unknown_ticket(token, ticket, event, controller):
    Ticket.objects.filter(pk=ticket.pk).update(id=uuid.uuid4())
    assert scan(token, event, controller).reason == "unknown_ticket"


@pytest.mark.django_db
def test_cancelled_ticket(token, ticket, event, controller):
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    outcome = scan(token, event, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "cancelled")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [TicketState.TRANSFERRED, TicketState.RESOLD])
def test_a_ticket_that_changed_hands(reason, token, ticket, event, controller, make_user):
    """The old QR code, and every copy of it, is refused with why; the new holder's enters."""
    with transaction.atomic():
        new = reissue_ticket(ticket=ticket, holder=make_user(), reason=reason)
    outcome = scan(token, event, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, str(reason))
    assert outcome.message == str(REASONS[reason])
    new = Ticket.objects.select_related("holder", "order").get(pk=new.pk)
    assert scan(issue_token(new), event, controller).verdict == Verdict.VALID
    # Used now: it cannot change hands again.
    with pytest.raises(TicketNotReissued), transaction.atomic():
        reissue_ticket(ticket=new, holder=ticket.holder, reason=reason)


@pytest.mark.django_db
def test_wrong_event(token, controller, make_event):
    outcome = scan(token, make_event(), controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "wrong_event")


@pytest.mark.django_db
def test_regenerated_qr_code(token, ticket, event, controller):
    regenerate_qr_code(ticket)
    assert scan(token, event, controller).reason == "key_rotated"
    assert scan(issue_token(ticket), event, controller).verdict == Verdict.VALID


@pytest.mark.django_db
def test_offline_scan_keeps_its_time_and_a_late_duplicate_is_a_conflict(
    token, ticket, event, controller
):
    earlier = timezone.now() - datetime.timedelta(minutes=20)
    first = scan(token, event, controller, scanned_at=earlier, offline=True, device="tel-1")
    assert first.verdict == Verdict.VALID
    ticket.refresh_from_db()
    assert ticket.used_at == earlier
    late = scan(token, event, controller, gate="Porte C", scanned_at=earlier, offline=True)
    assert (late.verdict, late.reason) == (Verdict.CONFLICT, "already_used")


@pytest.mark.django_db
def test_a_device_clock_in_the_future_is_not_trusted(token, ticket, event, controller):
    scan(token, event, controller, scanned_at=timezone.now() + datetime.timedelta(days=1))
    ticket.refresh_from_db()
    assert ticket.used_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_twenty_gates_scanning_one_ticket_at_once_let_it_in_once(token, event, controller):
    start = threading.Barrier(20)

    def gate(number):
        start.wait()
        try:
            return scan(token, event, controller, gate=f"Porte {number}").verdict
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        verdicts = list(pool.map(gate, range(20), timeout=60))
    assert verdicts.count(Verdict.VALID) == 1
    assert verdicts.count(Verdict.ALREADY_USED) == 19
    assert Scan.objects.count() == 20
