"""Issue 21: the address proven by the link sent at sign-up, or again from « Mon compte »."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    LONG_EMAIL,
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e

STRONG = "Saut-à-la-perche-6m24"


def _verification_link(email) -> str:
    found = re.search(r"/compte/verification/[^/\s]+/", email.body)
    assert found, email.body
    return found.group(0)


def test_the_link_sent_at_sign_up_verifies_the_address(page, base_url, transactional_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/inscription/")
    page.get_by_label("Nom d'utilisateur").fill("marie")
    page.get_by_label("Adresse email").fill("marie.perec@example.fr")
    page.get_by_label("Nom", exact=True).fill("Pérec")
    page.get_by_label("Prénom").fill("Marie-José")
    page.get_by_label("Mot de passe", exact=True).fill(STRONG)
    page.get_by_label("Confirmation du mot de passe").fill(STRONG)
    page.get_by_label("J'accepte les conditions d'utilisation").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    (welcome,) = mail.outbox
    log_in(page, base_url, "marie.perec@example.fr", STRONG)

    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_text("Adresse email non vérifiée")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "email-unverified-1280")

    page.goto(base_url + _verification_link(welcome))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification de l'adresse email")
    expect(page.get_by_text("marie.perec@example.fr")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "email-verify-confirm-1280")
    page.get_by_role("button", name="Vérifier mon adresse").click()
    expect(page.get_by_role("status")).to_contain_text(
        "votre adresse email marie.perec@example.fr est vérifiée"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Marie-José")
    expect(page.get_by_text("Adresse email vérifiée", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer le lien de vérification")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "email-verified-1280")

    page.goto(base_url + _verification_link(welcome))  # used: refused with a French message
    expect(page.get_by_role("alert")).to_contain_text("Ce lien de vérification n'est plus valable")
    assert_accessible(page)


def test_a_new_link_from_mon_compte_on_a_phone(page, base_url, transactional_db, make_user):
    user = make_user(email=LONG_EMAIL)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/")
    expect(page.get_by_text("Adresse email non vérifiée")).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-unverified-360")

    page.get_by_role("button", name="Envoyer le lien de vérification").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Nous venons d'envoyer un lien de vérification à {LONG_EMAIL}"
    )
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-verification-sent-360")
    page.get_by_role("button", name="Envoyer le lien de vérification").click()
    expect(page.get_by_role("status")).to_contain_text("il y a moins de 5 minutes")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-verification-too-soon-360")
    (email,) = mail.outbox
    assert email.to == [LONG_EMAIL]

    page.goto(base_url + _verification_link(email))
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-verify-confirm-360")
    page.get_by_role("button", name="Vérifier mon adresse").click()
    expect(page.get_by_text("Adresse email vérifiée", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-verified-360")


def test_the_link_is_sent_and_used_without_javascript(
    browser, base_url, transactional_db, make_user
):
    user = make_user()
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/")
    page.get_by_role("button", name="Envoyer le lien de vérification").click()
    expect(page.get_by_role("status")).to_contain_text("Nous venons d'envoyer un lien")
    page.goto(base_url + _verification_link(mail.outbox[-1]))
    page.get_by_role("button", name="Vérifier mon adresse").click()
    expect(page.get_by_text("Adresse email vérifiée", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(page)
    screenshot(page, "email-verified-no-js-360")
    user.refresh_from_db()
    assert user.email_verified_at is not None
    context.close()
