"""The storefront of manual §1–3, as a visitor walks through it in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e


def test_home_to_offers_filter_and_detail(page, base_url, demo_catalogue):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/")
    expect(page).to_have_title(re.compile("Accueil"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paris 2024")
    assert_accessible(page)
    screenshot(page, "home-1280")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Offres"
    ).click()
    expect(page).to_have_url(f"{base_url}/offres/")
    expect(page.get_by_role("heading", level=1, name="Offres")).to_be_visible()
    cards = page.locator(".event-card")
    expect(cards).to_have_count(12)  # the first page of 19 events, one card each
    expect(cards.first.get_by_role("link", name=re.compile("Voir les détails"))).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "offres-1280")

    # The filter swaps the list in place: no navigation, the URL follows for sharing.
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Filtrer par type").select_option(label="Duo (2 personnes)")
    expect(page).to_have_url(f"{base_url}/offres/?type=duo")
    expect(page.locator(".event-card .badge", has_text="Solo")).to_have_count(0)
    duo_cards = page.locator(".event-card")
    expect(duo_cards.locator(".badge")).to_have_text(["Duo"] * 12)
    assert page.evaluate("window.__sameDocument") is True, "the filter reloaded the page"
    expect(page.get_by_role("status")).to_have_text("19 épreuves · page 1 sur 2")
    assert_accessible(page)
    screenshot(page, "offres-duo-1280")

    first = duo_cards.first
    title = first.locator("h3").inner_text()
    first.get_by_role("link", name=re.compile("Voir les détails")).click()
    expect(page).to_have_url(re.compile(r"/offres/[\w-]+-duo/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_text("Informations pratiques")).to_be_visible()
    expect(page.get_by_text("Places disponibles")).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter au panier")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "offre-detail-1280")


def test_phone_360px_has_no_horizontal_scroll(page, base_url, demo_catalogue):
    page.set_viewport_size({"width": 360, "height": 740})
    for path, name in [
        ("/", "home"),
        ("/offres/", "offres"),
        ("/offres/?type=familiale", "familiale"),
    ]:
        page.goto(base_url + path)
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
        screenshot(page, f"{name}-360")

    # The mobile menu opens from its button and reaches the offers.
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Inscription")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Inscription")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "menu-360")

    page.locator(".event-card").first.get_by_role(
        "link", name=re.compile("Voir les détails")
    ).first.click()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "offre-detail-360")


def test_filter_works_without_javascript(browser, base_url, demo_catalogue):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(base_url + "/offres/")
    page.get_by_label("Filtrer par type").select_option("familiale")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{base_url}/offres/?q=&sport=&jour=&lieu=&type=familiale")
    badges = page.locator(".event-card .badge")
    assert badges.count() > 0
    assert set(badges.all_inner_texts()) == {"Familiale"}
    context.close()


def test_english_version_and_404_page(page, base_url, demo_catalogue):
    page.goto(base_url + "/offres/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers")
    expect(page.get_by_label("Filter by type")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offres")

    response = page.goto(base_url + "/offres/epreuve-inexistante/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert_accessible(page)
    screenshot(page, "404")
