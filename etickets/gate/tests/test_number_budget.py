"""Entries by typed number held to a budget per controller and to the event's day, online and
offline alike; lookups counted and recorded (security review of the printed ticket number)."""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from conftest import pay
from etickets.api.models import ApiToken
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.core.testing import ApplicationClient as Client
from etickets.gate.models import Scan, Verdict
from etickets.gate.selectors import entries_let_in
from etickets.gate.services import (
    CHECK_IDENTITY,
    OfflineScan,
    TooManyNumbers,
    number_entry_hours,
    number_entry_refusal,
    offline_bundle,
    redeem_ticket,
    sync_offline_scans,
)
from etickets.tickets.models import Ticket


def typed(number, event, controller, **kwargs):
    return redeem_ticket(number, event=event, gate="Porte A", controller=controller, **kwargs)


@pytest.fixture
def tickets(make_user, make_offer, event, generous_limits):
    """Six Solo tickets of ``event``, bought by Ada Lovelace."""
    user = make_user(first_name="Ada", last_name="Lovelace")
    cart.add_to_cart(user, offer=make_offer(event=event, kind=OfferKind.SOLO), quantity=6)
    return list(pay(user).tickets.order_by("id"))


def sync(event, controller, entries):
    """Send ``entries`` ((ticket, seconds before now)) as entries made offline, identity checked."""
    now = timezone.now()
    return sync_offline_scans(
        event=event,
        gate="Porte B",
        controller=controller,
        device="tel-vole",
        bundle=offline_bundle(event)["stamp"],
        scans=[
            OfflineScan(ticket.number, (now - datetime.timedelta(seconds=ago)).isoformat(), True)
            for ticket, ago in entries
        ],
    )


def used(tickets):
    return Ticket.objects.filter(pk__in=[t.pk for t in tickets], used_at__isnull=False).count()


@pytest.mark.django_db
def test_a_sync_of_more_numbers_than_the_budget_marks_only_the_budget_used(
    tickets, event, controller, settings
):
    """A stolen scanner syncing every number of its bundle: within a minute, the budget only."""
    settings.GATE_NUMBER_RATE_LIMIT = 3
    entries = [(ticket, 100) for ticket in tickets[:5]] + [(tickets[5], 30)]
    results = sync(event, controller, entries)
    verdicts = [result.verdict for result in results]
    # Three in the minute from 100 s ago; the sixth, 70 s later, starts a minute of its own.
    assert verdicts == [Verdict.VALID] * 3 + [Verdict.NUMBER_REFUSED] * 2 + [Verdict.VALID]
    assert {result.reason for result in results[3:5]} == {"number_budget"}
    assert "Trop d'entrées par numéro en une minute" in results[3].message
    assert used(tickets) == 4
    refused = Scan.objects.filter(verdict=Verdict.NUMBER_REFUSED)
    assert {scan.ticket_id for scan in refused} == {tickets[3].pk, tickets[4].pk}
    assert all(scan.offline and scan.by_number and scan.device == "tel-vole" for scan in refused)
    assert entries_let_in(event, gate="Porte B", controller=controller) == 4


@pytest.mark.django_db
def test_online_and_offline_entries_by_number_share_the_budget(
    tickets, event, controller, make_user, settings
):
    settings.GATE_NUMBER_RATE_LIMIT = 3
    for ticket in tickets[:2]:
        assert typed(ticket.number, event, controller, identity_checked=True).verdict == "valid"
    first, second = sync(event, controller, [(tickets[2], 10), (tickets[3], 5)])
    assert (first.verdict, second.verdict) == (Verdict.VALID, Verdict.NUMBER_REFUSED)
    online = typed(tickets[4].number, event, controller, identity_checked=True)
    assert (online.verdict, online.reason) == (Verdict.NUMBER_REFUSED, "number_budget")
    assert online.ticket.used_at is None and used(tickets) == 3
    # Another controller's budget, and QR codes, are untouched.
    assert typed(tickets[4].number, event, make_user(), identity_checked=True).verdict == "valid"


@pytest.mark.django_db
def test_any_minute_of_the_entries_times_holds_the_budget_whatever_their_order(
    event, controller, settings
):
    """Entries arrive out of order (offline ones late): every 60-second window counts."""
    settings.GATE_NUMBER_RATE_LIMIT = 2
    now = timezone.now()

    def entered(seconds):
        Scan.objects.create(
            event=event,
            verdict=Verdict.VALID,
            controller=controller,
            gate="Porte A",
            scanned_at=now + datetime.timedelta(seconds=seconds),
            by_number=True,
        )

    def refusal(seconds):
        at = now + datetime.timedelta(seconds=seconds)
        return number_entry_refusal(event=event, controller=controller, at=at)

    entered(0)
    entered(100)
    assert refusal(50) == ""  # [0, 60) and [50, 110) hold one entry each
    entered(50)
    assert refusal(20) == "number_budget"  # [0, 60) would hold three
    assert refusal(45) == "number_budget"
    assert refusal(60) == "number_budget"  # [50, 110) would hold 50, 60 and 100
    assert refusal(-59) == ""  # [-59, 1) holds 0 only
    assert refusal(111) == ""  # [100, 160) holds 100 only
    # Lookups, refusals and other controllers' entries are not entries by number.
    Scan.objects.filter(scanned_at=now).update(verdict=Verdict.CHECK_IDENTITY)
    assert refusal(20) == ""


@pytest.mark.django_db
def test_entries_by_number_only_on_the_event_day_from_a_few_hours_before(
    ticket, controller, make_event, settings
):
    paris = datetime.timezone(datetime.timedelta(hours=2))
    evening = make_event(starts_at=datetime.datetime(2024, 7, 27, 21, 0, tzinfo=paris))
    opens, closes = number_entry_hours(evening)
    assert opens == datetime.datetime(2024, 7, 27, 17, 0, tzinfo=paris)
    assert closes == datetime.datetime(2024, 7, 28, 0, 0, tzinfo=paris)
    second = datetime.timedelta(seconds=1)
    for at, refusal in [
        (opens - second, "number_hours"),
        (opens, ""),
        (closes - second, ""),
        (closes, "number_hours"),
    ]:
        assert number_entry_refusal(event=evening, controller=controller, at=at) == refusal, at

    # A ticket of an event a month away: looked up, but never marked by its number.
    event = ticket.event
    event.starts_at = timezone.now() + datetime.timedelta(days=30)
    event.save()
    assert typed(ticket.number, event, controller).verdict == CHECK_IDENTITY
    outcome = typed(ticket.number, event, controller, identity_checked=True)
    assert (outcome.verdict, outcome.reason, outcome.label) == (
        Verdict.NUMBER_REFUSED,
        "number_hours",
        "NUMÉRO REFUSÉ",
    )
    assert "seulement le jour de l'épreuve" in outcome.message
    ticket.refresh_from_db()
    assert ticket.used_at is None
    assert Scan.objects.get(verdict=Verdict.NUMBER_REFUSED).by_number


@pytest.mark.django_db
def test_the_sync_api_says_which_entries_by_number_were_refused(
    tickets, event, controller, settings
):
    settings.GATE_NUMBER_RATE_LIMIT = 1
    _record, secret = ApiToken.issue(controller, "Téléphone porte B")
    scanner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    stamp = scanner.get(f"/api/v1/gate/events/{event.pk}/bundle").json()["stamp"]
    now = timezone.now().isoformat()
    body = {
        "event_id": event.pk,
        "gate": "Porte B",
        "bundle": stamp,
        "scans": [
            {"token": ticket.number, "scanned_at": now, "identity_checked": True}
            for ticket in tickets[:2]
        ],
    }
    response = scanner.post("/api/v1/gate/sync", json.dumps(body), content_type="application/json")
    entered, refused = response.json()
    assert entered["verdict"] == "valid"
    assert (refused["verdict"], refused["label"], refused["reason"]) == (
        "number_refused",
        "NUMÉRO REFUSÉ",
        "number_budget",
    )
    assert refused["ticket"]["number"] == tickets[1].number and refused["used_at"] is None
    assert Scan.objects.get(pk=refused["scan"]).verdict == Verdict.NUMBER_REFUSED


@pytest.mark.django_db
def test_only_lookups_count_against_the_online_limit(tickets, event, controller, settings):
    """A steward looks up a number, then lets its holder in: the limit is on the lookups."""
    settings.GATE_NUMBER_RATE_LIMIT = 3
    for ticket in tickets[:3]:
        assert typed(ticket.number, event, controller).verdict == CHECK_IDENTITY
        assert typed(ticket.number, event, controller, identity_checked=True).verdict == "valid"
    with pytest.raises(TooManyNumbers):
        typed(tickets[3].number, event, controller)
    # The lookup refused is not recorded: nothing was shown.
    assert Scan.objects.filter(verdict=CHECK_IDENTITY).count() == 3


@pytest.mark.django_db
def test_a_lookup_is_recorded_but_is_no_entry(ticket, event, controller):
    looked_up = typed(ticket.number, event, controller)
    scan = Scan.objects.get()
    assert scan == looked_up.scan and not scan.offline
    assert (scan.verdict, scan.by_number, scan.ticket_id) == (CHECK_IDENTITY, True, ticket.pk)
    assert scan.get_verdict_display() == "VÉRIFIEZ L'IDENTITÉ"
    assert entries_let_in(event, gate="Porte A", controller=controller) == 0
    ticket.refresh_from_db()
    assert ticket.used_at is None
    # Its QR code regenerated: the steward is told to take extra care.
    assert not looked_up.ticket.qr_regenerated
    Ticket.objects.filter(pk=ticket.pk).update(key_version=2)
    assert typed(ticket.number, event, controller).ticket.qr_regenerated


@pytest.mark.django_db(transaction=True)
def test_two_gates_entering_one_number_at_once_let_it_in_once(ticket, event, controller, make_user):
    controllers = [controller, make_user()]
    start = threading.Barrier(4)

    def gate(number):
        start.wait()
        try:
            return typed(
                ticket.number, event, controllers[number % 2], identity_checked=True
            ).verdict
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = list(pool.map(gate, range(4), timeout=60))
    assert sorted(verdicts) == [Verdict.ALREADY_USED] * 3 + [Verdict.VALID]
    assert Scan.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_entries_by_number_cannot_overspend_the_budget(
    tickets, event, controller, settings
):
    settings.GATE_NUMBER_RATE_LIMIT = 2
    start = threading.Barrier(len(tickets))

    def gate(ticket):
        start.wait()
        try:
            return typed(ticket.number, event, controller, identity_checked=True).verdict
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(tickets)) as pool:
        verdicts = list(pool.map(gate, tickets, timeout=60))
    assert verdicts.count(Verdict.VALID) == 2
    assert verdicts.count(Verdict.NUMBER_REFUSED) == len(tickets) - 2
    assert used(tickets) == 2
