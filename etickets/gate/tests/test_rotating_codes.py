"""Rotating codes and printed tickets at the gate (docs/ARCHITECTURE.md, « Rotating QR codes »)."""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from etickets.gate.models import Scan, Verdict
from etickets.gate.services import redeem_ticket
from etickets.gate.tests.test_access import verified_client
from etickets.tickets.models import Ticket
from etickets.tickets.tests.rotating import rotating_code
from etickets.tickets.tokens import issue_token


def scan(code, event, controller, gate="Porte A", **kwargs):
    return redeem_ticket(code, event=event, gate=gate, controller=controller, **kwargs)


@pytest.fixture
def event(event):
    event.rotating_codes = True
    event.save()
    return event


@pytest.mark.django_db
def test_a_rotating_code_enters_once(ticket, event, controller):
    code = rotating_code(ticket)
    first = scan(code, event, controller)
    assert (first.verdict, first.printed, first.message) == (
        Verdict.VALID,
        False,
        "Entrée autorisée.",
    )
    again = scan(rotating_code(ticket), event, controller, gate="Porte B")
    assert (again.verdict, again.reason) == (Verdict.ALREADY_USED, "already_used")


@pytest.mark.django_db
def test_a_screenshot_is_an_expired_code(ticket, event, controller):
    screenshot = rotating_code(ticket, at=timezone.now() - datetime.timedelta(seconds=40))
    outcome = scan(screenshot, event, controller)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "expired_code")
    assert outcome.label == "INVALIDE"
    assert outcome.message.startswith("Code expiré (capture d'écran ?)")
    assert Ticket.objects.get().used_at is None
    assert Scan.objects.get().reason == "expired_code"


@pytest.mark.django_db
def test_a_printed_ticket_enters_once_its_holders_identity_is_seen(ticket, event, controller):
    token = issue_token(ticket)
    lookup = scan(token, event, controller)
    assert (lookup.verdict, lookup.printed) == (Verdict.CHECK_IDENTITY, True)
    assert lookup.message.startswith("Billet imprimé — vérifiez la pièce d'identité")
    assert Ticket.objects.get().used_at is None
    entry = scan(token, event, controller, identity_checked=True)
    assert (entry.verdict, entry.printed) == (Verdict.VALID, True)
    assert Scan.objects.get(pk=entry.scan.pk).printed
    # One entry either way: the phone's code no longer enters, nor does the printed one.
    assert scan(rotating_code(ticket), event, controller).reason == "already_used"
    assert scan(token, event, controller, identity_checked=True).reason == "already_used"


@pytest.mark.django_db
def test_a_static_code_enters_at_once_where_codes_do_not_rotate(ticket, event, controller):
    event.rotating_codes = False
    event.save()
    outcome = scan(issue_token(ticket), event, controller)
    assert (outcome.verdict, outcome.printed) == (Verdict.VALID, False)
    # A rotating code made before the policy changed is still a proof.
    assert scan(rotating_code(ticket), event, controller).reason == "already_used"


@pytest.mark.django_db
def test_after_a_rotating_entry_the_printed_ticket_is_refused(ticket, event, controller):
    assert scan(rotating_code(ticket), event, controller).verdict == Verdict.VALID
    assert scan(issue_token(ticket), event, controller).reason == "already_used"


@pytest.mark.django_db
def test_an_offline_scan_is_checked_against_its_own_time(ticket, event, controller):
    shown_at = timezone.now() - datetime.timedelta(minutes=3)
    code = rotating_code(ticket, at=shown_at)
    assert scan(code, event, controller).reason == "expired_code"  # online, now: too old
    synced = scan(code, event, controller, scanned_at=shown_at, offline=True, device="tel-1")
    assert synced.verdict == Verdict.VALID
    # …but an offline device cannot bring back a screenshot from before.
    stale = rotating_code(ticket, at=shown_at - datetime.timedelta(minutes=1))
    late = scan(stale, event, controller, scanned_at=shown_at, offline=True)
    assert late.reason == "expired_code"


@pytest.mark.django_db
def test_the_bundle_says_the_policy_and_the_key_versions(controller, ticket, event):
    client = verified_client(controller)
    bundle = client.get(f"/api/v1/gate/events/{event.pk}/bundle").json()
    assert bundle["rotating_codes"] is True
    served_at = datetime.datetime.fromisoformat(bundle["served_at"])
    assert abs((served_at - timezone.now()).total_seconds()) < 5
    assert [entry["key_version"] for entry in bundle["tickets"]] == [1]


@pytest.mark.django_db
def test_the_api_says_printed_and_takes_the_identity_check(controller, ticket, event):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value

    def post(**fields):
        body = {"token": issue_token(ticket), "event_id": event.pk, "gate": "Porte A", **fields}
        return client.post(
            "/api/v1/gate/scan",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
        ).json()

    lookup = post()
    assert (lookup["verdict"], lookup["printed"], lookup["by_number"]) == (
        "check_identity",
        True,
        False,
    )
    assert lookup["ticket"]["holder"] == "Marie Curie"
    assert post(identity_checked=True)["verdict"] == "valid"


@pytest.mark.django_db
def test_a_printed_ticket_without_javascript(controller, ticket, event):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    data = {"epreuve": event.pk, "porte": "Porte A", "csrfmiddlewaretoken": csrf}
    token = issue_token(ticket)
    page = client.post("/controle/scan/", {**data, "token": token}).content.decode()
    verdict = page.split("data-verdict", 1)[1]
    assert "Billet imprimé — vérifiez la pièce d&#x27;identité" in verdict
    assert "Marie Curie" in verdict
    assert f'name="token" value="{token}"' in page  # the code itself comes back
    page = client.post(
        "/controle/scan/", {**data, "token": token, "identite_verifiee": "true"}
    ).content.decode()
    assert "Entrée autorisée, billet imprimé, pièce d&#x27;identité vérifiée." in page
    assert Ticket.objects.get().used_gate == "Porte A"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["rotating", "printed"])
def test_twenty_gates_scanning_one_code_at_once_let_it_in_once(kind, ticket, event, controller):
    code = rotating_code(ticket) if kind == "rotating" else issue_token(ticket)
    start = threading.Barrier(20)

    def gate(number):
        start.wait()
        try:
            return scan(code, event, controller, gate=f"Porte {number}", identity_checked=True)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(gate, range(20), timeout=60))
    verdicts = [outcome.verdict for outcome in outcomes]
    assert verdicts.count(Verdict.VALID) == 1
    assert verdicts.count(Verdict.ALREADY_USED) == 19
    assert Scan.objects.filter(verdict=Verdict.VALID).count() == 1
