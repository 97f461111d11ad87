"""Rotating QR codes in Chromium: the ticket page draws a new code every 15 s, and a gate that
lost its network still tells a live code from a screenshot (docs/ARCHITECTURE.md, « Rotating QR
codes »)."""

import datetime
import io
import re
import statistics

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import pay

from .browser import (
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Codes-tournants-2024!"


@pytest.fixture
def tickets(transactional_db, settings, make_user, make_event, make_offer):
    """Two Solo tickets of Sophie Martin's, for an event tonight whose codes rotate."""
    from etickets.cart import services as cart

    settings.ETICKETS_TODAY = ""  # the real calendar: the event is within its 72 hours
    buyer = make_user(
        email="sophie@example.fr", first_name="Sophie", last_name="Martin", password=PASSWORD
    )
    event = make_event(
        title="Natation — Finales du 400 m 4 nages",
        starts_at=timezone.now() + datetime.timedelta(hours=2),
        rotating_codes=True,
    )
    cart.add_to_cart(buyer, offer=make_offer(event=event), quantity=2)
    order = pay(buyer)
    return list(order.tickets.select_related("holder", "order", "event").order_by("created_at"))


def shown_code(image) -> str:
    """The code the page shows, read from its picture by zxing-cpp; the same as the page drew."""
    expect(image.locator("svg")).to_be_visible()
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())).convert("L"))
    assert decoded.text == image.get_attribute("data-code")
    return decoded.text


def test_the_ticket_pages_code_changes_every_15_seconds(page, base_url, tickets):
    from etickets.tickets.errors import TicketRefused
    from etickets.tickets.services import check_ticket

    ticket = tickets[0]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "sophie@example.fr", PASSWORD)
    page.goto(base_url + ticket.get_absolute_url())
    image = page.get_by_role("img", name=f"QR code du billet {ticket.number}, renouvelé toutes")
    first = shown_code(image)
    assert first.startswith("JO:") and len(first) == 288
    status = page.locator("[data-code-status]")
    expect(status).to_contain_text(re.compile(r"Nouveau code dans \d+ s"))
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "billet-code-tournant-360")

    # Once loaded, the page needs no network: the next code is drawn offline.
    page.context.set_offline(True)
    page.wait_for_timeout(15_000)
    second = shown_code(image)
    page.context.set_offline(False)
    assert second != first
    now = timezone.now()
    assert check_ticket(first, at=now).ticket == ticket  # the previous step: still accepted
    assert check_ticket(second, at=now).ticket == ticket
    with pytest.raises(TicketRefused) as later:
        check_ticket(first, at=now + datetime.timedelta(seconds=30))
    assert later.value.reason == "expired_code"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/mes-billets/")
    cards = page.locator(".ticket-card")
    expect(cards).to_have_count(2)
    for card in cards.all():
        assert check_ticket(shown_code(card.locator("[data-code-image]"))).ticket in tickets
    assert_accessible(page)
    screenshot(page, "mes-billets-codes-tournants-1280")

    # Logging out takes the keys off this browser.
    databases = "() => indexedDB.databases().then((dbs) => dbs.map((db) => db.name))"
    assert "jo-tickets" in page.evaluate(databases)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Connexion", exact=True)).to_be_visible()
    assert "jo-tickets" not in page.evaluate(databases)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("network", "Hors connexion : ce QR code se prépare avec une connexion."),
        ("logged-out", "Votre session a expiré : reconnectez-vous"),
        ("refused", "Le QR code de ce billet ne s'affiche pas maintenant"),
    ],
)
def test_the_page_says_why_a_code_cannot_show(page, base_url, tickets, answer, message):
    """No key, and no code that looks alive: what to do instead, announced."""

    def key(route):
        if answer == "network":
            route.abort()
        elif answer == "logged-out":
            route.fulfill(status=302, headers={"Location": "/connexion/"})
        else:  # the server's answer for a ticket used since the page was drawn
            route.fulfill(
                status=409,
                json={
                    "code": "code_not_shown",
                    "message": "Le QR code de ce billet ne s'affiche pas maintenant : rechargez "
                    "la page.",
                },
            )

    page.route("**/cle-du-qr-code/", key)
    log_in(page, base_url, "sophie@example.fr", PASSWORD)
    page.goto(base_url + "/mes-billets/")
    card = page.locator(".ticket-card").filter(has_text=tickets[1].number)
    status = card.locator("[data-code-status]")
    expect(status).to_have_attribute("role", "alert")
    expect(status).to_contain_text(message)
    expect(card.locator("[data-code-image] svg")).to_have_count(0)
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_overflow(page)
    screenshot(page, f"mes-billets-code-indisponible-{answer}-360")


@pytest.fixture
def controller(transactional_db, make_user):
    from django.contrib.auth.models import Group

    user = make_user(email="karim@example.fr", first_name="Karim", last_name="Benali")
    user.groups.add(Group.objects.get_or_create(name="Contrôleur")[0])
    return authenticator_for(user)


def test_the_gate_offline_tells_a_live_code_from_a_screenshot(
    browser, base_url, tickets, controller
):
    from conftest import PASSWORD as CONTROLLER_PASSWORD
    from etickets.gate.models import Scan
    from etickets.tickets.models import Ticket
    from etickets.tickets.signing import public_key_raw
    from etickets.tickets.tests.rotating import rotating_code
    from etickets.tickets.tokens import issue_token

    live, printed = tickets
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    gate = browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 900})
    try:
        # Neither clock is right: each page follows the server's time.
        holder = phone.new_page()
        holder.clock.install(time=timezone.now() + datetime.timedelta(minutes=3))
        log_in(holder, base_url, "sophie@example.fr", PASSWORD)
        holder.goto(base_url + live.get_absolute_url())
        image = holder.locator("[data-code-image]")

        scanner = gate.new_page()
        scanner.clock.install(time=timezone.now() - datetime.timedelta(seconds=90))
        log_in(scanner, base_url, "karim@example.fr", CONTROLLER_PASSWORD, controller)
        scanner.goto(base_url + "/controle/")
        scanner.get_by_label("Épreuve").select_option(value=str(live.event_id))
        scanner.get_by_label("Porte", exact=True).fill("Porte Sud")
        scanner.get_by_role("button", name="Commencer le contrôle").click()
        network = scanner.locator("[data-network]")
        expect(network).to_have_text("En ligne")
        scanner.wait_for_function("() => indexedDB.databases().then((dbs) => dbs.length > 0)")
        scanner.wait_for_timeout(500)  # the bundle lands in IndexedDB

        # WebCrypto checks a code in well under 2 ms on this page.
        timings = scanner.evaluate(
            """async ([code, key, now]) => {
              const raw = Uint8Array.from(atob(key), (c) => c.charCodeAt(0));
              const site = await crypto.subtle.importKey("raw", raw, "Ed25519", false, ["verify"]);
              const times = [];
              for (let i = 0; i < 200; i += 1) {
                const start = performance.now();
                const claims = await window.JoTicketCode.read(code, site, now);
                times.push(performance.now() - start);
                if (!claims.ticketId) throw new Error(claims.reason);
              }
              return times;
            }""",
            [rotating_code(live), public_key_raw(), timezone.now().timestamp() * 1000],
        )
        assert statistics.median(timings) < 2, timings

        scanner.context.set_offline(True)
        expect(network).to_contain_text("Hors ligne")
        field = scanner.get_by_label("Numéro ou code du billet")
        verdict = scanner.locator("[data-verdict]")

        # A screenshot of a code, a minute old.
        field.fill(rotating_code(printed, at=timezone.now() - datetime.timedelta(minutes=1)))
        field.press("Enter")
        expect(verdict).to_contain_text("INVALIDE")
        expect(verdict).to_contain_text("Code expiré (capture d'écran ?)")
        screenshot(scanner, "controle-code-expire-hors-ligne")
        expect(verdict).to_be_hidden(timeout=5000)

        # The code on the holder's phone, as the camera reads it.
        field.fill(shown_code(image))
        field.press("Enter")
        expect(verdict).to_contain_text("VALIDE")
        expect(verdict).to_contain_text("Sophie Martin")
        expect(verdict).to_be_hidden(timeout=5000)

        # The printed ticket: the holder's name large, and an identity check first.
        field.fill(issue_token(printed))
        field.press("Enter")
        expect(verdict).to_contain_text("VÉRIFIEZ L'IDENTITÉ")
        expect(verdict).to_contain_text("Billet imprimé — vérifiez la pièce d'identité")
        expect(verdict.locator(".verdict-holder")).to_have_text("Sophie Martin")
        assert_accessible(scanner)
        screenshot(scanner, "controle-billet-imprime-hors-ligne")
        scanner.get_by_role("button", name="Pièce d'identité vérifiée : faire entrer").click()
        expect(verdict).to_contain_text("VALIDE")
        expect(verdict).to_contain_text("billet imprimé, pièce d'identité vérifiée")
        expect(network).to_contain_text("2 passage(s) en attente")
        assert Ticket.objects.filter(used_at__isnull=False).count() == 0

        scanner.context.set_offline(False)
        expect(network).to_contain_text("Passages hors ligne envoyés", timeout=10000)
        expect(network).not_to_contain_text("refusé")
        assert set(Ticket.objects.values_list("used_gate", flat=True)) == {"Porte Sud"}
        for used_at in Ticket.objects.values_list("used_at", flat=True):
            assert abs((used_at - timezone.now()).total_seconds()) < 60  # the server's time
        entries = Scan.objects.filter(offline=True, verdict="valid")
        assert sorted(entries.values_list("printed", flat=True)) == [False, True]
    finally:
        phone.close()
        gate.close()


def test_the_gate_camera_reads_a_rotating_code(playwright, base_url, tickets, controller, tmp_path):
    """The code as the phone draws it (alphanumeric, version 10-M), through the camera."""
    from conftest import PASSWORD as CONTROLLER_PASSWORD
    from etickets.tickets.tests.rotating import rotating_code

    from .test_gate import launch_with_camera, write_y4m

    video = tmp_path / "phone.y4m"
    write_y4m(rotating_code(tickets[0]), video, error="m")
    camera_browser = launch_with_camera(playwright, video)
    try:
        context = camera_browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 900})
        context.grant_permissions(["camera"])
        page = context.new_page()
        log_in(page, base_url, "karim@example.fr", CONTROLLER_PASSWORD, controller)
        page.goto(base_url + "/controle/")
        page.get_by_label("Épreuve").select_option(value=str(tickets[0].event_id))
        page.get_by_label("Porte", exact=True).fill("Porte Sud")
        page.get_by_role("button", name="Commencer le contrôle").click()
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_contain_text("VALIDE", timeout=15000)
        expect(verdict).to_contain_text("Sophie Martin")
        context.close()
    finally:
        camera_browser.close()
