"""Issue 20, item 4: a visitor picks 3 tickets and « Ajouter au panier » before logging in; the
login page says why it is asked, and after the login (its second factor included) the 3 tickets
are in the cart. From the offers list, their « Ajouter » leads to the offer's quantity first."""

import re

import pytest
from playwright.sync_api import expect

from .browser import (
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    screenshot,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Relais-4x100-Paris24"
JUDO = "judo-finales-plus-100-kg-plus-78-kg-solo"


@pytest.fixture
def customer(demo_catalogue):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        email="marie@example.fr",
        username="marie",
        password=PASSWORD,
        first_name="Marie",
        last_name="Perec",
    )


def checked(page, name):
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, name)


def choose_three_then_log_in(page, base_url, width, authenticator=None):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{base_url}/offres/{JUDO}/")
    page.get_by_label("Quantité").fill("3")
    page.get_by_role("button", name="Ajouter au panier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_role("status")).to_contain_text(
        "Connectez-vous pour ajouter ces 3 billets à votre panier"
    )
    suffix = "-2fa" if authenticator else ""
    checked(page, f"login-to-add{suffix}-{width}")
    page.get_by_label("Adresse email").fill("marie@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if authenticator:
        expect(page.get_by_role("heading", level=1)).to_contain_text("Vérification")
        checked(page, f"second-factor-to-add-{width}")
        page.get_by_label("Code de vérification").fill(authenticator.now())
        page.get_by_role("button", name="Vérifier").click()

    expect(page).to_have_url(f"{base_url}/panier/")
    expect(page.get_by_role("status")).to_contain_text("3 billets « Judo")
    expect(page.get_by_role("status")).to_contain_text("ajoutés à votre panier")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("3")
    expect(page.locator("#cart-count .count")).to_have_text("3")
    checked(page, f"cart-after-login{suffix}-{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_choice_made_before_logging_in_is_in_the_cart(page, base_url, customer, width):
    choose_three_then_log_in(page, base_url, width)


@pytest.mark.parametrize("width", [1280, 360])
def test_and_through_the_second_factor(page, base_url, customer, width):
    choose_three_then_log_in(page, base_url, width, authenticator_for(customer))


@pytest.mark.parametrize("width", [1280, 360])
def test_from_the_offers_list_too(page, base_url, customer, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{base_url}/offres/?q=judo")
    checked(page, f"list-to-add-{width}")
    card = page.locator(".event-offer").filter(has=page.locator(".badge", has_text="Solo"))
    card.get_by_role("link", name=re.compile("^Ajouter")).click()

    # The offer's page, its quantity ready to be typed over.
    expect(page).to_have_url(f"{base_url}/offres/{JUDO}/#ajouter")
    quantity = page.get_by_label("Quantité")
    expect(quantity).to_be_focused()
    expect(quantity).to_be_in_viewport()
    checked(page, f"offer-from-list-{width}")
    page.keyboard.type("2")
    expect(quantity).to_have_value("2")
    page.get_by_role("button", name="Ajouter au panier").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Connectez-vous pour ajouter ces 2 billets à votre panier"
    )
    page.get_by_label("Adresse email").fill("marie@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{base_url}/panier/")
    expect(page.get_by_role("status")).to_contain_text("2 billets « Judo")
    expect(page.get_by_label(re.compile("Quantité.*Judo"))).to_have_value("2")
    expect(page.locator("#cart-count .count")).to_have_text("2")
    checked(page, f"cart-from-list-{width}")
