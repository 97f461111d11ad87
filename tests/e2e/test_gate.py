"""Manual §8 in Chromium: a controller scans a purchased ticket with a (fake) camera, then works
through a network outage."""

import datetime
import re
import shutil
import time
from pathlib import Path

import pytest
import segno
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD as ADMIN_PASSWORD
from conftest import pay

from .browser import (
    SCREENSHOTS,
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    log_in,
    screenshot,
)
from .conftest import CHROMIUM_FLAGS

pytestmark = pytest.mark.e2e

PASSWORD = "Controle-des-billets-2024!"
SLUG = "escrime-finales-sabre-dames-fleuret-hommes-duo"


@pytest.fixture
def sold_ticket(demo_catalogue):
    from django.contrib.auth import get_user_model

    from etickets.cart import services as cart
    from etickets.catalog.models import Offer

    buyer = get_user_model().objects.create_user(
        email="buyer@example.fr",
        username="buyer",
        password=PASSWORD,
        first_name="Marie",
        last_name="Curie",
    )
    offer = Offer.objects.get(slug=SLUG)
    cart.add_to_cart(buyer, offer=offer, quantity=1)
    order = pay(buyer)
    # Its event starts in an hour: the day its tickets may enter by number.
    type(offer.event).objects.filter(pk=offer.event_id).update(
        starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    return order.tickets.select_related("holder", "order", "event").get()


@pytest.fixture
def controller(demo_catalogue):
    """A controller whose authenticator the test holds."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        email="karim@example.fr",
        username="karim",
        password=PASSWORD,
        first_name="Karim",
        last_name="Benali",
    )
    user.groups.add(Group.objects.get_or_create(name="Contrôleur")[0])
    return authenticator_for(user)


def open_scanner(page, base_url, event, gate):
    page.goto(base_url + "/controle/")
    page.get_by_label("Épreuve").select_option(value=str(event.pk))
    page.get_by_label("Porte", exact=True).fill(gate)
    page.get_by_role("button", name="Commencer le contrôle").click()
    expect(page.locator("[data-scanner]")).to_be_visible()


def test_the_event_list_says_when_and_where_each_event_is(page, base_url, controller):
    """Several sessions of a sport on different days: the steward picks tonight's by its
    date, time and venue."""
    from etickets.catalog.models import Event

    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    page.goto(base_url + "/controle/")
    options = page.get_by_label("Épreuve").locator("option")
    expect(options).to_have_count(Event.objects.count())
    expect(options.filter(has_text="Escrime")).to_have_text(
        "29 juillet 2024 à 19:00 — Escrime — Finales du sabre dames et du fleuret hommes "
        "(Grand Palais)"
    )
    for text in options.all_inner_texts():
        assert re.fullmatch(r"\d{1,2} [a-zéû]+ 2024 à \d\d:\d\d — .+ \(.+\)", text), text
    assert_accessible(page)
    screenshot(page, "controle-epreuves-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_overflow(page)
    screenshot(page, "controle-epreuves-360")


def write_y4m(token: str, path: Path, frames: int = 20, error: str = "q") -> None:
    """A short video of the ticket's QR code, in the format Chromium's fake camera plays."""
    width, height = 640, 480
    code = segno.make(token, error=error, micro=False, boost_error=False)
    qr = Image.new("L", (width, height), 255)
    picture = Image.open(_png(code)).convert("L")
    side = min(width, height) - 40
    qr.paste(picture.resize((side, side), Image.Resampling.NEAREST), ((width - side) // 2, 20))
    luma = qr.tobytes()
    chroma = bytes([128]) * (width * height // 4)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def launch_with_camera(playwright, video: Path):
    """Chromium whose camera, allowed without asking, plays ``video`` (write_y4m's)."""
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium") or shutil.which("chromium-browser"),
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )


def _png(code):
    import io

    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def test_camera_scan_valid_then_already_used(
    playwright, browser, base_url, sold_ticket, controller, tmp_path
):
    """The fake camera shows the ticket all along, like a phone still held up after
    « VALIDE »: the scanner says nothing more for 10 s, then « DÉJÀ UTILISÉ »."""
    from etickets.gate.models import Scan
    from etickets.tickets.tokens import issue_token

    video = tmp_path / "ticket.y4m"
    write_y4m(issue_token(sold_ticket), video)
    camera_browser = launch_with_camera(playwright, video)
    try:
        context = camera_browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 900})
        context.grant_permissions(["camera"])
        page = context.new_page()
        log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
        open_scanner(page, base_url, sold_ticket.event, "Porte A")
        # The aiming frame sits on the picture, clear of the help text under it.
        picture, frame = page.locator("[data-camera]"), page.locator(".camera-frame")
        expect(picture).to_be_visible()
        video, aim = picture.bounding_box(), frame.bounding_box()
        assert video["y"] < aim["y"] and aim["y"] + aim["height"] < video["y"] + video["height"]
        assert not boxes_overlap(aim, page.locator("[data-camera-status]").bounding_box())
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_contain_text("VALIDE", timeout=15000)
        let_in = time.monotonic()
        expect(verdict).to_contain_text("Marie Curie")
        expect(verdict).to_contain_text("Duo — Personnes à faire entrer : 2")
        screenshot(page, "scanner-valide")
        expect(verdict).to_be_hidden(timeout=5000)
        while time.monotonic() - let_in < 9:  # the same code, read again and again
            assert not verdict.is_visible(), verdict.inner_text()
            page.wait_for_timeout(200)
        assert Scan.objects.count() == 1
        expect(verdict).to_contain_text("DÉJÀ UTILISÉ", timeout=15000)
        expect(verdict).to_contain_text("Porte A")
        expect(verdict).to_contain_text("Duo — 2 personnes")
        expect(verdict).not_to_contain_text("faire entrer")
        screenshot(page, "scanner-deja-utilise")
        expect(page.locator("[data-counter]")).to_have_text("1")
        context.close()
    finally:
        camera_browser.close()

    buyer = browser.new_context(locale="fr-FR")
    page = buyer.new_page()
    log_in(page, base_url, "buyer@example.fr", PASSWORD)
    page.goto(base_url + "/mes-billets/")
    expect(page.locator(".ticket-status")).to_contain_text("Utilisé")
    buyer.close()


def test_scanner_keeps_working_offline(page, base_url, sold_ticket, controller):
    from etickets.gate.models import Scan
    from etickets.tickets.models import Ticket
    from etickets.tickets.tokens import issue_token

    token = issue_token(sold_ticket)
    page.set_viewport_size({"width": 412, "height": 900})
    page.clock.install()  # ticking as usual, until the test moves it on
    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    page.goto(base_url + "/controle/")
    assert_accessible(page)
    open_scanner(page, base_url, sold_ticket.event, "Tribune Nord")
    network = page.locator("[data-network]")
    expect(network).to_have_text("En ligne")
    page.wait_for_function("() => indexedDB.databases().then((dbs) => dbs.length > 0)")
    page.wait_for_timeout(500)  # the bundle lands in IndexedDB
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.context.set_offline(True)
    expect(network).to_contain_text("Hors ligne")
    code = page.get_by_label("Numéro ou code du billet")
    verdict = page.locator("[data-verdict]")
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    code.fill(forged)
    code.press("Enter")
    expect(verdict).to_contain_text("INVALIDE")
    expect(verdict).to_contain_text("falsifié")
    screenshot(page, "scanner-offline-invalide")
    expect(verdict).to_be_hidden(timeout=5000)

    code.fill(token)
    code.press("Enter")
    expect(verdict).to_contain_text("VALIDE")
    expect(network).to_contain_text("1 passage(s) en attente")
    expect(verdict).to_be_hidden(timeout=5000)
    # Typed again at once: the person just let in, not a second entry.
    code.fill(token)
    code.press("Enter")
    expect(verdict).to_contain_text("Validé ici à l'instant")
    expect(verdict).to_contain_text("Marie Curie")
    expect(verdict).not_to_contain_text("DÉJÀ UTILISÉ")
    expect(network).to_contain_text("1 passage(s) en attente")
    expect(page.locator("[data-counter]")).to_have_text("1")
    screenshot(page, "scanner-valide-ici-a-l-instant")
    expect(verdict).to_be_hidden(timeout=5000)
    page.clock.fast_forward(10_000)
    code.fill(token)
    code.press("Enter")
    expect(verdict).to_contain_text("DÉJÀ UTILISÉ")
    assert Ticket.objects.get(pk=sold_ticket.pk).used_at is None  # nothing reached the server

    page.context.set_offline(False)
    expect(network).to_contain_text("Passages hors ligne envoyés", timeout=10000)
    ticket = Ticket.objects.get(pk=sold_ticket.pk)
    assert ticket.used_at is not None and ticket.used_gate == "Tribune Nord"
    assert Scan.objects.filter(offline=True, verdict="valid").count() == 1


def boxes_overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_scanner_without_camera_on_a_phone_set_to_another_time_zone(
    browser, base_url, sold_ticket, controller
):
    """A controller's phone set to New York time, its camera unavailable, at 360 px: the help
    text is not under the aiming frame, the counter starts from the server's count, and a
    ticket already used says when it entered in Paris time, as the page without JavaScript."""
    import datetime

    from django.contrib.auth import get_user_model

    from etickets.gate.services import redeem_ticket
    from etickets.tickets.models import Ticket
    from etickets.tickets.tokens import issue_token

    token = issue_token(sold_ticket)
    karim = get_user_model().objects.get(email="karim@example.fr")
    redeem_ticket(token, event=sold_ticket.event, gate="Porte A", controller=karim)
    entered = datetime.datetime(2024, 7, 27, 14, 57, 25, tzinfo=datetime.UTC)  # 16:57:25 Paris
    Ticket.objects.filter(pk=sold_ticket.pk).update(used_at=entered)

    context = browser.new_context(
        locale="fr-FR", timezone_id="America/New_York", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
        open_scanner(page, base_url, sold_ticket.event, "Porte A")
        help_text = page.locator("[data-camera-status]")
        expect(help_text).to_contain_text("Caméra indisponible")
        retry = page.get_by_role("button", name="Réessayer la caméra")
        expect(retry).to_be_visible()
        retry.click()  # still no camera: it says so again, and can be tried again
        expect(help_text).to_contain_text("Caméra indisponible")
        expect(retry).to_be_visible()
        frame = page.locator(".camera-frame")
        if frame.is_visible():
            assert not boxes_overlap(frame.bounding_box(), help_text.bounding_box())
        expect(page.locator("[data-counter]")).to_have_text("1")  # the valid scan above
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
        screenshot(page, "scanner-sans-camera-360")
        page.set_viewport_size({"width": 1280, "height": 900})
        assert_no_horizontal_overflow(page)
        screenshot(page, "scanner-sans-camera-1280")

        code = page.get_by_label("Numéro ou code du billet")
        code.fill(token)
        page.get_by_role("button", name="Vérifier").click()
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_contain_text("DÉJÀ UTILISÉ")
        expect(code).to_be_focused()  # ready for the next code
        # A refusal says what the ticket was for, not that anyone is to be let in.
        expect(verdict).to_contain_text("Duo — 2 personnes")
        expect(verdict).not_to_contain_text("faire entrer")
        expect(verdict).to_contain_text("Utilisé le 27 juillet 2024 à 16:57:25, porte « Porte A ».")
        expect(page.locator("[data-counter]")).to_have_text("1")
    finally:
        context.close()
    assert not errors


# The camera refused at first (as when the steward has not allowed it yet), then a picture.
CAMERA_ALLOWED_ON_SECOND_TRY = """
(() => {
  let calls = 0;
  navigator.mediaDevices.getUserMedia = async () => {
    calls += 1;
    if (calls === 1) throw new DOMException("Permission refusée", "NotAllowedError");
    const canvas = Object.assign(document.createElement("canvas"), { width: 320, height: 240 });
    const context = canvas.getContext("2d");
    setInterval(() => { context.fillStyle = "#777"; context.fillRect(0, 0, 320, 240); }, 100);
    return canvas.captureStream(10);
  };
})();
"""


def test_an_unavailable_camera_is_tried_again(page, base_url, sold_ticket, controller):
    page.add_init_script(CAMERA_ALLOWED_ON_SECOND_TRY)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    open_scanner(page, base_url, sold_ticket.event, "Porte A")
    help_text = page.locator("[data-camera-status]")
    expect(help_text).to_contain_text("Caméra indisponible")
    retry = page.get_by_role("button", name="Réessayer la caméra")
    expect(retry).to_be_visible()
    expect(page.locator("[data-camera]")).to_be_hidden()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "scanner-camera-a-reessayer-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "scanner-camera-a-reessayer-1280")

    retry.click()
    expect(page.locator("[data-camera]")).to_be_visible()
    expect(help_text).to_have_text("Présentez le QR code du billet devant la caméra.")
    expect(retry).to_be_hidden()
    assert_accessible(page)


def test_the_printed_ticket_number_typed_when_the_qr_code_will_not_scan(
    page, base_url, sold_ticket, controller, settings
):
    """A cracked screen: the steward types the number printed on the ticket, in whatever form,
    sees whose ticket it is (and that its QR code was regenerated), checks the identity
    document, then lets them in. Four numbers looked up: the entry does not count as one."""
    from etickets.gate.models import Scan
    from etickets.tickets.models import Ticket
    from etickets.tickets.services import regenerate_qr_code

    settings.GATE_NUMBER_RATE_LIMIT = 4
    regenerate_qr_code(sold_ticket)
    number = sold_ticket.number
    page.set_viewport_size({"width": 360, "height": 740})
    page.clock.install()  # ticking as usual, until the test moves it on
    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    open_scanner(page, base_url, sold_ticket.event, "Porte A")
    code = page.get_by_label("Numéro ou code du billet")
    verdict = page.locator("[data-verdict]")
    expect(page.get_by_text("saisissez le numéro du billet")).to_be_visible()

    code.fill("12345")
    code.press("Enter")
    expect(verdict).to_contain_text("INVALIDE")
    expect(verdict).to_contain_text("ni le QR code ni le numéro (12 caractères)")
    expect(code).to_be_focused()
    verdict.click()
    code.fill("0000 0000 0000")
    code.press("Enter")
    expect(verdict).to_contain_text("Aucun billet de cette épreuve ne porte ce numéro")
    verdict.click()

    # Lower case, in groups of four: whose ticket it is, and nothing marked yet.
    code.fill(f"{number[:4]} {number[4:8]} {number[8:]}".lower())
    code.press("Enter")
    expect(verdict).to_contain_text("VÉRIFIEZ L'IDENTITÉ")
    expect(verdict).to_contain_text("Marie Curie")
    expect(verdict).to_contain_text("Duo — 2 personnes")
    expect(verdict).to_contain_text("pièce d'identité à ce nom")
    expect(verdict).to_contain_text("QR code de ce billet régénéré par son titulaire")
    expect(verdict).not_to_contain_text("faire entrer :")
    expect(verdict).to_be_focused()  # its buttons next, no keyboard over them
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "scanner-numero-identite-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "scanner-numero-identite-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    page.clock.fast_forward(5000)
    expect(verdict).to_be_visible()  # it waits for the steward, however long
    page.get_by_role("button", name="Annuler").click()
    expect(verdict).to_be_hidden()
    expect(code).to_be_focused()
    assert Ticket.objects.get(pk=sold_ticket.pk).used_at is None
    lookups = Scan.objects.filter(ticket=sold_ticket).values_list("verdict", flat=True)
    assert list(lookups) == ["check_identity"]  # recorded, no entry

    # Upper case with dashes, and this time the identity document matches.
    code.fill(f"{number[:6]}-{number[6:]}")
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("button", name="Pièce d'identité vérifiée : faire entrer").click()
    expect(verdict).to_contain_text("VALIDE")
    expect(verdict).to_contain_text("Duo — Personnes à faire entrer : 2")
    expect(verdict).to_contain_text("Entrée autorisée par numéro, pièce d'identité vérifiée.")
    expect(code).to_be_focused()
    expect(page.locator("[data-counter]")).to_have_text("1")
    screenshot(page, "scanner-numero-valide-360")
    ticket = Ticket.objects.get(pk=sold_ticket.pk)
    assert ticket.used_at is not None and ticket.used_gate == "Porte A"
    scan = Scan.objects.get(ticket=sold_ticket, verdict="valid")
    assert scan.by_number and not scan.offline

    expect(verdict).to_be_hidden(timeout=5000)
    code.fill(number)
    code.press("Enter")
    expect(verdict).to_contain_text("Validé ici à l'instant")
    expect(verdict).to_be_hidden(timeout=5000)
    page.clock.fast_forward(10_000)
    code.fill(number.lower())
    code.press("Enter")
    expect(verdict).to_contain_text("DÉJÀ UTILISÉ")  # single use: no identity step again
    expect(verdict).to_contain_text("porte « Porte A »")
    expect(page.locator("[data-counter]")).to_have_text("1")


def test_the_printed_ticket_number_offline(page, base_url, sold_ticket, controller):
    """The network is down: the device's bundle finds the number and its holder, and the
    entry, confirmed after the identity check, reaches the server when the network returns."""
    from etickets.gate.models import Scan
    from etickets.tickets.models import Ticket

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    open_scanner(page, base_url, sold_ticket.event, "Tribune Nord")
    network = page.locator("[data-network]")
    page.wait_for_function("() => indexedDB.databases().then((dbs) => dbs.length > 0)")
    page.wait_for_timeout(500)  # the bundle lands in IndexedDB

    page.context.set_offline(True)
    expect(network).to_contain_text("Hors ligne")
    code = page.get_by_label("Numéro ou code du billet")
    verdict = page.locator("[data-verdict]")
    code.fill("ffff-ffff-ffff")
    code.press("Enter")
    expect(verdict).to_contain_text("Aucun billet de cette épreuve ne porte ce numéro")
    verdict.click()
    code.fill(sold_ticket.number.lower())
    code.press("Enter")
    expect(verdict).to_contain_text("VÉRIFIEZ L'IDENTITÉ")
    expect(verdict).to_contain_text("Marie Curie")
    assert_accessible(page)
    screenshot(page, "scanner-numero-hors-ligne-360")
    page.get_by_role("button", name="Pièce d'identité vérifiée : faire entrer").click()
    expect(verdict).to_contain_text("VALIDE")
    expect(verdict).to_contain_text("par numéro, pièce d'identité vérifiée")
    expect(network).to_contain_text("1 passage(s) en attente")
    assert Ticket.objects.get(pk=sold_ticket.pk).used_at is None  # nothing reached the server

    page.context.set_offline(False)
    expect(network).to_contain_text("Passages hors ligne envoyés", timeout=10000)
    assert Ticket.objects.get(pk=sold_ticket.pk).used_gate == "Tribune Nord"
    scan = Scan.objects.get(ticket=sold_ticket)
    assert scan.offline and scan.by_number and scan.verdict == "valid"


def test_entries_by_number_past_the_budget_are_refused_and_shown_in_the_back_office(
    page, base_url, sold_ticket, controller, administrator, settings
):
    """A steward entering numbers faster than GATE_NUMBER_RATE_LIMIT a minute offline: the
    server refuses the excess when the network returns, the scanner says so, and the back
    office lists the refused entry and the lookup, neither counted as an entry."""
    from django.contrib.auth import get_user_model

    from etickets.gate.models import Scan
    from etickets.tickets.models import Ticket

    settings.GATE_NUMBER_RATE_LIMIT = 1
    karim = get_user_model().objects.get(email="karim@example.fr")
    Scan.objects.create(  # an entry by number a moment ago, at another gate
        event=sold_ticket.event,
        verdict="valid",
        controller=karim,
        gate="Porte A",
        scanned_at=timezone.now(),
        by_number=True,
    )
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
    open_scanner(page, base_url, sold_ticket.event, "Tribune Sud")
    network = page.locator("[data-network]")
    code = page.get_by_label("Numéro ou code du billet")
    verdict = page.locator("[data-verdict]")
    page.wait_for_function("() => indexedDB.databases().then((dbs) => dbs.length > 0)")
    page.wait_for_timeout(500)  # the bundle lands in IndexedDB
    code.fill(sold_ticket.number)
    code.press("Enter")
    expect(verdict).to_contain_text("VÉRIFIEZ L'IDENTITÉ")  # online: the lookup is recorded
    page.get_by_role("button", name="Annuler").click()

    page.context.set_offline(True)
    expect(network).to_contain_text("Hors ligne")
    code.fill(sold_ticket.number)
    code.press("Enter")
    page.get_by_role("button", name="Pièce d'identité vérifiée : faire entrer").click()
    expect(verdict).to_contain_text("VALIDE")
    expect(page.locator("[data-counter]")).to_have_text("1")
    page.context.set_offline(False)
    expect(network).to_contain_text("1 entrée(s) par numéro refusée(s)", timeout=10000)
    expect(page.locator("[data-counter]")).to_have_text("0")
    expect(verdict).to_be_hidden(timeout=5000)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "scanner-numero-refuse-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "scanner-numero-refuse-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    assert Ticket.objects.get(pk=sold_ticket.pk).used_at is None
    refused = Scan.objects.get(ticket=sold_ticket, verdict="number_refused")
    assert refused.offline and refused.reason == "number_budget"

    page.context.clear_cookies()
    log_in(page, base_url, "direction@example.fr", ADMIN_PASSWORD, administrator)
    page.goto(base_url + "/backoffice/controles/")
    log = page.get_by_role("region", name="Journal des contrôles")
    expect(log).to_contain_text("NUMÉRO REFUSÉ par numéro")
    expect(log).to_contain_text("Trop d'entrées par numéro en une minute")
    expect(log).to_contain_text("VÉRIFIEZ L'IDENTITÉ par numéro")
    page.get_by_label("Verdict").select_option(label="NUMÉRO REFUSÉ")
    page.get_by_role("button", name="Filtrer").click()
    expect(log.locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "backoffice-controles-numero-refuse-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "backoffice-controles-numero-refuse-1280")


def test_the_printed_ticket_number_without_javascript(browser, base_url, sold_ticket, controller):
    """The scanner's script does not load: the server asks for the identity check. (Scripts
    blocked rather than JavaScript off, so that axe-core can run on the page.)"""
    from etickets.tickets.models import Ticket

    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    try:
        log_in(page, base_url, "karim@example.fr", PASSWORD, controller)
        open_scanner(page, base_url, sold_ticket.event, "Porte A")
        code = page.get_by_label("Numéro ou code du billet")
        code.fill(f" {sold_ticket.number.lower()} ")
        page.get_by_role("button", name="Vérifier").click()
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_contain_text("VÉRIFIEZ L'IDENTITÉ")
        expect(verdict).to_contain_text("Marie Curie")
        assert_accessible(page)
        assert_no_horizontal_overflow(page)
        # The answer opens on the verdict, not at the top of the page.
        assert page.evaluate("() => window.scrollY") > 0
        let_in = page.get_by_role("button", name="Pièce d'identité vérifiée : faire entrer")
        expect(let_in).to_be_in_viewport()
        page.screenshot(path=SCREENSHOTS / "scanner-numero-identite-sans-js-ecran-360.png")
        screenshot(page, "scanner-numero-identite-sans-js-360")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "scanner-numero-identite-sans-js-1280")
        assert Ticket.objects.get(pk=sold_ticket.pk).used_at is None
        let_in.click()
        expect(verdict).to_contain_text("VALIDE")
        expect(verdict).to_contain_text("Entrée autorisée par numéro")
        expect(page.get_by_label("Numéro ou code du billet")).to_be_focused()
        screenshot(page, "scanner-numero-valide-sans-js-1280")
        expect(page.locator("[data-counter]")).to_have_text("1")
        assert Ticket.objects.get(pk=sold_ticket.pk).used_gate == "Porte A"
    finally:
        context.close()
