"""No page scrolls sideways on a 360 px phone with realistic long values (issue 20): a buyer
whose address has nowhere to break buys a ticket for an event with a long title, and an
administrator follows the order, its scan and its refund in the back office."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    LONG_EMAIL,
    LONG_TITLE,
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
ADMIN_EMAIL = "direction.billetterie.paris2024@exemple.fr"


def check(page, url, name=None):
    page.goto(url)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    if name:
        screenshot(page, f"{name}-360")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)


def test_long_values_on_a_phone(page, base_url, transactional_db, make_user, make_offer):
    from etickets.catalog.models import Event, OfferKind, Sport
    from etickets.gate.services import redeem_ticket
    from etickets.tickets.models import Ticket
    from etickets.tickets.tokens import issue_token

    buyer = make_user(
        email=LONG_EMAIL, first_name="Anne-Sophie", last_name="de La Fontaine-Delacroix"
    )
    admin = make_user(email=ADMIN_EMAIL, is_staff=True, is_superuser=True)
    authenticator = authenticator_for(admin)
    offer = make_offer(kind=OfferKind.FAMILIALE, price_cents=125_000, max_per_order=10)
    Event.objects.filter(pk=offer.event_id).update(
        title_fr=LONG_TITLE, sport=Sport.GYMNASTIQUE, venue_fr="Bercy Arena (Paris Bercy)"
    )

    page.set_viewport_size(PHONE)
    log_in(page, base_url, buyer.email, PASSWORD)
    check(page, f"{base_url}/offres/{offer.slug}/")
    page.get_by_label("Quantité").fill("2")
    page.get_by_role("button", name="Ajouter au panier").click()
    check(page, base_url + "/panier/")
    check(page, base_url + "/paiement/")
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Date d'expiration").fill("08/30")
    page.get_by_label("Code de sécurité (CVV)").fill("123")
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")
    check(page, page.url, "confirmation-long-values")
    expect(page.get_by_text(LONG_EMAIL)).to_be_visible()
    reference = page.locator(".reference").first.inner_text()

    ticket = Ticket.objects.filter(order__reference=reference).first()
    redeem_ticket(issue_token(ticket), event=offer.event_id, gate="Porte A", controller=admin)
    for path in ("/compte/", "/compte/profil/", "/compte/commandes/", "/mes-billets/"):
        check(page, base_url + path)
    check(page, f"{base_url}/mes-billets/{ticket.pk}/", "ticket-long-values")

    page.context.clear_cookies()
    log_in(page, base_url, ADMIN_EMAIL, PASSWORD, authenticator)
    check(page, f"{base_url}/backoffice/commandes/?q={LONG_EMAIL}")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text(LONG_EMAIL)).to_be_visible()
    page.get_by_role("link", name=re.compile("Annuler et rembourser ce billet")).last.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(LONG_EMAIL)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "backoffice-refund-long-values-360")
    dialog.get_by_role("button", name=re.compile("^Annuler les billets et rembourser")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("rembours", re.I))
    check(page, page.url, "backoffice-order-long-values")
    event_page = f"/backoffice/epreuves/{offer.event_id}/"
    for path in ("/backoffice/", "/backoffice/epreuves/", event_page):
        check(page, base_url + path)
    check(page, base_url + "/backoffice/controles/", "backoffice-scans-long-values")
    check(page, base_url + "/backoffice/journal/")
