"""Who reaches the scanner and the scan API: controllers and administrators with 2FA, only."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.db import connection
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from etickets.api.models import ApiToken
from etickets.core.testing import ApplicationClient as Client
from etickets.gate.models import CONTROLLER_GROUP, Scan
from etickets.gate.services import BUNDLE_SALT
from etickets.tickets.models import Ticket


def verified_client(user):
    """A browser session of ``user`` that passed its second factor."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    client.get("/controle/")  # sets the CSRF cookie
    return client


def post_scan(client, token, event, **headers):
    body = json.dumps({"token": token, "event_id": event.pk, "gate": "Porte A"})
    return client.post("/api/v1/gate/scan", body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_controller_scans_through_the_api_with_a_verified_session(controller, token, event, ticket):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    response = post_scan(client, token, event, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid" and body["label"] == "VALIDE"
    assert body["ticket"] == {
        "number": ticket.number,
        "holder": "Marie Curie",
        "kind": "Duo",
        "persons": 2,
        "event": "Escrime — Finales",
        "qr_regenerated": False,
    }
    again = post_scan(client, token, event, HTTP_X_CSRFTOKEN=csrf).json()
    assert again["verdict"] == "already_used" and again["used_gate"] == "Porte A"


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(controller, token, event):
    assert post_scan(verified_client(controller), token, event).status_code in (401, 403)
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_bearer_token_of_a_controller(controller, token, event):
    _record, secret = ApiToken.issue(controller, "Téléphone porte A")
    response = post_scan(Client(), token, event, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["verdict"] == "valid"
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_revoked_or_unknown_tokens_are_refused(controller, token, event):
    record, secret = ApiToken.issue(controller, "Perdu")
    record.revoked = True
    record.save()
    for value in (secret, "jet_nimportequoi"):
        assert (
            post_scan(Client(), token, event, HTTP_AUTHORIZATION=f"Bearer {value}").status_code
            == 401
        )


@pytest.mark.django_db
def test_a_controller_without_2fa_cannot_scan(make_user, token, event):
    user = make_user()
    user.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    client = Client()
    client.force_login(user)
    assert client.get("/controle/").url == "/compte/securite/"
    assert post_scan(client, token, event).status_code == 401
    _record, secret = ApiToken.issue(user, "Sans 2FA")
    assert (
        post_scan(Client(), token, event, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


@pytest.mark.django_db
def test_customers_and_visitors_cannot_scan(make_user, token, event, ticket):
    customer = Client()
    customer.force_login(ticket.holder)
    assert customer.get("/controle/").status_code == 404
    assert post_scan(customer, token, event).status_code == 401
    anonymous = Client()
    assert anonymous.get("/controle/").url.startswith("/connexion/")
    assert post_scan(anonymous, token, event).status_code == 401
    assert Ticket.objects.get().used_at is None


@pytest.mark.django_db
def test_scanner_pages(controller, event):
    client = verified_client(controller)
    page = client.get("/controle/").content.decode()
    assert "Contrôle des billets" in page and event.title in page
    page = client.get(f"/controle/?epreuve={event.pk}&porte=Porte+A").content.decode()
    assert "data-scanner" in page and 'id="scanner-texts"' in page
    assert "Numéro ou code du billet" in page
    missing = client.get(f"/controle/?epreuve={event.pk}&porte=").content.decode()
    assert "Indiquez le nom de votre porte." in missing


@pytest.mark.django_db
def test_manual_scan_without_javascript(controller, token, event):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    data = {"epreuve": event.pk, "porte": "Porte A", "token": token, "csrfmiddlewaretoken": csrf}
    assert "autofocus" not in client.get(f"/controle/?epreuve={event.pk}&porte=A").content.decode()
    page = client.post("/controle/scan/", data).content.decode()
    assert "VALIDE" in page and "Marie Curie" in page
    assert re.search(r'<input[^>]*name="token"[^>]*autofocus', page)  # ready for the next code
    assert "Duo — Personnes à faire entrer : <strong>2</strong>" in page
    page = client.post("/controle/scan/", data).content.decode()
    assert "DÉJÀ UTILISÉ" in page and "porte « Porte A »" in page
    # A refusal says what the ticket was for, not that anyone is to be let in.
    verdict = page.split("data-verdict", 1)[1]
    assert "Duo — 2 personnes" in verdict and "faire entrer" not in verdict


@pytest.mark.django_db
def test_offline_bundle_and_sync(controller, token, ticket, event):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    bundle = client.get(f"/api/v1/gate/events/{event.pk}/bundle").json()
    assert bundle["event"] == event.pk and len(bundle["public_key"]) == 44
    (entry,) = bundle["tickets"]
    assert (
        entry["id"] == str(ticket.id) and entry["state"] == "valid" and len(entry["digest"]) == 16
    )
    body = {
        "event_id": event.pk,
        "gate": "Porte B",
        "device": "tel-1",
        "bundle": bundle["stamp"],
        "scans": [{"token": token, "scanned_at": timezone.localtime().isoformat()}],
    }
    results = client.post(
        "/api/v1/gate/sync",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    ).json()
    assert [r["verdict"] for r in results] == ["valid"]
    assert Scan.objects.get().offline


def post_sync(client, event, bundle, times, token, **fields):
    body = {"event_id": event.pk, "gate": "Porte B", "bundle": bundle, **fields}
    body["scans"] = [{"token": token, "scanned_at": time} for time in times]
    return client.post(
        "/api/v1/gate/sync",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(client.user, 'Porte B')[1]}",
    )


@pytest.fixture
def scanner(controller):
    client = Client()
    client.user = controller
    return client


def stamp(event, made_at):
    """A bundle's stamp as the server signs it (only the server has the key)."""
    return signing.dumps({"event": event.pk, "at": made_at.timestamp()}, salt=BUNDLE_SALT)


@pytest.mark.django_db
def test_offline_times_outside_the_bundles_life_are_refused_one_by_one(
    scanner, token, ticket, event
):
    """The attack: scans dated 2001, a time without a zone, garbage, years past 9999 in UTC;
    before the fix the first was recorded and the second failed the whole batch (500)."""
    now = timezone.now()
    made = now - datetime.timedelta(hours=2)
    times = [
        "2001-07-27T10:00:00+02:00",
        (made - datetime.timedelta(minutes=6)).isoformat(),  # before the bundle was made
        (now + datetime.timedelta(minutes=6)).isoformat(),  # in the future
        "2024-07-27T14:03:12",
        "pas une date",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        (made - datetime.timedelta(minutes=4)).isoformat(),  # the device's clock, 4 min late
    ]
    response = post_sync(scanner, event, stamp(event, made), times, token=token)
    assert response.status_code == 200
    *refused, recorded = response.json()
    assert [r["code"] for r in refused] == ["bad_scan_time"] * 7
    assert "Vérifiez l'heure de l'appareil" in refused[0]["message"]
    assert recorded["verdict"] == "valid"
    scan = Scan.objects.get()
    assert scan.offline and scan.scanned_at == made - datetime.timedelta(minutes=4)


@pytest.mark.django_db
def test_offline_results_come_in_the_order_sent_and_the_earliest_scan_wins(
    scanner, token, ticket, event
):
    now = timezone.now()
    times = [
        (now - datetime.timedelta(minutes=1)).isoformat(),
        "hier",
        (now - datetime.timedelta(minutes=2)).astimezone(datetime.UTC).isoformat(),
    ]
    results = post_sync(
        scanner, event, stamp(event, now - datetime.timedelta(hours=1)), times, token=token
    )
    assert [r.get("verdict", r.get("code")) for r in results.json()] == [
        "conflict",
        "bad_scan_time",
        "valid",
    ]


@pytest.mark.django_db
def test_a_bundle_stamp_the_server_did_not_make_for_this_event_is_refused(
    scanner, token, ticket, event, make_event
):
    time = [timezone.now().isoformat()]
    forged = signing.dumps({"event": event.pk, "at": 0}, key="une autre clé " * 4, salt=BUNDLE_SALT)
    other = stamp(make_event(), timezone.now())
    for bundle in (forged, other, "", "n'importe quoi"):
        response = post_sync(scanner, event, bundle, time, token=token)
        assert response.status_code == 400 and response.json()["code"] == "bad_bundle"
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_a_huge_sync_batch_is_refused_whole_without_a_500(scanner, event):
    bundle = stamp(event, timezone.now())
    times = [timezone.now().isoformat()] * 5001
    response = post_sync(scanner, event, bundle, times, "jeton")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    # Past DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it (was a 500).
    too_big = post_sync(scanner, event, bundle, times[:1], "jeton", padding="x" * 3_000_000)
    assert too_big.status_code == 413 and too_big.json()["code"] == "too_large"


@pytest.mark.django_db
def test_tokens_are_issued_only_to_users_with_2fa(controller, make_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("create_api_token", controller.email, "--name", "Porte A", stdout=out)
    token = out.getvalue().split(" : ")[1].strip()
    assert token.startswith("jet_")
    record = ApiToken.objects.get()
    assert record.name == "Porte A" and token not in record.key_hash
    with pytest.raises(CommandError):
        call_command("create_api_token", make_user().email)


@pytest.mark.django_db
def test_bearer_calls_need_no_csrf_token(controller, token, event):
    _record, secret = ApiToken.issue(controller, "Porte B")
    client = Client(enforce_csrf_checks=True)
    response = post_scan(client, token, event, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_scanner_token_costs_no_query_once_cached(
    controller, token, event, django_assert_num_queries
):
    """The token's user comes from the cache with its groups: a scan reads the ticket (with
    its event), then marks it used and logs the scan, and reads nothing about the
    controller."""
    _record, secret = ApiToken.issue(controller, "Téléphone porte A")
    scanner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    post_scan(scanner, "not-a-ticket", event)  # the token's first use fills the cache
    # PostgreSQL: the mark and the log in one statement; SQLite: in a transaction (here a
    # SAVEPOINT and its RELEASE around the UPDATE and the INSERT).
    writes = 1 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(1 + writes):
        assert post_scan(scanner, token, event).json()["verdict"] == "valid"
    with django_assert_num_queries(2):  # refused on reading: the ticket, the log
        assert post_scan(scanner, token, event).json()["verdict"] == "already_used"


@pytest.mark.django_db
def test_a_scan_for_an_unknown_event_is_a_404(controller, token, event):
    _record, secret = ApiToken.issue(controller, "Téléphone porte A")
    scanner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = json.dumps({"token": token, "event_id": event.pk + 1000, "gate": "Porte A"})
    response = scanner.post("/api/v1/gate/scan", body, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_a_ticket_of_another_event_is_refused_and_logged_at_the_gates_event(
    controller, token, event, make_event
):
    """The gate's event is read only when the ticket is not one of its own."""
    other = make_event()
    _record, secret = ApiToken.issue(controller, "Téléphone porte A")
    scanner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = post_scan(scanner, token, other)
    assert response.status_code == 200
    assert (response.json()["verdict"], response.json()["reason"]) == ("invalid", "wrong_event")
    assert Scan.objects.get().event == other


def entries_shown(response) -> str:
    found = re.search(r"<strong data-counter>(\d+)</strong>", response.content.decode())
    assert found, "no counter on the page"
    return found[1]


@pytest.mark.django_db
def test_the_entries_counter_without_javascript(controller, token, event, make_user):
    """The counter was only ever set by the script: without it, « Entrées : 0 » after a valid
    scan. It counts the controller's valid scans at this gate, for this event."""
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    scanner = f"/controle/?epreuve={event.pk}&porte=Porte+A"
    assert entries_shown(client.get(scanner)) == "0"
    data = {"epreuve": event.pk, "porte": "Porte A", "token": token, "csrfmiddlewaretoken": csrf}
    assert entries_shown(client.post("/controle/scan/", data)) == "1"
    assert entries_shown(client.post("/controle/scan/", data)) == "1"  # already used
    bad = {**data, "token": token[:-4] + "AAAA"}
    assert entries_shown(client.post("/controle/scan/", bad)) == "1"  # invalid
    assert entries_shown(client.get(scanner)) == "1"
    assert entries_shown(client.get(f"/controle/?epreuve={event.pk}&porte=Porte+B")) == "0"
    colleague = make_user()
    colleague.groups.add(Group.objects.get(name=CONTROLLER_GROUP))
    device = colleague.totpdevice_set.create(name="default", confirmed=True)
    assert device.persistent_id
    assert entries_shown(verified_client(colleague).get(scanner)) == "0"


def test_scanner_texts_hold_their_colon_and_the_servers_time_zone():
    """The script shows "People to let in: 4" (the colon is translated with its words, not
    added after them with a French space) and entry times in Paris time."""
    from etickets.gate.views import scanner_texts

    texts = scanner_texts()
    assert texts["persons"] == "Personnes à faire entrer :"
    assert texts["timeZone"] == "Europe/Paris"


@pytest.mark.django_db
def test_a_ticket_number_through_the_api(controller, ticket, event, settings):
    _record, secret = ApiToken.issue(controller, "Téléphone porte A")
    scanner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def post(token, **fields):
        body = {"token": token, "event_id": event.pk, "gate": "Porte A", **fields}
        return scanner.post("/api/v1/gate/scan", json.dumps(body), content_type="application/json")

    looked_up = post(ticket.number.lower()).json()
    assert looked_up["verdict"] == "check_identity"
    assert Scan.objects.get(pk=looked_up["scan"]).verdict == "check_identity"  # the lookup
    assert looked_up["label"] == "VÉRIFIEZ L'IDENTITÉ" and looked_up["by_number"]
    assert looked_up["ticket"]["holder"] == "Marie Curie"
    entered = post(ticket.number, identity_checked=True).json()
    assert (entered["verdict"], entered["by_number"]) == ("valid", True)
    assert Scan.objects.get(pk=entered["scan"]).by_number
    assert post(ticket.number).json()["verdict"] == "already_used"
    neither = post("12345").json()
    assert neither["reason"] == "malformed"
    assert "ni le QR code ni le numéro" in neither["message"]

    settings.GATE_NUMBER_RATE_LIMIT = 2  # two lookups so far: the entry is not one
    refused = post(ticket.number)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_numbers"


@pytest.mark.django_db
def test_a_ticket_number_without_javascript(controller, ticket, event, settings):
    client = verified_client(controller)
    csrf = client.cookies["csrftoken"].value
    data = {"epreuve": event.pk, "porte": "Porte A", "csrfmiddlewaretoken": csrf}
    number = f"{ticket.number[:6]}-{ticket.number[6:]}".lower()
    page = client.post("/controle/scan/", {**data, "token": number}).content.decode()
    verdict = page.split("data-verdict", 1)[1]
    assert "VÉRIFIEZ L&#x27;IDENTITÉ" in verdict and "Marie Curie" in verdict
    assert "Pièce d'identité vérifiée : faire entrer" in verdict
    assert f'name="token" value="{ticket.number}"' in page
    assert f'href="/controle/?epreuve={event.pk}&amp;porte=Porte+A"' in page  # « Annuler »
    assert not re.search(r"<input[^>]*autofocus", page)  # the buttons, not a keyboard
    assert Ticket.objects.get().used_at is None

    confirm = {**data, "token": ticket.number, "identite_verifiee": "true"}
    page = client.post("/controle/scan/", confirm).content.decode()
    assert "VALIDE" in page
    assert "Entrée autorisée par numéro, pièce d&#x27;identité vérifiée." in page
    assert entries_shown(client.post("/controle/scan/", confirm)) == "1"  # then already used
    assert Ticket.objects.get().used_gate == "Porte A"

    settings.GATE_NUMBER_RATE_LIMIT = 1  # one lookup so far: the entries are not
    page = client.post("/controle/scan/", {**data, "token": number}).content.decode()
    assert "Trop de numéros saisis en une minute" in page
    assert f'value="{number}"' in page  # kept, to send again
