"""The catalogue in English, in Chromium: an English-speaking buyer reads each event's own texts
(title, venue, description, sport) in English, French where nobody translated them, on the
offers, the offer, the cart and the tickets; an administrator translates a title."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD as ADMIN_PASSWORD
from conftest import pay

from .browser import (
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Relais-4x100-Paris2024"
SPRINT = "athletisme-finale-100m-hommes"
SPRINT_EN = "Athletics — Men's 100 m final"
SPRINT_FR = "Athlétisme — Finale du 100 m hommes"
WRESTLING_FR = "Lutte — Finales gréco-romaines"


@pytest.fixture
def catalogue(demo_catalogue):
    """The demo catalogue, translated, and one event nobody translated."""
    import datetime

    from django.utils import timezone

    from etickets.catalog.models import Event, Offer, OfferKind

    wrestling = Event.objects.create(
        sport="lutte",
        title_fr=WRESTLING_FR,
        slug="lutte-finales-greco-romaines",
        description_fr="Les finales de lutte gréco-romaine au Champ-de-Mars.",
        venue_fr="Arena Champ-de-Mars",
        city_fr="Paris",
        starts_at=timezone.make_aware(datetime.datetime(2024, 8, 6, 15, 0)),
        capacity=200,
    )
    Offer.objects.create(
        event=wrestling, kind=OfferKind.SOLO, slug=f"{wrestling.slug}-solo", price_cents=6000
    )


@pytest.fixture
def customer(catalogue):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        email="gail@example.com",
        username="gail",
        password=PASSWORD,
        first_name="Gail",
        last_name="Devers",
    )


def switch_to_english(page):
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def check(page, name, width):
    if width == 360:
        assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"{name}-{width}")


def test_an_english_buyer_reads_the_events_in_english(page, base_url, customer):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "gail@example.com", PASSWORD)
    switch_to_english(page)

    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 740})
        page.goto(base_url + "/offres/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Offers")
        sprint = page.locator(".event-card", has_text=SPRINT_EN).first
        expect(sprint.locator(".offer-card-sport")).to_have_text("Athletics")
        expect(sprint).to_contain_text("Stade de France, Saint-Denis")
        expect(page.get_by_text(SPRINT_FR)).to_have_count(0)
        # Nobody translated the wrestling: its French texts stand in, its sport is English.
        wrestling = page.locator(".event-card", has_text=WRESTLING_FR)
        expect(wrestling.locator(".offer-card-sport")).to_have_text("Wrestling")
        check(page, "english-offers", width)

        page.goto(f"{base_url}/offres/{SPRINT}-duo/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(SPRINT_EN)
        expect(page.locator(".offer-card-sport").first).to_have_text("Athletics")
        expect(page.get_by_text("Stade de France, Saint-Denis").first).to_be_visible()
        expect(page.get_by_text("The most awaited moment of the Games")).to_be_visible()
        expect(page.get_by_text("Le rendez-vous le plus attendu")).to_have_count(0)
        check(page, "english-offer", width)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("added")
    page.goto(f"{base_url}/offres/lutte-finales-greco-romaines-solo/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(WRESTLING_FR)
    expect(page.get_by_text("Les finales de lutte gréco-romaine")).to_be_visible()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("added")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 740})
        page.goto(base_url + "/panier/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cart")
        expect(page.locator(".cart-line-title", has_text=SPRINT_EN)).to_be_visible()
        expect(page.locator(".cart-line-title", has_text=WRESTLING_FR)).to_be_visible()
        check(page, "english-cart", width)

    pay(customer)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 740})
        page.goto(base_url + "/mes-billets/")
        expect(page.get_by_role("heading", level=1)).to_have_text("My tickets")
        card = page.locator(".ticket-card", has_text=SPRINT_EN)
        expect(card.locator(".offer-card-sport")).to_have_text("Athletics")
        check(page, "english-tickets", width)
        card.get_by_role("link", name=re.compile("^Details")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(SPRINT_EN)
        expect(page.get_by_text("Stade de France, Saint-Denis")).to_be_visible()
        expect(page.get_by_text("The most awaited moment of the Games")).to_be_visible()
        check(page, "english-ticket", width)


def test_an_administrator_translates_a_title(page, base_url, catalogue, administrator):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "direction@example.fr", ADMIN_PASSWORD, administrator)
    page.goto(base_url + "/backoffice/epreuves/")
    page.get_by_role("link", name=WRESTLING_FR, exact=True).click()
    expect(page.get_by_label("Titre (français)")).to_have_value(WRESTLING_FR)
    page.get_by_label("Titre (anglais)").fill("Wrestling — Greco-Roman finals")
    page.get_by_role("button", name="Enregistrer l'épreuve").click()
    expect(page.get_by_role("status")).to_contain_text(f"Épreuve « {WRESTLING_FR} » enregistrée.")
    expect(page.get_by_label("Titre (anglais)")).to_have_value("Wrestling — Greco-Roman finals")
    check(page, "backoffice-event-english", 1280)
    page.set_viewport_size({"width": 360, "height": 740})
    check(page, "backoffice-event-english", 360)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/offres/lutte-finales-greco-romaines-solo/")
    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wrestling — Greco-Roman finals")
    # Its description is still French only: it stands in.
    expect(page.get_by_text("Les finales de lutte gréco-romaine")).to_be_visible()
    check(page, "english-offer-translated", 1280)
