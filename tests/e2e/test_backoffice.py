"""The organisers' back office in Chromium: log in with 2FA, create an event and its offer,
find it on « Offres », and watch a purchase arrive in the sales per offer."""

import datetime

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD as ADMIN_PASSWORD
from conftest import pay

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Organisation-Paris-2024!"


def buy(slug):
    from django.contrib.auth import get_user_model

    from etickets.cart import services as cart
    from etickets.catalog.models import Offer

    buyer = get_user_model().objects.create_user(
        email="fan@example.fr", username="fan", password=PASSWORD, first_name="Léa", last_name="Fan"
    )
    cart.add_to_cart(buyer, offer=Offer.objects.get(slug=slug), quantity=2)
    return pay(buyer)


def pending_capture_and_orphan():
    """A capture the bank keeps refusing and an authorisation left without an order, with
    values as long as real ones."""
    from django.utils import timezone

    from etickets.payments.models import OrphanAuthorisation, Payment, PaymentStatus

    Payment.objects.update(
        status=PaymentStatus.AUTHORISED,
        created_at=timezone.now() - datetime.timedelta(minutes=40),
        attempts=6,
        last_error="ProcessingError()",
    )
    orphan = OrphanAuthorisation.objects.create(
        reference="sbx_Qm9yZGVhdXgtTWF0aWdub24tMjAyNA",
        idempotency_key="7d5c1a3e-1f0b-4b9e-9d51-9a0c2f6e8b11",
        amount_cents=123_450,
        authorised_at=timezone.now() - datetime.timedelta(minutes=25),
        last_error="ProcessingError()",
    )
    OrphanAuthorisation.objects.filter(pk=orphan.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=22)
    )


def test_create_event_and_offer_then_follow_sales(page, base_url, demo_catalogue, administrator):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("direction@example.fr")
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code de vérification").fill(administrator.now())
    page.get_by_role("button", name="Vérifier").click()

    page.get_by_role("link", name="Back-office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord des ventes")
    assert_accessible(page)
    page.get_by_role("link", name="Épreuves et offres").click()
    page.get_by_role("link", name="Nouvelle épreuve").click()
    page.get_by_label("Sport").select_option(label="Handball")
    page.get_by_label("Titre (français)").fill("Handball — Finale dames")
    page.get_by_label("Description (français)").fill("La finale du tournoi féminin de handball.")
    page.get_by_label("Site (français)").fill("Stade Pierre-Mauroy")
    page.get_by_label("Ville (français)").fill("Villeneuve-d'Ascq")
    page.get_by_label("Début").fill("2024-08-11T13:30")
    page.get_by_label("Nombre de places").fill("500")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer l'épreuve").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Épreuve « Handball — Finale dames » enregistrée."
    )

    page.get_by_label("Type").select_option(label="Duo")
    page.get_by_label("Prix (€)").fill("120,00")
    page.get_by_label("Maximum de billets par commande").fill("4")
    page.get_by_role("button", name="Ajouter l'offre").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Offre « Handball — Finale dames — Duo » enregistrée."
    )
    assert_accessible(page)
    screenshot(page, "backoffice-event")

    page.goto(base_url + "/offres/?q=handball&type=duo")
    card = page.locator(".event-card", has_text="Handball — Finale dames")
    expect(card).to_be_visible()
    expect(card).to_contain_text("120,00 €")
    expect(card).to_contain_text("250 billets disponibles")

    buy("handball-finale-dames-duo")
    page.goto(base_url + "/backoffice/")
    row = page.locator('tr[data-offer="handball-finale-dames-duo"]')
    expect(row.locator('[data-col="orders"]')).to_have_text("1")
    expect(row.locator('[data-col="tickets"]')).to_have_text("2")
    expect(row.locator('[data-col="revenue"]')).to_have_text("240,00 €")
    assert_accessible(page)
    screenshot(page, "backoffice-dashboard")

    page.get_by_role("link", name="Commandes").first.click()
    page.get_by_label("Référence, email ou nom").fill("fan@example.fr")
    page.get_by_role("button", name="Rechercher").click()
    page.locator(".data-table a.reference").first.click()
    expect(page.get_by_text("Visa •••• 4242")).to_be_visible()
    assert_accessible(page)

    pending_capture_and_orphan()
    page.get_by_role("link", name="Paiements").click()
    expect(page.get_by_role("status")).to_have_text(
        "2 anomalies : en échec depuis plus de 15 minutes."
    )
    expect(page.locator("#captures + .table-scroll")).to_contain_text("ProcessingError()")
    assert_accessible(page)
    screenshot(page, "backoffice-payments")

    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/backoffice/",
        "/backoffice/personnel/",
        "/backoffice/controles/",
        "/backoffice/paiements/",
    ):
        page.goto(base_url + path)
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
    screenshot(page, "backoffice-payments-360")
    assert datetime.date.today()
