"""Manual §7 in Chromium: « Mes billets » after a purchase, the detail, the PDF."""

import io
import re

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from conftest import pay

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Saut-à-la-perche-6m24"


@pytest.fixture
def buyer_with_tickets(demo_catalogue):
    from django.contrib.auth import get_user_model

    from etickets.cart import services as cart
    from etickets.catalog.models import Offer

    user = get_user_model().objects.create_user(
        email="teddy@example.fr",
        username="teddy",
        password=PASSWORD,
        first_name="Teddy",
        last_name="Riner",
    )
    cart.add_to_cart(
        user, offer=Offer.objects.get(slug="judo-finales-plus-100-kg-plus-78-kg-duo"), quantity=2
    )
    return pay(user)


def log_in(page, base_url):
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("teddy@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("status")).to_contain_text("Bonjour Teddy")


def test_mes_billets_detail_and_pdf(page, base_url, buyer_with_tickets):
    from etickets.tickets.services import check_ticket

    order = buyer_with_tickets
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url)
    page.get_by_role("link", name="Mes billets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes billets")
    cards = page.locator(".ticket-card")
    expect(cards).to_have_count(2)
    # Two Duo tickets of one event: their numbers (printed on each PDF) tell them apart.
    numbers = [ticket.number for ticket in order.tickets.order_by("created_at", "id")]
    for card in cards.all():
        expect(card.locator(".ticket-number")).to_contain_text("Numéro du billet")
    shown = [card.locator(".ticket-number .reference").inner_text() for card in cards.all()]
    assert sorted(shown) == sorted(numbers) and len(set(shown)) == 2
    title = order.lines.get().offer.event.title
    expect(page.get_by_role("link", name=f"Détails : {title}, {shown[0]}")).to_be_visible()
    first = cards.first
    expect(first.get_by_text("Valide")).to_be_visible()
    expect(first.get_by_text("Duo")).to_be_visible()
    qr = first.get_by_role("img", name=re.compile("QR code du billet"))
    expect(qr).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mes-billets-1280")

    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())).convert("L"))
    ticket = check_ticket(decoded.text).ticket
    assert ticket.order == order

    first.get_by_role("link", name=re.compile("^Détails")).click()
    expect(page.get_by_text(order.reference)).to_be_visible()
    expect(page.get_by_text("Admet 2 personnes")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "billet-detail-1280")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"billet-{order.reference}")
    pdf = pypdfium2.PdfDocument(download.path())
    assert len(pdf) == 1

    page.goto(base_url + order.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger tous les billets (PDF)").click()
    assert len(pypdfium2.PdfDocument(download_info.value.path())) == 2


def test_mes_billets_on_a_phone(page, base_url, buyer_with_tickets):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url)
    page.goto(base_url + "/mes-billets/")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "mes-billets-360")
    page.locator(".ticket-card").first.get_by_role("link", name=re.compile("^Détails")).click()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "billet-detail-360")
