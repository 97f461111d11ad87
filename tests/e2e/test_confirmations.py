"""Issue 20, item 9: « Vider le panier », « Régénérer le QR code » and a back-office refund
each ask first, saying what will happen: cancelling keeps everything, confirming does it. With
JavaScript the question is a dialog; without it, a page."""

import re

import pytest
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

PASSWORD = "Relais-4x100-Paris24"
JUDO = "judo-finales-plus-100-kg-plus-78-kg-solo"
SWIMMING = "natation-finales-31-juillet-duo"


@pytest.fixture
def shop(demo_catalogue):
    """A customer with a paid order of two Duo tickets and a cart of three tickets, and an
    administrator with their authenticator."""
    from django.contrib.auth import get_user_model

    from etickets.cart import services as cart
    from etickets.catalog.models import Offer

    users = get_user_model().objects
    customer = users.create_user(
        email="marie@example.fr",
        username="marie",
        password=PASSWORD,
        first_name="Marie",
        last_name="Perec",
    )
    cart.add_to_cart(customer, offer=Offer.objects.get(slug=SWIMMING), quantity=2)
    order = pay(customer)
    cart.add_to_cart(customer, offer=Offer.objects.get(slug=JUDO), quantity=2)
    cart.add_to_cart(customer, offer=Offer.objects.get(slug=SWIMMING), quantity=1)
    admin = users.create_superuser(
        email="direction@example.fr",
        username="direction",
        password=PASSWORD,
        first_name="Sophie",
        last_name="Durand",
    )
    return {"order": order, "customer": customer, "authenticator": authenticator_for(admin)}


def cart_size(customer) -> int:
    from etickets.cart.selectors import cart_size

    return cart_size(customer)


def key_version(ticket) -> int:
    ticket.refresh_from_db(fields=["key_version"])
    return ticket.key_version


def order_state(order):
    order.refresh_from_db()
    return order.status, order.refunded_cents


def ask_in_dialog(page, link_name, title, shot):
    """Click the action's link: its question opens as a modal dialog, checked and shot."""
    page.get_by_role("link", name=link_name).first.click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    # The safe answer has the focus: Enter or Space keeps everything.
    expect(dialog.get_by_role("button").last).to_be_focused()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, shot)
    return dialog


@pytest.mark.parametrize("width", [1280, 360])
def test_each_action_asks_in_a_dialog(page, base_url, shop, width):
    order, customer = shop["order"], shop["customer"]
    ticket = order.tickets.order_by("created_at", "id").first()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, base_url, customer.email, PASSWORD)

    # « Vider le panier »: cancel keeps the cart, Escape too, confirm empties it.
    page.goto(base_url + "/panier/")
    dialog = ask_in_dialog(
        page, "Vider le panier", "Vider le panier ?", f"vider-le-panier-dialog-{width}"
    )
    expect(dialog).to_contain_text("Les 3 billets réservés seront libérés")
    expect(dialog).to_contain_text("2 × Judo")
    dialog.get_by_role("button", name="Annuler, garder mon panier").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("link", name="Vider le panier")).to_be_focused()
    expect(page.locator(".cart-line")).to_have_count(2)
    page.get_by_role("link", name="Vider le panier").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert cart_size(customer) == 3
    page.get_by_role("link", name="Vider le panier").click()
    page.get_by_role("dialog").get_by_role("button", name="Vider le panier").click()
    expect(page.get_by_role("status")).to_contain_text("Votre panier a été vidé.")
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()
    assert cart_size(customer) == 0

    # « Régénérer le QR code »: the printed copies stop working, said before it is done.
    page.goto(base_url + ticket.get_absolute_url())
    dialog = ask_in_dialog(
        page, "Régénérer le QR code", "Régénérer le QR code ?", f"regenerer-dialog-{width}"
    )
    expect(dialog).to_contain_text("les billets imprimés")
    # Truthful: the printed number still admits, with an identity document only.
    expect(dialog).to_contain_text("Le numéro du billet ne change pas")
    expect(dialog).to_contain_text("pièce d'identité au nom du titulaire")
    expect(dialog).to_contain_text(ticket.number)
    dialog.get_by_role("button", name="Annuler, garder ce QR code").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert key_version(ticket) == 1
    page.get_by_role("link", name="Régénérer le QR code").click()
    page.get_by_role("dialog").get_by_role("button", name="Régénérer le QR code").click()
    expect(page.get_by_role("status")).to_contain_text("Nouveau QR code créé")
    assert key_version(ticket) == 2

    # A refund: the tickets, the amount and the card before the administrator confirms.
    page.context.clear_cookies()
    log_in(page, base_url, "direction@example.fr", PASSWORD, shop["authenticator"])
    page.goto(f"{base_url}/backoffice/commandes/{order.reference}/")
    title = f"Rembourser le billet {ticket.number} ?"
    dialog = ask_in_dialog(
        page, re.compile("Annuler et rembourser ce billet"), title, f"rembourser-dialog-{width}"
    )
    expect(dialog).to_contain_text("1 billet sera annulé")
    expect(dialog).to_contain_text("seront remboursés sur la carte Visa •••• 4242")
    dialog.get_by_role("button", name="Ne pas rembourser").click()
    assert order_state(order) == ("paid", 0)
    page.get_by_role("link", name="Annuler et rembourser toute la commande").click()
    dialog = page.get_by_role("dialog", name=f"Rembourser la commande {order.reference} ?")
    expect(dialog).to_contain_text("2 billets seront annulés")
    dialog.get_by_role("button", name=re.compile("^Annuler les billets et rembourser")).click()
    expect(page.get_by_role("status")).to_contain_text("Remboursement de")
    assert order_state(order) == ("refunded", order.total_cents)
    assert_accessible(page)


def test_each_action_asks_on_a_page_without_javascript(browser, base_url, shop):
    """The same questions as pages: the link opens one, « Annuler » goes back, the button
    does it. (axe-core needs JavaScript: the next test checks these pages with it.)"""
    order, customer = shop["order"], shop["customer"]
    ticket = order.tickets.order_by("created_at", "id").first()
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    log_in(page, base_url, customer.email, PASSWORD)

    page.goto(base_url + "/panier/")
    page.get_by_role("link", name="Vider le panier").click()
    expect(page).to_have_url(base_url + "/panier/vider/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vider le panier ?")
    expect(page.get_by_text("Les 3 billets réservés seront libérés")).to_be_visible()
    screenshot(page, "vider-le-panier-nojs-1280")
    page.get_by_role("link", name="Annuler, garder mon panier").click()
    expect(page).to_have_url(base_url + "/panier/")
    expect(page.locator(".cart-line")).to_have_count(2)
    page.get_by_role("link", name="Vider le panier").click()
    page.get_by_role("button", name="Vider le panier").click()
    expect(page.get_by_role("status")).to_contain_text("Votre panier a été vidé.")
    assert cart_size(customer) == 0

    page.goto(base_url + ticket.get_absolute_url())
    page.get_by_role("link", name="Régénérer le QR code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Régénérer le QR code ?")
    page.get_by_role("link", name="Annuler, garder ce QR code").click()
    expect(page).to_have_url(base_url + ticket.get_absolute_url())
    assert key_version(ticket) == 1
    page.get_by_role("link", name="Régénérer le QR code").click()
    page.get_by_role("button", name="Régénérer le QR code").click()
    expect(page.get_by_role("status")).to_contain_text("Nouveau QR code créé")
    assert key_version(ticket) == 2

    page.context.clear_cookies()
    log_in(page, base_url, "direction@example.fr", PASSWORD, shop["authenticator"])
    page.goto(f"{base_url}/backoffice/commandes/{order.reference}/")
    page.get_by_role("link", name="Annuler et rembourser toute la commande").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Rembourser la commande {order.reference} ?")
    expect(page.get_by_text("2 billets seront annulés")).to_be_visible()
    screenshot(page, "rembourser-nojs-1280")
    page.get_by_role("link", name="Ne pas rembourser").click()
    assert order_state(order) == ("paid", 0)
    page.get_by_role("link", name="Annuler et rembourser toute la commande").click()
    page.get_by_role("button", name=re.compile("^Annuler les billets et rembourser")).click()
    expect(page.get_by_role("status")).to_contain_text("Remboursement de")
    assert order_state(order) == ("refunded", order.total_cents)
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_question_pages(page, base_url, shop, width):
    """The pages a script-less browser gets, checked with axe-core and on a phone."""
    order, customer = shop["order"], shop["customer"]
    ticket = order.tickets.order_by("created_at", "id").first()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, base_url, customer.email, PASSWORD)
    for path, name in [
        ("/panier/vider/", "vider-le-panier"),
        (f"/mes-billets/{ticket.pk}/regenerer/", "regenerer"),
    ]:
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"\?$"))
        assert_accessible(page)
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{name}-page-{width}")
    page.context.clear_cookies()
    log_in(page, base_url, "direction@example.fr", PASSWORD, shop["authenticator"])
    page.goto(f"{base_url}/backoffice/commandes/{order.reference}/rembourser/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.reference)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"rembourser-page-{width}")
