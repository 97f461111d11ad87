"""Manual §6 and every form (issue 20) on a phone: a refused form opens on « Il y a un problème »
at the top of the page, focused, each error a link to its field; the passwords typed stay
unless they are what was refused; a corrected field loses its error."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import assert_accessible, assert_no_horizontal_overflow, log_in, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
STRONG = "Saut-à-la-perche-6m24"


def summary(page):
    return page.locator("[data-error-summary]")


def expect_summary(page, name, links):
    """The summary in view and focused, its links (text → field id) as given; the page checked
    with axe and at 360 px, and screenshot at 360 and 1280 px."""
    box = summary(page)
    expect(box).to_be_focused()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    expect(box).to_be_in_viewport()
    expect(box.get_by_role("heading", level=2)).to_have_text("Il y a un problème")
    found = box.get_by_role("link")
    expect(found).to_have_count(len(links))
    for index, (text, field_id) in enumerate(links):
        expect(found.nth(index)).to_contain_text(text)
        expect(found.nth(index)).to_have_attribute("href", f"#{field_id}")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"{name}-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)


def follow(page, text, field_id):
    """Click the summary's link: the keyboard lands in the field, in view."""
    summary(page).get_by_role("link", name=re.compile(re.escape(text))).click()
    field = page.locator(f"#{field_id}")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    return field


def expect_corrected(page, field_id):
    """The field's error, its mark and its line of the summary are gone."""
    field = page.locator(f"#{field_id}")
    expect(page.locator(f"#{field_id}_error")).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")
    expect(summary(page).locator(f'[data-error-for="{field_id}"]')).to_have_count(0)


def test_sign_up_errors_on_a_phone(page, base_url, transactional_db):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/inscription/")
    page.get_by_label("Nom d'utilisateur").fill("marie")
    page.get_by_label("Adresse email").fill("marie.perec@")
    page.get_by_label("Nom", exact=True).fill("Pérec")
    page.get_by_label("Prénom").fill("Marie-José")
    page.get_by_label("Mot de passe", exact=True).fill(STRONG)
    page.get_by_label("Confirmation du mot de passe").fill(STRONG)
    page.get_by_role("button", name="S'inscrire").click()

    expect_summary(
        page,
        "signup-summary",
        [
            ("Adresse email : Saisissez une adresse email valide", "id_email"),
            ("J'accepte les conditions d'utilisation : Vous devez accepter", "id_accept_terms"),
        ],
    )
    # Another field's error: the passwords are still there.
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value(STRONG)
    expect(page.get_by_label("Confirmation du mot de passe")).to_have_value(STRONG)

    email = follow(page, "Adresse email", "id_email")
    email.press("End")
    email.press_sequentially("example.fr")
    expect(email).to_have_value("marie.perec@example.fr")
    expect_corrected(page, "id_email")
    expect(summary(page)).to_be_visible()  # the terms are still to accept
    follow(page, "J'accepte", "id_accept_terms").check()
    expect_corrected(page, "id_accept_terms")
    expect(summary(page)).to_be_hidden()
    assert_accessible(page)
    screenshot(page, "signup-corrected-360")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text("Un email vous a été envoyé")

    # A password refused for itself is typed again, with its confirmation.
    page.context.clear_cookies()
    page.goto(base_url + "/inscription/")
    page.get_by_label("Nom d'utilisateur").fill("jeanne")
    page.get_by_label("Adresse email").fill("jeanne@example.fr")
    page.get_by_label("Nom", exact=True).fill("Jeanne")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_label("Mot de passe", exact=True).fill("faible")
    page.get_by_label("Confirmation du mot de passe").fill("faible")
    page.get_by_label("J'accepte les conditions d'utilisation").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(summary(page)).to_be_focused()
    expect(summary(page).get_by_role("link")).to_contain_text("Mot de passe : ")
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")
    expect(page.get_by_label("Confirmation du mot de passe")).to_have_value("")
    expect(page.get_by_label("Adresse email")).to_have_value("jeanne@example.fr")


def test_login_errors_on_a_phone(page, base_url, transactional_db, make_user):
    user = make_user()
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("client@example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect_summary(
        page, "login-summary", [("Adresse email : Saisissez une adresse email", "id_email")]
    )
    expect(page.get_by_label("Mot de passe")).to_have_value(PASSWORD)
    email = follow(page, "Adresse email", "id_email")
    email.fill(user.email)
    expect_corrected(page, "id_email")
    expect(summary(page)).to_be_hidden()

    page.get_by_label("Mot de passe").fill("Mauvais-1234!")
    page.get_by_role("button", name="Se connecter").click()
    # Wrong credentials: maybe the password, which is typed again.
    expect(summary(page)).to_be_focused()
    expect(summary(page).get_by_role("link")).to_have_text(
        "Adresse email ou mot de passe incorrect."
    )
    expect(page.get_by_label("Mot de passe")).to_have_value("")
    follow(page, "incorrect", "id_email")


def test_a_declined_card_on_a_phone(page, base_url, transactional_db, make_user, make_offer):
    from etickets.cart import services as cart

    user = make_user()
    cart.add_to_cart(user, offer=make_offer(price_cents=9000), quantity=2)
    page.set_viewport_size(PHONE)
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/paiement/")
    page.get_by_label("Numéro de carte").fill("4000 0000 0000 0002")  # the sandbox declines it
    page.get_by_label("Date d'expiration").fill("08/30")
    page.get_by_label("Code de sécurité (CVV)").fill("123")
    page.get_by_role("button", name="Payer").click()

    # The card form is far below the order summary on a phone: the refusal is at the top.
    expect_summary(
        page,
        "checkout-declined",
        [
            (
                "Paiement refusé par votre banque. Vérifiez vos informations ou utilisez une "
                "autre carte. Votre panier est conservé.",
                "id_number",
            )
        ],
    )
    number = follow(page, "Paiement refusé", "id_number")
    expect(number).to_have_value("4000 0000 0000 0002")
    expect(page.get_by_label("Code de sécurité (CVV)")).to_have_value("")  # never sent back

    number.fill("4242 4242 4242 4242")
    page.get_by_label("Date d'expiration").fill("13/30")
    page.get_by_role("button", name="Payer").click()
    expect_summary(
        page,
        "checkout-errors",
        [
            ("Date d'expiration : Saisissez la date d'expiration au format MM/AA", "id_expiry"),
            ("Code de sécurité (CVV) : Saisissez le code de sécurité", "id_cvv"),
        ],
    )
    follow(page, "Code de sécurité", "id_cvv").fill("123")
    expect_corrected(page, "id_cvv")
    follow(page, "Date d'expiration", "id_expiry").fill("08/30")
    expect_corrected(page, "id_expiry")
    expect(summary(page)).to_be_hidden()
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")


def test_profile_errors_on_a_phone(page, base_url, transactional_db, make_user):
    user = make_user()
    page.set_viewport_size(PHONE)
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/profil/")
    page.get_by_label("Nom d'utilisateur").fill("")
    page.get_by_label("Adresse email").fill("camille.nouvelle@example.fr")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect_summary(
        page,
        "profile-summary",
        [
            ("Nom d'utilisateur : Ce champ est obligatoire.", "id_username"),
            ("Mot de passe actuel : Saisissez votre mot de passe actuel", "id_current_password"),
        ],
    )
    follow(page, "Mot de passe actuel", "id_current_password").fill(PASSWORD)
    expect_corrected(page, "id_current_password")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    # Only the username is refused now: the password typed stays.
    expect(summary(page)).to_be_focused()
    expect(summary(page).get_by_role("link")).to_have_count(1)
    expect(page.get_by_label("Mot de passe actuel")).to_have_value(PASSWORD)
    follow(page, "Nom d'utilisateur", "id_username").fill("camille-m")
    expect_corrected(page, "id_username")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("status").last).to_contain_text("cliquez sur le lien")


def test_contact_errors_on_a_phone(page, base_url, transactional_db):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/contact/")
    page.get_by_label("Votre nom").fill("Jean Dupont")
    page.get_by_label("Message").fill("Aide ?")
    page.get_by_role("button", name="Envoyer").click()
    expect_summary(
        page,
        "contact-summary",
        [
            ("Adresse email : Ce champ est obligatoire.", "id_email"),
            ("Objet : Ce champ est obligatoire.", "id_subject"),
            ("Message : Décrivez votre demande en quelques mots", "id_message"),
        ],
    )
    expect(page.get_by_label("Message")).to_have_value("Aide ?")
    message = follow(page, "Message", "id_message")
    message.press("End")
    message.press_sequentially("!")
    # Still under 10 characters: still refused, by the browser too.
    expect(page.locator("#id_message_error")).to_be_visible()
    message.press_sequentially(" Merci")
    expect_corrected(page, "id_message")
    follow(page, "Objet", "id_subject").fill("Billets")
    expect_corrected(page, "id_subject")
    follow(page, "Adresse email", "id_email").fill("jean@example.fr")
    expect_corrected(page, "id_email")
    expect(summary(page)).to_be_hidden()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre numéro de dossier est C-")


def test_problem_report_errors_on_a_phone(page, base_url, transactional_db, make_user):
    user = make_user()
    page.set_viewport_size(PHONE)
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/assistance/signaler/")
    page.get_by_label("Décrivez le problème en détail").fill("QR code absent")
    page.get_by_role("button", name="Envoyer").click()
    expect_summary(
        page,
        "report-summary",
        [("Décrivez le problème en détail : Décrivez le problème en quelques", "id_description")],
    )
    description = follow(page, "Décrivez le problème", "id_description")
    expect(description).to_have_value("QR code absent")
    description.press("End")
    description.press_sequentially(" sur mon téléphone.")
    expect_corrected(page, "id_description")
    expect(summary(page)).to_be_hidden()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("votre signalement S-")


def test_the_summary_needs_no_javascript(browser, base_url, transactional_db):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("client@example")
    page.get_by_role("button", name="Se connecter").click()
    box = summary(page)
    expect(box).to_be_in_viewport()
    expect(box.get_by_role("link")).to_have_count(2)
    box.get_by_role("link", name=re.compile("^Mot de passe")).click()
    assert page.url.endswith("#id_password")
    expect(page.locator("#id_password")).to_be_in_viewport()
    screenshot(page, "login-summary-nojs-360")
    context.close()
