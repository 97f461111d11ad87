"""Manual §4–5 in Chromium: sign up, log out, log in remembered, enable 2FA, log in with it."""

import re
import time

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    log_in,
    screenshot,
)

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
    # The same answer as for an address that already has an account; then the login at once.
    expect(page.get_by_role("status")).to_contain_text(
        "Un email vous a été envoyé à marie.perec@example.fr"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
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
    page.get_by_label("Mot de passe actuel").fill(STRONG)
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


RULE_CODES = {
    "length": "password_too_short",
    "upper": "password_no_upper",
    "lower": "password_no_lower",
    "digit": "password_no_digit",
    "special": "password_no_special",
}


def _server_rules_met(password):
    """The manual's five rules (§4.2) as the server judges them."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
        broken = set()
    except ValidationError as error:
        broken = {e.code for e in error.error_list}
    return {rule for rule, code in RULE_CODES.items() if code not in broken}


def test_strength_indicator_and_server_agree_on_every_rule(page, base_url, transactional_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/inscription/")
    password = page.get_by_label("Mot de passe", exact=True)
    samples = [
        "Łódź123!",
        "łódź123!",
        "ŁÓDŹ123!",
        "Ωmega-2024",
        "Straße_٢٠٢٤",
        "Ab1!😀😀",
        "Ab1!😀😀xy",
        "ÉTÉ été 2024",
        "faible",
    ]
    for sample in samples:
        password.fill(sample)
        in_browser = set(
            page.locator("[data-rule].is-met").evaluate_all("els => els.map(e => e.dataset.rule)")
        )
        assert in_browser == _server_rules_met(sample), sample

    page.get_by_label("Nom d'utilisateur").fill("jan")
    page.get_by_label("Adresse email").fill("jan.kowalski@example.pl")
    page.get_by_label("Nom", exact=True).fill("Kowalski")
    page.get_by_label("Prénom").fill("Jan")
    password.fill("")
    password.press_sequentially("Łódź123!")
    expect(page.locator("[data-strength-text]")).to_have_text("Fort")
    expect(page.locator("[data-rule].is-met")).to_have_count(5)
    page.get_by_label("Confirmation du mot de passe").fill("Łódź123!")
    page.get_by_label("J'accepte les conditions d'utilisation").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Un email vous a été envoyé à jan.kowalski@example.pl"
    )


def _described_by_texts(page, selector):
    """The text of every element an input's aria-describedby names (an id may dangle)."""
    return page.locator(selector).evaluate(
        """(input) => (input.getAttribute('aria-describedby') || '').split(/\\s+/)
            .filter(Boolean)
            .map((id) => (document.getElementById(id)?.textContent || '').trim())"""
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_new_password_form_shows_each_error_next_to_its_field(
    page, base_url, transactional_db, make_user, width
):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "/inscription/")
    help_texts = _described_by_texts(page, "#id_password1")
    assert help_texts and all(help_texts), help_texts
    screenshot(page, f"signup-help-{width}")

    user = make_user()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(f"{base_url}/reinitialiser/{uid}/{default_token_generator.make_token(user)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau mot de passe")
    help_texts = _described_by_texts(page, "#id_new_password1")
    assert help_texts == [
        "Au moins 8 caractères, dont une majuscule, une minuscule, un chiffre et un "
        "caractère spécial (!, @, #, $, etc.)."
    ]
    page.get_by_label("Nouveau mot de passe", exact=True).fill("faible")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("faible")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()

    expect(page.locator("#id_new_password1_error")).to_contain_text("trop court")
    expect(page.locator("#id_new_password1_error")).to_contain_text("majuscule")
    expect(page.locator("#id_new_password2_error")).to_have_count(0)
    assert all(_described_by_texts(page, "#id_new_password1"))
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"reset-errors-{width}")

    page.get_by_label("Nouveau mot de passe", exact=True).fill("Nouveau-Record-2024!")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Nouveau-Record-2024?")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.locator("#id_new_password2_error")).to_have_text(
        "Les deux mots de passe ne correspondent pas."
    )
    expect(page.locator("#id_new_password1_error")).to_have_count(0)


def test_lockout_says_what_is_locked(page, base_url, transactional_db, make_user):
    user = make_user()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base_url + "/connexion/")
    for _ in range(5):
        page.get_by_label("Adresse email").fill(user.email)
        page.get_by_label("Mot de passe").fill("Mauvais-1234!")
        page.get_by_role("button", name="Se connecter").click()
    alert = page.get_by_role("alert").filter(has_text="Trop de tentatives de connexion.")
    expect(alert).to_contain_text(
        "après 5 essais infructueux pour un même compte, ou depuis une même connexion Internet "
        "(adresse IP) quel que soit le compte, les connexions sont bloquées pendant 15 minutes."
    )
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "login-locked-360")


def test_changing_the_email_address_on_a_phone(page, base_url, transactional_db, make_user):
    """The profile sends a link to the new address; its page confirms it with a button."""
    user = make_user(email="camille@example.fr")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/profil/")
    long_address = "camille.martin-de-la-tour-d-auvergne.supportrice.olympique@example.fr"
    page.get_by_label("Adresse email").fill(long_address)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("#id_current_password_error")).to_contain_text(
        "Saisissez votre mot de passe actuel"
    )
    assert_accessible(page)
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("status").last).to_contain_text("cliquez sur le lien")
    assert_no_horizontal_overflow(page)
    screenshot(page, "email-change-sent-360")
    link = re.search(r"/compte/adresse/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.goto(base_url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle adresse email")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "email-change-confirm-360")
    page.get_by_role("button", name="Confirmer cette adresse").click()
    expect(page.get_by_role("status").first).to_contain_text("votre compte utilise désormais")
    user.refresh_from_db()
    assert user.email == long_address


def test_a_controller_reads_that_two_factor_is_required(
    page, base_url, transactional_db, make_user
):
    from django.contrib.auth.models import Group

    from etickets.gate.models import CONTROLLER_GROUP

    steward = make_user()
    steward.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    customer = make_user()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, steward.email, PASSWORD)
    page.goto(base_url + "/compte/")
    expect(page.get_by_text("Obligatoire pour votre rôle : activez-la.")).to_be_visible()
    page.goto(base_url + "/compte/securite/")
    expect(page.get_by_text("Obligatoire pour votre rôle")).to_be_visible()
    expect(page.get_by_text("nous vous recommandons")).to_have_count(0)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "security-controller-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "security-controller-1280")
    page.context.clear_cookies()
    log_in(page, base_url, customer.email, PASSWORD)
    page.goto(base_url + "/compte/securite/")
    expect(page.get_by_text("nous vous recommandons d'activer")).to_be_visible()
    expect(page.get_by_text("Obligatoire pour votre rôle")).to_have_count(0)


def _shown_codes(page):
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    return codes


@pytest.mark.parametrize("width", [1280, 360])
def test_recovery_codes_are_copied_downloaded_and_printed(
    page, base_url, transactional_db, make_user, width
):
    """Manual §5.3: set up 2FA, then keep the recovery codes shown once."""
    from etickets.support.services import sync_help_articles

    user = make_user()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    # The print dialog would block a headless browser: count the calls instead.
    page.add_init_script("window.printCalls = 0; window.print = () => { window.printCalls += 1 }")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/compte/securite/")
    page.get_by_role("link", name="Activer l'authentification à deux facteurs").click()
    expect(page.get_by_text("copiez-les, téléchargez-les ou imprimez-les")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"enable-2fa-{width}")
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(secret).now())
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    codes = _shown_codes(page)
    expect(page.get_by_text(f"JO E-Tickets · {user.email} · générés le")).to_be_visible()

    page.get_by_role("button", name="Copier").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Codes copiés dans le presse-papiers.")
    expect(page.locator("[data-copy-status]")).to_have_attribute("role", "status")
    assert page.evaluate("navigator.clipboard.readText()") == "\n".join(codes) + "\n"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (.txt)").click()
    download = download_info.value
    assert download.suggested_filename == "codes-de-secours-jo-etickets.txt"
    text = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert f"Compte : {user.email}" in text and "\n".join(codes) in text

    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.printCalls") == 1
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"recovery-codes-actions-{width}")
    # On paper, the codes and what they are for, not the site around them nor the buttons.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).not_to_be_visible()
    expect(page.get_by_role("button", name="Imprimer")).not_to_be_visible()
    expect(page.locator(".recovery-codes code").first).to_be_visible()
    expect(page.get_by_text("chaque code permet une seule connexion")).to_be_visible()
    screenshot(page, f"recovery-codes-print-{width}")
    page.emulate_media(media="screen")

    # Shown once: past « J'ai noté mes codes », the file is no longer offered.
    page.get_by_role("link", name="J'ai noté mes codes").click()
    page.goto(base_url + "/compte/securite/codes-de-secours/telecharger/")
    expect(page.get_by_text("ne sont plus proposés au téléchargement")).to_be_visible()

    sync_help_articles()  # the transactional test emptied the tables
    page.goto(base_url + "/aide/")
    page.get_by_role("link", name="Activer l’authentification à deux facteurs").click()
    article = page.locator("main")
    for words in ("« Copier »", "« Télécharger (.txt) »", "« Imprimer »", "Code de vérification"):
        expect(article).to_contain_text(words)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"help-2fa-article-{width}")


def test_recovery_codes_without_javascript(browser, base_url, transactional_db, make_user):
    """No script: no « Copier » nor « Imprimer » that would do nothing; the download works."""
    user = make_user()
    authenticator = authenticator_for(user)
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, user.email, PASSWORD, authenticator)
    page.goto(base_url + "/compte/securite/codes-de-secours/")
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Générer de nouveaux codes").click()
    codes = _shown_codes(page)
    expect(page.get_by_role("button", name="Copier")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (.txt)").click()
    assert "\n".join(codes) in open(download_info.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert_no_horizontal_overflow(page)
    screenshot(page, "recovery-codes-no-js-360")
    context.close()
