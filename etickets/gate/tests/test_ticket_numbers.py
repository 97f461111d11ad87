"""The printed ticket number typed at a gate when the QR code will not scan (issue 20)."""

import uuid

import pytest

from etickets.gate.models import Scan, Verdict
from etickets.gate.services import (
    CHECK_IDENTITY,
    OfflineScan,
    TooManyNumbers,
    redeem_ticket,
    sync_offline_scans,
)
from etickets.tickets.models import Ticket, TicketState, parse_number
from etickets.tickets.services import regenerate_qr_code


def typed(number, event, controller, **kwargs):
    return redeem_ticket(number, event=event, gate="Porte A", controller=controller, **kwargs)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3F2A9C01B7D4", "3F2A9C01B7D4"),
        ("3f2a9c01b7d4", "3F2A9C01B7D4"),
        (" 3F2A 9C01 B7D4 ", "3F2A9C01B7D4"),
        ("3f2a-9c01-b7d4", "3F2A9C01B7D4"),
        ("3F2A\u00a09C01-B7D4", "3F2A9C01B7D4"),  # a non-breaking space, pasted
        ("3F2A9C01B7D", None),  # one character short
        ("3F2A9C01B7D4E", None),
        ("3F2A9C01B7DZ", None),  # not hexadecimal
        ("", None),
    ],
)
def test_a_typed_number_is_read_in_any_case_with_spaces_or_dashes(text, number):
    assert parse_number(text) == number


@pytest.mark.django_db
def test_a_number_shows_the_holder_then_lets_in_once_the_identity_is_checked(
    ticket, event, controller
):
    spaced = " ".join([ticket.number[:4], ticket.number[4:8], ticket.number[8:]]).lower()
    looked_up = typed(spaced, event, controller)
    assert (looked_up.verdict, looked_up.reason) == (CHECK_IDENTITY, "")
    assert looked_up.ticket.holder.last_name == "Curie" and looked_up.label == "VÉRIFIEZ L'IDENTITÉ"
    assert "pièce d'identité" in looked_up.message
    ticket.refresh_from_db()
    assert ticket.used_at is None  # nothing happened yet but the lookup, kept for the record
    lookup = Scan.objects.get()
    assert (lookup, lookup.verdict, lookup.by_number) == (looked_up.scan, CHECK_IDENTITY, True)
    assert (lookup.ticket_id, lookup.controller, lookup.gate) == (ticket.pk, controller, "Porte A")

    entered = typed(ticket.number, event, controller, identity_checked=True)
    assert (entered.verdict, entered.by_number) == (Verdict.VALID, True)
    assert entered.message == "Entrée autorisée par numéro, pièce d'identité vérifiée."
    ticket.refresh_from_db()
    assert ticket.used_at is not None and ticket.used_gate == "Porte A"
    scan = Scan.objects.get(verdict=Verdict.VALID)
    assert (scan.by_number, scan.ticket_id) == (True, ticket.pk)

    for identity_checked in (False, True):  # single use, whatever is sent
        again = typed(ticket.number, event, controller, identity_checked=identity_checked)
        assert (again.verdict, again.reason) == (Verdict.ALREADY_USED, "already_used")
    assert Scan.objects.filter(verdict=Verdict.ALREADY_USED, by_number=True).count() == 2


@pytest.mark.django_db
def test_a_number_finds_only_the_tickets_of_the_event_controlled(
    ticket, event, controller, make_event
):
    other = make_event()
    outcome = typed(ticket.number, other, controller, identity_checked=True)
    assert (outcome.verdict, outcome.reason, outcome.ticket) == (
        Verdict.INVALID,
        "unknown_number",
        None,  # not even the name of another event's holder
    )
    assert "Aucun billet de cette épreuve" in outcome.message
    scan = Scan.objects.get()
    assert (scan.event, scan.by_number, scan.ticket) == (other, True, None)
    by_id = typed("000000000000", event.pk, controller)
    assert by_id.reason == "unknown_number" and by_id.scan.event == event
    ticket.refresh_from_db()
    assert ticket.used_at is None


@pytest.mark.django_db
def test_a_cancelled_ticket_is_refused_by_number(ticket, event, controller):
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CANCELLED)
    outcome = typed(ticket.number, event, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "cancelled")


@pytest.mark.django_db
def test_a_number_outlives_a_regenerated_qr_code(ticket, event, controller):
    """It is printed from the ticket's id: hence the identity check."""
    regenerate_qr_code(ticket)
    assert typed(ticket.number, event, controller).verdict == CHECK_IDENTITY


@pytest.mark.django_db
def test_two_tickets_of_an_event_sharing_a_number_are_never_guessed(ticket, event, controller):
    twin = Ticket.objects.get(pk=ticket.pk)
    twin.pk = uuid.UUID(ticket.id.hex[:12] + "4" + "f" * 19)
    twin.save(force_insert=True)
    outcome = typed(ticket.number, event, controller, identity_checked=True)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "ambiguous_number")
    assert not Ticket.objects.filter(used_at__isnull=False).exists()


@pytest.mark.django_db
def test_numbers_typed_online_are_rate_limited_per_controller(
    ticket, event, controller, make_user, settings
):
    settings.GATE_NUMBER_RATE_LIMIT = 3
    for _ in range(3):
        typed("000000000000", event, controller)
    with pytest.raises(TooManyNumbers):
        typed(ticket.number, event, controller)
    assert Scan.objects.count() == 3
    # Another controller, QR codes and the entries made offline are not held back.
    assert typed(ticket.number, event, make_user()).verdict == CHECK_IDENTITY
    assert typed("pas un billet", event, controller).reason == "malformed"
    offline = typed(ticket.number, event, controller, identity_checked=True, offline=True)
    assert offline.verdict == Verdict.VALID


@pytest.mark.django_db
def test_offline_entries_by_number_are_synced_with_their_identity_check(ticket, event, controller):
    from django.utils import timezone

    from etickets.gate.services import offline_bundle

    bundle = offline_bundle(event)
    (entry,) = bundle["tickets"]
    assert entry["number"] == ticket.number
    now = timezone.now().isoformat()
    unconfirmed, confirmed = sync_offline_scans(
        event=event,
        gate="Porte B",
        controller=controller,
        device="tel-1",
        bundle=bundle["stamp"],
        scans=[OfflineScan(ticket.number, now), OfflineScan(ticket.number.lower(), now, True)],
    )
    assert unconfirmed.verdict == CHECK_IDENTITY  # never let in without the identity check
    assert (confirmed.verdict, confirmed.by_number) == (Verdict.VALID, True)
    scan = Scan.objects.get(verdict=Verdict.VALID)
    assert scan.offline and scan.by_number and scan.device == "tel-1"
