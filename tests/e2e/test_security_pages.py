"""The pages of the security fixes as a user sees them, on a desktop and on a phone: the
« Sécurité » page with a token, turning 2FA on, a form refused while the account is locked, and
the per-account limit next to the quantity."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, pay

from .browser import assert_accessible, assert_no_horizontal_overflow, log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 360])
def test_security_pages(page, base_url, demo_catalogue, make_user, width):
    from django.test import Client

    from etickets.api.models import ApiToken
    from etickets.cart import services as cart
    from etickets.catalog.models import Offer, OfferKind

    user = make_user(email="camille.martin-de-la-tour-d-auvergne@example.fr")
    ApiToken.issue(user, "Téléphone de Camille — application officielle JO E-Tickets Paris 2024")
    offer = Offer.objects.filter(kind=OfferKind.SOLO).order_by("pk").first()
    for quantity in (3, 3):  # the offer allows 4 an order: the account reaches 6 in two
        cart.add_to_cart(user, offer=offer, quantity=quantity)
        pay(user)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, user.email, PASSWORD)

    page.goto(base_url + "/compte/securite/")
    expect(page.get_by_role("heading", name="Mot de passe")).to_be_visible()
    expect(page.get_by_text("révoque tous vos jetons d'API")).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"security-{width}")

    page.get_by_role("link", name="Activer l'authentification à deux facteurs").click()
    page.get_by_label("Code à 6 chiffres").fill("123456")
    page.get_by_label("Mot de passe actuel").fill("Pas-le-bon-1!")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#id_password_error")).to_contain_text("Mot de passe incorrect.")
    expect(page.get_by_label("Code à 6 chiffres")).to_have_value("123456")  # nothing lost
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"enable-2fa-refused-{width}")

    for _ in range(5):  # someone else's wrong passwords lock the account
        Client(REMOTE_ADDR="203.0.113.9").post(
            "/connexion/", {"email": user.email, "password": "Faux-2024!"}
        )
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#id_password_error")).to_contain_text("Trop de tentatives")
    assert_no_horizontal_overflow(page)
    screenshot(page, f"enable-2fa-locked-{width}")

    page.goto(f"{base_url}/offres/{offer.slug}/")
    page.get_by_label("Quantité").fill("1")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.locator("#quantity-error")).to_contain_text("Au plus 6 billets par personne")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"offer-limit-{width}")
