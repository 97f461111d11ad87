"""Manual §3 « Consulter les offres » in Chromium: one card per event with its offers, a search
and filters that combine (in place with htmx, or sent as a form without JavaScript), pages."""

import re

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_horizontal_overflow, log_in, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Saut-à-la-perche-6m24"


def full_screenshot(page, name):
    """The whole page, its lazy pictures loaded."""
    page.evaluate(
        """() => Promise.all([...document.images].map((image) => {
            image.loading = "eager";
            return image.decode().catch(() => null);
        }))"""
    )
    screenshot(page, name)


def test_one_card_per_event_then_search_and_filters_in_place(page, base_url, demo_catalogue):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/offres/")
    cards = page.locator(".event-card")
    status = page.get_by_role("status")
    expect(cards).to_have_count(12)
    expect(status).to_have_text("19 épreuves · page 1 sur 2")

    # The opening ceremony's three offers on its one card, each with its own price, tickets
    # left and buttons (a visitor not signed in is led to the offer's quantity first).
    offers = cards.filter(has_text="Cérémonie d'ouverture").locator(".event-offer")
    expect(offers.locator(".badge")).to_have_text(["Solo", "Duo", "Familiale"])
    expect(offers.locator(".price")).to_contain_text(["450,00 €", "855,00 €", "1 620,00 €"])
    expect(offers.first).to_contain_text("5 000 billets disponibles")
    details = offers.first.get_by_role("link", name="Voir les détails")
    expect(details).to_have_attribute("href", "/offres/ceremonie-ouverture-seine-solo/")
    add = offers.first.get_by_role("link", name=re.compile("^Ajouter au panier"))
    expect(add).to_have_attribute("href", "/offres/ceremonie-ouverture-seine-solo/#ajouter")
    assert_accessible(page)
    full_screenshot(page, "offres-cartes-1280")

    # A word typed in capitals without its accents, then Enter: the results change in place,
    # their count is said, and the address follows.
    page.evaluate(
        "window.__sameDocument = true;window.__count = document.getElementById('results-count')"
    )
    search = page.get_by_role("searchbox", name="Rechercher")
    search.fill("CEREMONIE")
    search.press("Enter")
    expect(page).to_have_url(f"{base_url}/offres/?q=CEREMONIE")
    expect(status).to_have_text("2 épreuves")
    expect(cards.locator("h3")).to_have_text(
        ["Cérémonie d'ouverture — Parade sur la Seine", "Cérémonie de clôture"]
    )

    # Another word, then a venue, a type and a day: each narrows the one before.
    search.fill("stade")
    page.get_by_role("button", name="Rechercher").click()
    expect(status).to_have_text("5 épreuves")
    page.get_by_label("Lieu", exact=True).select_option("Stade de France")
    expect(status).to_have_text("3 épreuves")
    page.get_by_label("Filtrer par type").select_option(label="Duo (2 personnes)")
    expect(cards.locator(".badge")).to_have_text(["Duo", "Duo", "Duo"])
    page.get_by_label("Date", exact=True).select_option(label="Dimanche 4 août")
    expect(status).to_have_text("1 épreuve")
    expect(cards.locator("h3")).to_have_text(["Athlétisme — Finale du 100 m hommes"])
    expect(page).to_have_url(
        f"{base_url}/offres/?q=stade&jour=2024-08-04&lieu=Stade+de+France&type=duo"
    )
    assert page.evaluate("window.__sameDocument") is True, "a filter reloaded the page"
    # The count is the same element with new text: a live region screen readers announce.
    assert page.evaluate("window.__count === document.getElementById('results-count')")
    assert_accessible(page)
    full_screenshot(page, "offres-filtres-1280")

    # The address can be shared: loaded anew, the same results and the same choices.
    page.reload()
    expect(cards).to_have_count(1)
    expect(search).to_have_value("stade")
    expect(page.get_by_label("Date", exact=True)).to_have_value("2024-08-04")
    expect(page.get_by_label("Filtrer par type")).to_have_value("duo")

    page.get_by_role("link", name="Effacer les filtres").click()
    expect(page).to_have_url(f"{base_url}/offres/")
    expect(status).to_have_text("19 épreuves · page 1 sur 2")
    expect(search).to_have_value("")


def test_pages_keep_the_filters_and_bad_addresses_are_not_errors(page, base_url, demo_catalogue):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/offres/?type=solo")
    pages = page.get_by_role("navigation", name="Pages des résultats")
    expect(pages).to_contain_text("Page 1 sur 2")
    expect(pages.get_by_role("link", name="Page précédente")).to_have_count(0)
    pages.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(f"{base_url}/offres/?type=solo&page=2#resultats")
    cards = page.locator(".event-card")
    expect(cards).to_have_count(7)
    expect(cards.locator(".badge")).to_have_text(["Solo"] * 7)
    expect(cards.locator("h3").last).to_have_text("Cérémonie de clôture")
    expect(page.get_by_label("Filtrer par type")).to_have_value("solo")
    expect(page.get_by_role("status")).to_have_text("19 épreuves · page 2 sur 2")
    assert_accessible(page)
    full_screenshot(page, "offres-page-2-1280")
    pages.get_by_role("link", name="Page précédente").click()
    expect(page).to_have_url(f"{base_url}/offres/?type=solo&page=1#resultats")
    expect(cards).to_have_count(12)

    for query, shown, message in [
        ("page=abc", 12, None),
        ("page=9999", 7, None),
        ("sport=curling", 12, "Aucune épreuve de ce sport n'est en vente."),
        ("jour=2024-13-45", 12, "Aucune épreuve n'est en vente ce jour-là."),
        ("lieu=Atlantide&type=familiale", 12, "Aucune épreuve n'est en vente en ce lieu."),
    ]:
        response = page.goto(f"{base_url}/offres/?{query}")
        assert response is not None and response.status == 200
        expect(cards).to_have_count(shown)
        if message:
            expect(page.locator(".errorlist")).to_have_text(
                re.compile(re.escape(message) + ".*ce filtre est ignoré en attendant")
            )
    assert_accessible(page)
    screenshot(page, "offres-lieu-inconnu-1280")


def test_phone_360px(page, base_url, demo_catalogue):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base_url + "/offres/")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    # Twelve cards of three offers: a third of the 31,600 px the 57 offers' cards made.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 10_000, height
    # An offer's two buttons share a line.
    offer = page.locator(".event-offer").first
    details = offer.get_by_role("link", name="Voir les détails").bounding_box()
    add = offer.get_by_role("link", name=re.compile("^Ajouter au panier")).bounding_box()
    assert details and add and details["y"] == add["y"]
    full_screenshot(page, "offres-cartes-360")

    page.get_by_label("Sport", exact=True).select_option(label="Natation")
    expect(page.get_by_role("status")).to_have_text("1 épreuve")
    expect(page).to_have_url(f"{base_url}/offres/?sport=natation")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    full_screenshot(page, "offres-natation-360")

    page.goto(base_url + "/offres/?type=solo&page=2&jour=2024-02-30")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "offres-page-2-360")


@pytest.fixture
def customer(demo_catalogue):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        email="ines@example.fr",
        username="ines",
        password=PASSWORD,
        first_name="Inès",
        last_name="Moreau",
    )


def test_without_javascript_search_filter_page_and_add_to_cart(browser, base_url, customer):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(base_url + "/offres/")
    expect(page.get_by_role("button", name="Filtrer")).to_be_visible()
    page.get_by_role("searchbox", name="Rechercher").fill("Équestres")
    page.get_by_label("Filtrer par type").select_option("familiale")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(
        re.compile(r"/offres/\?q=%C3%89questres&sport=&jour=&lieu=&type=familiale$")
    )
    cards = page.locator(".event-card")
    expect(cards.locator("h3")).to_have_text(
        ["Sports équestres — Concours complet, épreuve de cross"]
    )
    expect(cards.locator(".badge")).to_have_text(["Familiale"])
    expect(page.get_by_role("status")).to_have_text("1 épreuve")

    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_label("Date", exact=True).select_option(label="Dimanche 4 août")
    page.get_by_role("button", name="Rechercher").click()
    expect(cards).to_have_count(3)
    page.goto(base_url + "/offres/")
    page.get_by_role("link", name="Page suivante").click()
    expect(cards).to_have_count(7)

    # Signed in, an offer's « Ajouter au panier » on its card puts one ticket in the cart.
    log_in(page, base_url, "ines@example.fr", PASSWORD)
    page.goto(base_url + "/offres/?q=judo")
    solo = page.locator(".event-offer").filter(has=page.locator(".badge", has_text="Solo"))
    solo.get_by_role("button", name=re.compile("^Ajouter au panier")).click()
    expect(page).to_have_url(f"{base_url}/offres/judo-finales-plus-100-kg-plus-78-kg-solo/")
    expect(page.get_by_role("status")).to_have_text(
        "1 billet « Judo — Phases finales +100 kg hommes et +78 kg femmes — Solo » ajouté à "
        "votre panier."
    )
    context.close()
