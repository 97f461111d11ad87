"""Manual §9–10 in Chromium: FAQ, help centre, contact, and « Signaler un problème »."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .browser import (
    assert_accessible,
    assert_no_horizontal_overflow,
    authenticator_for,
    log_in,
    screenshot,
)

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


@pytest.mark.parametrize("width", [1280, 360])
def test_help_search_finds_refunds_whatever_the_wording(page, base_url, transactional_db, width):
    """« rembourser » finds the article that says « remboursement », « remboursé »… (French
    stemming on PostgreSQL, the Python stems on SQLite)."""
    from etickets.support.services import sync_help_articles

    sync_help_articles()  # the transactional test emptied the tables
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "/aide/")
    page.get_by_label("Rechercher dans l'aide").fill("rembourser")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("pour « rembourser »")
    first = page.locator(".help-list a").first
    expect(first).to_have_text("Annulation et remboursement")
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"help-search-rembourser-{width}")

    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annulation et remboursement")
    expect(page.get_by_text("remboursé intégralement")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"help-refunds-article-{width}")


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


def test_long_words_wrap_on_a_phone(page, base_url, transactional_db):
    """A pasted link or a 5,000-letter word in a report, a reply or a contact message made
    these pages tens of thousands of pixels wide."""
    from django.contrib.auth import get_user_model

    from etickets.support import services
    from etickets.support.models import ContactMessage, new_case_number

    users = get_user_model().objects
    author = users.create_user(
        email="zoe@example.fr", username="zoe", password=PASSWORD, first_name="Zoé"
    )
    admin = users.create_superuser(
        email="desk@example.fr", username="desk", password=PASSWORD, first_name="Desk"
    )
    authenticator = authenticator_for(admin)
    word = "x" * 5000
    link = "https://exemple.fr/" + "chemin/" * 300
    report = services.file_problem_report(author, description=f"{word} {link}", uploads=[])
    services.reply_to_report(report, author=admin, body=f"Voir {link}", status="in_progress")
    ContactMessage.objects.create(
        case_number=new_case_number("C"),
        name="y" * 120,
        email="zoe@example.fr",
        subject="z" * 150,
        message=word,
    )

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "zoe@example.fr", PASSWORD)
    for path in ("/compte/assistance/", report.get_absolute_url()):
        page.goto(base_url + path)
        expect(page.get_by_text(report.reference).first).to_be_visible()
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
    screenshot(page, "report-long-word-360")

    page.context.clear_cookies()
    log_in(page, base_url, "desk@example.fr", PASSWORD, authenticator)
    for path in ("/backoffice/assistance/", f"/backoffice/assistance/{report.reference}/"):
        page.goto(base_url + path)
        expect(page.get_by_text(report.reference).first).to_be_visible()
        assert_no_horizontal_overflow(page)
        assert_accessible(page)
    screenshot(page, "backoffice-report-long-word-360")


def test_too_many_screenshots_are_refused_before_sending(
    page, base_url, transactional_db, tmp_path
):
    from django.contrib.auth import get_user_model

    from etickets.support.models import ProblemReport

    get_user_model().objects.create_user(email="zoe@example.fr", username="zoe", password=PASSWORD)
    pictures = []
    for n in range(6):
        pictures.append(str(tmp_path / f"capture-{n}.png"))
        Image.new("RGB", (40, 30), (31, 63, 191)).save(pictures[-1])
    description = "Le QR code de mon billet ne s'affiche pas sur mon téléphone."

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, "zoe@example.fr", PASSWORD)
    page.goto(base_url + "/compte/assistance/signaler/")
    page.get_by_label("Décrivez le problème en détail").fill(description)
    files = page.get_by_label("Captures d'écran")
    files.set_input_files(pictures)
    expect(files).to_have_attribute("aria-invalid", "true")
    expect(files).to_have_accessible_description(re.compile("Joignez au plus 5 captures d'écran."))
    page.get_by_role("button", name="Envoyer").click()
    expect(files).to_be_focused()
    assert page.url.endswith("/compte/assistance/signaler/")
    expect(page.get_by_label("Décrivez le problème en détail")).to_have_value(description)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "report-too-many-files-360")

    files.set_input_files(pictures[:5])
    expect(page.get_by_text("Joignez au plus 5 captures d'écran.")).to_have_count(0)
    expect(files).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("votre signalement S-")
    assert ProblemReport.objects.get().screenshots.count() == 5
