"""« Transférer ce billet » in Chromium: account A gives a ticket to B's address; B opens the
e-mailed link, logs in (or signs up first), accepts, and has the ticket; A no longer has it.
In French and in English, at 1280 and 360 px, with a long address."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    LONG_EMAIL,
    assert_accessible,
    assert_no_horizontal_overflow,
    screenshot,
)

pytestmark = pytest.mark.e2e

TEXTS = {
    "fr": {
        "email": "Adresse email",
        "password": "Mot de passe",
        "log_in": "Se connecter",
        "my_tickets": "Mes billets",
        "transfer": "Transférer ce billet",
        "recipient": "Adresse email du destinataire",
        "to_self": "Ce billet est déjà à vous",
        "offered": f"{LONG_EMAIL} a reçu un lien",
        "pending": f"En attente d'acceptation par {LONG_EMAIL}",
        "accept": "Accepter le billet",
        "accepted": "Billet accepté",
        "sign_up": "Créer mon compte",
        "no_tickets": "Vous n'avez pas encore de billet",
        "details": "Détails",
        "cancel": "Annuler le transfert",
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "log_in": "Log in",
        "my_tickets": "My tickets",
        "transfer": "Transfer this ticket",
        "recipient": "Recipient's email address",
        "to_self": "This ticket is already yours",
        "offered": f"{LONG_EMAIL} has been sent a link",
        "pending": f"Awaiting acceptance by {LONG_EMAIL}",
        "accept": "Accept the ticket",
        "accepted": "Ticket accepted",
        "sign_up": "Create my account",
        "no_tickets": "You have no tickets yet",
        "details": "Details",
        "cancel": "Cancel the transfer",
    },
}


@pytest.fixture
def sender(transactional_db, make_user, make_event, make_offer):
    from conftest import pay
    from etickets.cart import services as cart
    from etickets.catalog.models import OfferKind

    user = make_user(email="anne@example.fr", first_name="Anne", last_name="Martin")
    offer = make_offer(event=make_event(title="Judo — Finales"), kind=OfferKind.DUO)
    cart.add_to_cart(user, offer=offer, quantity=1)
    return pay(user).tickets.get()


def check(page, name, width):
    if width == 360:
        assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"{name}-{width}")


def open_site(browser, base_url, language, width):
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base_url + "/")
    if language == "en":  # the switch is in the header at this width, in the menu on a phone
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size({"width": width, "height": 900 if width > 360 else 740})
    return page


def log_in(page, texts, email):
    page.get_by_label(texts["email"]).fill(email)
    page.get_by_label(texts["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=texts["log_in"]).click()


@pytest.mark.parametrize(("language", "width"), [("fr", 1280), ("en", 360)])
def test_transfer_between_two_accounts(
    browser, base_url, sender, make_user, language, width, settings
):
    texts = TEXTS[language]
    name = f"transfer-{language}"
    # A, who holds the ticket, offers it to B's address.
    page_a = open_site(browser, base_url, language, width)
    page_a.goto(base_url + "/connexion/")
    log_in(page_a, texts, "anne@example.fr")
    page_a.goto(base_url + "/mes-billets/")
    page_a.get_by_role("link", name=re.compile(f"^{texts['transfer']}")).click()
    check(page_a, f"{name}-form", width)
    page_a.get_by_label(texts["recipient"]).fill("anne@example.fr")
    page_a.get_by_role("button", name=texts["transfer"]).click()
    expect(page_a.locator("#id_email_error")).to_contain_text(texts["to_self"])
    check(page_a, f"{name}-form-error", width)
    page_a.get_by_label(texts["recipient"]).fill(LONG_EMAIL)
    page_a.get_by_role("button", name=texts["transfer"]).click()
    expect(page_a.get_by_role("status")).to_contain_text(texts["offered"])
    expect(page_a.get_by_text(texts["pending"])).to_be_visible()
    check(page_a, f"{name}-pending", width)
    # The ticket's page says it too, with the same undo.
    page_a.get_by_role("link", name=re.compile(f"^{texts['details']}")).click()
    expect(page_a.get_by_text(texts["pending"])).to_be_visible()
    expect(page_a.get_by_role("link", name=re.compile(f"^{texts['cancel']}"))).to_be_visible()
    check(page_a, f"{name}-ticket-pending", width)

    # B opens the link from the e-mail: no account yet in French, one already in English.
    (offer_email,) = [m for m in mail.outbox if m.to == [LONG_EMAIL]]
    link = re.search(r"https?://\S+/billets/transfert/\S+/", offer_email.body)
    assert link
    path = re.sub(r"^https?://[^/]+", "", link.group())
    page_b = open_site(browser, base_url, language, width)
    page_b.goto(base_url + path)
    check(page_b, f"{name}-link", width)
    if language == "fr":
        page_b.get_by_role("link", name=texts["sign_up"]).click()
        page_b.get_by_label("Nom d'utilisateur").fill("annesophie")
        page_b.get_by_label("Adresse email").fill(LONG_EMAIL)
        page_b.get_by_label("Nom", exact=True).fill("Delafontaine")
        page_b.get_by_label("Prénom").fill("Anne-Sophie")
        page_b.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        page_b.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
        page_b.get_by_label("J'accepte les conditions d'utilisation").check()
        page_b.get_by_role("button", name="S'inscrire").click()
    else:
        make_user(email=LONG_EMAIL, first_name="Anne-Sophie", language="en")
        page_b.get_by_role("link", name=texts["log_in"]).click()
    log_in(page_b, texts, LONG_EMAIL)
    # Back on the link's page, logged in.
    expect(page_b).to_have_url(base_url + path)
    check(page_b, f"{name}-accept", width)
    page_b.get_by_role("button", name=texts["accept"]).click()
    expect(page_b.get_by_role("status")).to_contain_text(texts["accepted"])
    check(page_b, f"{name}-accepted", width)
    page_b.goto(base_url + "/mes-billets/")
    expect(page_b.locator(".ticket-card")).to_have_count(1)
    expect(page_b.locator(".ticket-card")).to_contain_text("Judo — Finales")
    check(page_b, f"{name}-recipient-tickets", width)

    # A no longer has it.
    page_a.goto(base_url + "/mes-billets/")
    expect(page_a.locator(".ticket-card")).to_have_count(0)
    expect(page_a.get_by_text(texts["no_tickets"])).to_be_visible()
    check(page_a, f"{name}-sender-tickets", width)
