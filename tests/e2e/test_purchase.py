"""Manual §6 in Chromium: add two offers, change a quantity, remove one, a declined card, then
a card that pays, and the confirmation."""

import re

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Saut-à-la-perche-6m24"


@pytest.fixture
def customer(demo_catalogue):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        email="eliott@example.fr",
        username="eliott",
        password=PASSWORD,
        first_name="Éliott",
        last_name="Girard",
    )


def log_in(page, base_url):
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("eliott@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("status")).to_contain_text("Bonjour Éliott")


def add_offer(page, base_url, slug, quantity):
    page.goto(f"{base_url}/offres/{slug}/")
    page.get_by_label("Quantité").fill(str(quantity))
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status")).to_contain_text("ajouté")


def pay_with(page, number, expiry="08/30"):
    page.get_by_label("Numéro de carte").fill(number)
    page.get_by_label("Date d'expiration").fill(expiry)
    page.get_by_label("Code de sécurité (CVV)").fill("123")
    page.get_by_role("button", name="Payer").click()


def test_buy_two_offers_with_a_declined_card_first(page, base_url, customer):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url)
    add_offer(page, base_url, "judo-finales-plus-100-kg-plus-78-kg-solo", 1)
    assert_accessible(page)
    add_offer(page, base_url, "natation-finales-31-juillet-duo", 1)
    expect(page.locator("#cart-count .count")).to_have_text("2")

    page.get_by_role("link", name=re.compile("^Panier")).click()
    expect(page.locator(".cart-line")).to_have_count(2)
    expect(page.locator(".countdown")).to_contain_text("encore")
    assert_accessible(page)
    total = page.locator(".total-line .price")
    before = total.inner_text()
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name=re.compile("Un billet de plus.*Judo")).click()
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("2")
    expect(total).not_to_have_text(before)
    expect(page.locator("#cart-count .count")).to_have_text("3")
    assert page.evaluate("window.__sameDocument") is True, "the cart reloaded the page"
    screenshot(page, "cart-1280")
    # By keyboard: the focus stays on the button pressed, or on the quantity when « − » is
    # disabled at one ticket (it fell to the page's start after each swap).
    expect(page.get_by_role("button", name=re.compile("Un billet de plus.*Judo"))).to_be_focused()
    page.get_by_role("button", name=re.compile("Un billet de moins.*Judo")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("1")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_be_focused()
    # 50 typed past the limit: refused next to the field, which shows the quantity still in
    # the cart (the one its subtotal counts), and the line stays where it was.
    judo = page.locator(".cart-line", has_text="Judo")
    subtotal = judo.locator(".cart-line-subtotal").inner_text()
    top = judo.bounding_box()["y"]
    line_quantity = page.get_by_label(re.compile("Quantité.*Judo"))
    line_quantity.fill("50")
    line_quantity.press("Tab")
    expect(page.locator(".cart-line-error")).to_contain_text("Vous ne pouvez pas prendre plus de")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("1")
    expect(judo.locator(".cart-line-subtotal")).to_have_text(subtotal)
    assert judo.bounding_box()["y"] == top
    assert_accessible(page)
    screenshot(page, "cart-refused-1280")

    page.get_by_role("button", name=re.compile("Supprimer du panier.*Natation")).click()
    expect(page.locator(".cart-line")).to_have_count(1)
    expect(page.get_by_role("status")).to_contain_text("retiré de votre panier")
    assert_accessible(page)

    page.get_by_role("link", name="Procéder au paiement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement sécurisé")
    page.get_by_label("Numéro de carte").press_sequentially("4000000000000002")
    expect(page.locator("[data-detected-brand]")).to_have_text("Carte Visa")
    expect(page.get_by_label("Numéro de carte")).to_have_value("4000 0000 0000 0002")
    assert_accessible(page)
    screenshot(page, "checkout-1280")
    page.get_by_label("Date d'expiration").fill("08/30")
    page.get_by_label("Code de sécurité (CVV)").fill("123")
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("alert")).to_contain_text("Paiement refusé par votre banque")
    expect(page.get_by_role("alert")).to_contain_text("Votre panier est conservé.")
    expect(page.locator(".summary-table tbody tr")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "checkout-declined-1280")

    page.get_by_label("Numéro de carte").fill("")
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")
    expect(page.locator(".reference")).to_have_text(re.compile(r"^JO24-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(page.get_by_text("Visa •••• 4242")).to_be_visible()
    expect(page.locator("#cart-count .count")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "confirmation-1280")


def test_cart_payment_and_confirmation_on_a_phone(page, base_url, customer, settings):
    settings.MAX_SEATS_HELD = 20  # five Familiale tickets, for the widest amounts
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url)
    page.goto(f"{base_url}/offres/ceremonie-ouverture-seine-familiale/")
    page.get_by_label("Quantité").fill("9")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.locator("#quantity-error")).to_contain_text("pas prendre plus de 4 billets")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    # Long titles and five-digit amounts: what used to widen the summary past the screen.
    add_offer(page, base_url, "ceremonie-ouverture-seine-familiale", 4)
    add_offer(page, base_url, "tennis-finale-simple-messieurs-familiale", 1)
    for path, name in [("/panier/", "cart-360"), ("/paiement/", "checkout-360")]:
        page.goto(base_url + path)
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
        screenshot(page, name)
    expect(page.locator(".summary-table tbody td").first).to_have_text("4")
    menu_button = page.get_by_role("button", name="Menu")
    menu_button.click()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")  # closes the menu and gives the focus back to its button
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_be_focused()
    # A phone's numeric keypad has no « / »: the field writes it as the digits come.
    expiry = page.get_by_label("Date d'expiration")
    for typed in ("1228", "12 28", "12/28"):
        expiry.fill("")
        expiry.press_sequentially(typed)
        expect(expiry).to_have_value("12/28")
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "confirmation-360")


def test_offer_and_cart_without_javascript(browser, base_url, customer):
    """The quantity's refusals next to the field, the typed value kept; Enter in a cart line's
    quantity sets it as typed (the form's default button is not « − »). (axe-core needs
    JavaScript: the phone journey checks the same refusals with it.)"""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    log_in(page, base_url)
    page.goto(f"{base_url}/offres/judo-finales-plus-100-kg-plus-78-kg-solo/")
    page.get_by_label("Quantité").fill("0")
    page.get_by_role("button", name="Ajouter au panier").click()
    quantity = page.get_by_label("Quantité")
    expect(quantity).to_have_value("0")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#quantity-error")).to_have_text(
        "Choisissez une quantité d'au moins 1 billet."
    )
    quantity.fill("2")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status")).to_contain_text("ajoutés")

    page.goto(base_url + "/panier/")
    line_quantity = page.get_by_label(re.compile("Quantité.*Judo"))
    line_quantity.fill("5")
    line_quantity.press("Enter")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("5")
    expect(page.locator("#cart-count .count")).to_have_text("5")
    line_quantity = page.get_by_label(re.compile("Quantité.*Judo"))
    line_quantity.fill("")
    line_quantity.press("Enter")
    expect(page.locator(".cart-line-error")).to_have_text("Indiquez une quantité.")
    expect(page.locator("#cart-count .count")).to_have_text("5")
    screenshot(page, "cart-refused-nojs-1280")
    page.goto(base_url + "/paiement/")
    pay_with(page, "4242 4242 4242 4242", expiry="08 30")  # as typed, no script to add « / »
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")
    context.close()
