"""The official resale in Chromium: a holder resells a ticket from its page, a second buyer
finds it on the sold-out offer, holds it in the cart and pays; on a phone, the seller in
English."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, TEST_CARD, pay

from .browser import (
    LONG_EMAIL,
    LONG_TITLE,
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def resold(transactional_db, make_user, make_event, make_offer):
    """A Duo ticket of a long-named event, bought by a seller; the event otherwise sold out."""
    from etickets.cart import services as cart
    from etickets.catalog.models import OfferKind

    event = make_event(title=LONG_TITLE, capacity=20)
    offer = make_offer(event=event, kind=OfferKind.DUO, price_cents=12000)
    seller = make_user(first_name="Léa", last_name="Martin", email="lea@example.fr")
    cart.add_to_cart(seller, offer=offer, quantity=1)
    ticket = pay(seller).tickets.get()
    return seller, offer, ticket


def sell_out(offer):
    from etickets.catalog.models import Event

    Event.objects.filter(pk=offer.event_id).update(sold=20)


def test_a_ticket_resold_to_a_second_buyer(page, browser, base_url, resold, make_user):
    from etickets.resale.models import Listing
    from etickets.tickets.models import Ticket

    seller, offer, ticket = resold
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, seller.email, PASSWORD)
    page.goto(f"{base_url}/mes-billets/{ticket.pk}/")
    # The seller reads the site in English; the buyer below, in French.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.get_by_role("heading", name="Can't make it?")).to_be_visible()
    page.get_by_role("link", name="Resell this ticket").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("no more, no less")
    assert_accessible(page)
    screenshot(page, "resale-question-english-360")
    dialog.get_by_role("button", name="Put up for resale").click()
    expect(page.get_by_role("status")).to_contain_text("Your ticket is on resale")
    expect(page.locator(".ticket-status").first).to_have_text("On resale")
    expect(page.get_by_role("heading", name="On the official resale")).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "resale-listed-english-360")
    sell_out(offer)

    buyer = make_user(first_name="Anne-Sophie", email=LONG_EMAIL)
    other = browser.new_page(viewport={"width": 360, "height": 740})
    log_in(other, base_url, buyer.email, PASSWORD)
    other.goto(f"{base_url}/offres/")
    other.get_by_role("link", name=re.compile("^Revente officielle : 1 billet")).click()
    section = other.locator("section.resale")
    expect(section.get_by_role("heading", name="Revente officielle")).to_be_visible()
    assert_no_horizontal_overflow(other)
    assert_accessible(other)
    screenshot(other, "resale-offer-360")
    section.get_by_role("button", name=re.compile("^Ajouter au panier")).click()
    expect(other.get_by_role("status")).to_contain_text("ajouté à votre panier")
    line = other.locator(".cart-line-resale")
    expect(line).to_contain_text("Revente officielle")
    expect(line).to_contain_text("Réservé pour vous jusqu'à")
    assert_no_horizontal_overflow(other)
    assert_accessible(other)
    screenshot(other, "resale-cart-360")
    other.get_by_role("link", name="Procéder au paiement").click()
    expect(other.locator(".summary-table")).to_contain_text("Revente officielle")
    other.get_by_label("Numéro de carte").fill(TEST_CARD)
    other.get_by_label("Date d'expiration").fill("08/30")
    other.get_by_label("Code de sécurité (CVV)").fill("123")
    other.get_by_role("button", name="Payer").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")
    other.get_by_role("link", name="Voir mes billets").click()
    expect(other.locator(".ticket-card")).to_have_count(1)
    expect(other.locator(".ticket-card")).to_contain_text("Valide")

    assert Listing.objects.get().state == "sold"
    assert Ticket.objects.get(pk=ticket.pk).state == "resold"
    # The seller's ticket is no longer theirs.
    page.goto(f"{base_url}/mes-billets/")
    expect(page.locator(".ticket-card")).to_have_count(0)

    other.close()
