"""Manual §9–10 in Chromium: FAQ, help centre, contact, and « Signaler un problème »."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Assistance-Paris-2024!"


def test_faq_help_and_contact_pages(page, base_url, transactional_db):
    from etickets.support.services import sync_help_articles

    sync_help_articles()  # the transactional test emptied the tables
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.get_by_role("link", name="FAQ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("FAQ")
    question = page.get_by_text("Les billets sont-ils nominatifs ?")
    question.click()
    expect(page.get_by_text("les billets sont liés à votre compte")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Aide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre d'aide")
    assert_accessible(page)
    page.get_by_label("Rechercher dans l'aide").fill("QR code")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("QR code")
    page.locator(".help-list a").first.click()
    assert_accessible(page)

    page.get_by_role("link", name="Contact", exact=True).click()
    expect(page.get_by_text("01 23 45 67 89").first).to_be_visible()
    page.get_by_label("Votre nom").fill("Jean Dupont")
    page.get_by_label("Adresse email").fill("jean@example.fr")
    page.get_by_label("Objet").fill("Question sur la FAQ")
    page.get_by_label("Message").fill("Puis-je offrir un billet à un ami ?")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre numéro de dossier est C-")
    assert_accessible(page)
    screenshot(page, "contact-1280")

    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/faq/",
        "/aide/",
        "/contact/",
        "/cgu/",
        "/cgv/",
        "/mentions-legales/",
        "/confidentialite/",
    ):
        page.goto(base_url + path)
        assert_no_horizontal_overflow(page)
        assert_accessible(page)


def test_report_a_problem_with_a_screenshot(page, base_url, transactional_db, tmp_path):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(
        email="zoe@example.fr",
        username="zoe",
        password=PASSWORD,
        first_name="Zoé",
        last_name="Lambert",
    )
    picture = tmp_path / "capture.png"
    Image.new("RGB", (320, 200), (31, 63, 191)).save(picture)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill("zoe@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("navigation", name="Mon compte").get_by_role("link", name="Assistance").click()
    page.get_by_role("link", name="Signaler un problème").click()
    assert_accessible(page)
    page.get_by_label("Décrivez le problème en détail").fill(
        "Le QR code de mon billet ne s'affiche pas sur mon téléphone."
    )
    page.get_by_label("Captures d'écran").set_input_files(str(picture))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("votre signalement S-")
    image = page.get_by_role("img", name="Capture d'écran 1")
    expect(image).to_be_visible()
    # Visible is not yet decoded: wait for the picture itself before measuring it.
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 320
    assert_accessible(page)
    screenshot(page, "report-1280")

    page.get_by_role("link", name="Tous mes signalements").click()
    expect(page.locator(".order-card")).to_have_count(1)
    expect(page.locator(".order-card")).to_contain_text("Nouveau")
