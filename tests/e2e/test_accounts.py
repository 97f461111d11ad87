"""Manual §4–5 in Chromium: sign up, log out, log in remembered, enable 2FA, log in with it."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

STRONG = "Saut-à-la-perche-6m24"


def test_account_lifecycle_with_two_factor(page, base_url, transactional_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.get_by_role("link", name="Inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    assert_accessible(page)

    page.get_by_label("Nom d'utilisateur").fill("marie")
    page.get_by_label("Adresse email").fill("marie.perec@example.fr")
    page.get_by_label("Nom", exact=True).fill("Pérec")
    page.get_by_label("Prénom").fill("Marie-José")
    password = page.get_by_label("Mot de passe", exact=True)
    strength = page.locator("[data-strength-text]")
    password.press_sequentially("faible")
    expect(strength).to_have_text("Faible")
    expect(page.locator('[data-rule="length"]')).not_to_have_class("is-met")
    expect(page.locator('[data-rule="lower"]')).to_have_class("is-met")
    page.get_by_label("Confirmation du mot de passe").fill("faible")
    page.get_by_label("J'accepte les conditions d'utilisation").check()
    screenshot(page, "signup-weak-1280")
    page.get_by_role("button", name="S'inscrire").click()

    expect(page.locator("#id_password1_error")).to_contain_text("trop court")
    expect(page.locator("#id_password1_error")).to_contain_text("majuscule")
    expect(page.get_by_label("Adresse email")).to_have_value("marie.perec@example.fr")
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")
    assert_accessible(page)
    screenshot(page, "signup-errors-1280")

    page.get_by_label("Mot de passe", exact=True).press_sequentially(STRONG)
    expect(strength).to_have_text("Très fort")
    page.get_by_label("Confirmation du mot de passe").fill(STRONG)
    page.get_by_label("J'accepte les conditions d'utilisation").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text("Bienvenue, Marie-José")
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Connexion")).to_be_visible()

    page.get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse email").fill("MARIE.PEREC@example.fr")
    page.get_by_label("Mot de passe").fill(STRONG)
    page.get_by_label("Se souvenir de moi").check()
    assert_accessible(page)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()
    (session,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    days_left = (session["expires"] - time.time()) / 86400
    assert 29.9 < days_left <= 30, days_left
    assert session["httpOnly"]

    page.get_by_role("link", name="Mon compte").click()
    assert_accessible(page)
    page.get_by_role("navigation", name="Mon compte").get_by_role("link", name="Sécurité").click()
    page.get_by_role("link", name="Activer l'authentification à deux facteurs").click()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "enable-2fa-1280")
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)
    page.get_by_label("Code à 6 chiffres").fill(app.now())
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "recovery-codes-1280")

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse email").fill("marie.perec@example.fr")
    page.get_by_label("Mot de passe").fill(STRONG)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    assert_accessible(page)
    # A new time step, so the code differs from the one used to confirm the set-up.
    time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Code de vérification").fill(app.now())
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("status")).to_contain_text("Bonjour Marie-José")
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()


def test_account_pages_on_a_phone(page, base_url, transactional_db):
    page.set_viewport_size({"width": 360, "height": 740})
    for path, name in [
        ("/inscription/", "signup"),
        ("/connexion/", "login"),
        ("/mot-de-passe-oublie/", "reset"),
    ]:
        page.goto(base_url + path)
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
        screenshot(page, f"{name}-360")
