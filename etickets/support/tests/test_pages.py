"""The FAQ (manual §9) and the legal pages, in French and in English."""

import html
import re

import pytest
from django.urls import reverse

# Manual §9, word for word: the FAQ must hold each of these questions under its anchor.
FAQ = {
    "Questions générales": {
        "achat-sans-compte": "Puis-je acheter des billets sans créer de compte ?",
        "nombre-de-billets": "Combien de billets puis-je acheter en une seule commande ?",
        "billets-nominatifs": "Les billets sont-ils nominatifs ?",
    },
    "Questions sur les paiements": {
        "moyens-de-paiement": "Quels moyens de paiement sont acceptés ?",
        "paiement-securise": "Le paiement est-il sécurisé ?",
        "annulation-remboursement": "Puis-je annuler ma commande et être remboursé ?",
    },
    "Questions techniques": {
        "billets-non-recus": "Que faire si je ne reçois pas mes billets après le paiement ?",
        "scanner-qr-code": "Comment faire si je ne peux pas scanner le QR code ?",
        "telephone-perdu": "Que faire si j'ai perdu mon téléphone avec mes billets ?",
    },
}

ANSWERS = [
    "Non, vous devez créer un compte pour finaliser un achat. Cela garantit la sécurité de vos "
    "billets et vous permet de les retrouver facilement.",
    "Nous acceptons les cartes bancaires Visa, Mastercard et American Express.",
    "Oui, toutes les transactions sont chiffrées et sécurisées. Nous ne stockons jamais vos "
    "informations de carte bancaire.",
    "Les conditions d'annulation et de remboursement dépendent de la politique des Jeux "
    "Olympiques. Consultez nos conditions générales de vente pour plus d'informations.",
    'Vérifiez la section "Mes billets" dans votre compte. Si vous ne les voyez pas, contactez '
    "notre service client.",
    "Connectez-vous à votre compte JO E-Tickets depuis un autre appareil ou ordinateur. Vos "
    "billets seront toujours accessibles.",
]

LEGAL_PAGES = [
    # url name, path, French title, English title
    ("terms_of_use", "/cgu/", "Conditions générales d'utilisation", "Terms of Use"),
    ("terms_of_sale", "/cgv/", "Conditions générales de vente", "Terms of Sale"),
    ("legal_notice", "/mentions-legales/", "Mentions légales", "Legal Notice"),
    ("privacy", "/confidentialite/", "Politique de confidentialité", "Privacy Policy"),
]


def text_of(response):
    """The page's HTML with entities and typographic apostrophes made plain, to search in."""
    return html.unescape(response.content.decode()).replace("\u2019", "'")


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return text_of(response)


def test_faq_page(client):
    page = get(client, reverse("support:faq"))
    assert '<html lang="fr">' in page
    assert "<title>Questions fréquentes (FAQ) · JO E-Tickets</title>" in page
    assert "<h1>Questions fréquentes (FAQ)</h1>" in page


def test_faq_gives_the_manuals_three_ways_to_reach_the_support(client):
    """Manual §10.2: email, phone and the contact form."""
    page = get(client, "/faq/")
    box = page[page.index("Vous n'avez pas trouvé votre réponse ?") :]
    assert 'href="mailto:support@jo-etickets.fr"' in box
    assert 'href="tel:+33123456789"' in box
    assert '<a href="/contact/">Via le formulaire de contact</a>' in box


def test_faq_holds_every_question_of_the_manual_in_its_section_and_order(client):
    page = get(client, "/faq/")
    position = 0
    for title, questions in FAQ.items():
        heading = page.index(f">{title}</h2>")
        assert heading > position, f"section {title!r} out of order"
        position = heading
        for anchor, question in questions.items():
            item = page.index(f'<details class="faq-item" id="{anchor}">')
            assert item > position, f"{anchor} is not in {title!r}"
            assert page.index(f"<summary>{question}</summary>", item) == page.index(
                "<summary>", item
            ), f"{anchor} does not open on its question"
            position = item
    assert page.count("<details") == 9


def test_faq_answers_are_the_manuals(client):
    page = get(client, "/faq/")
    for answer in ANSWERS:
        assert answer in page


def test_faq_points_to_the_refund_policy(client):
    page = get(client, "/faq/")
    assert 'href="/cgv/#annulation-remboursement"' in page
    assert 'id="annulation-remboursement"' in get(client, "/cgv/")


@pytest.mark.parametrize(("name", "path", "title", "english"), LEGAL_PAGES)
def test_legal_page_in_french(client, name, path, title, english):
    assert reverse(f"support:{name}") == path
    page = get(client, path)
    assert '<html lang="fr">' in page
    assert f"<title>{title} · JO E-Tickets</title>" in page
    assert f"<h1>{title}</h1>" in page
    assert "Dernière mise à jour\u00a0: " in page
    assert re.search(r">\d{1,2}\u00a0[a-zéû]+ \d{4}</time>", page)
    assert '<article class="prose legal">' in page
    assert english not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "title", "english"), LEGAL_PAGES)
def test_legal_page_in_english(client, name, path, title, english):
    client.post("/langue/", {"language": "en", "next": "/"})
    page = get(client, path)
    assert '<html lang="en">' in page
    assert f"<title>{english} · JO E-Tickets</title>" in page
    assert f"<h1>{english}</h1>" in page
    assert "Last updated: " in page
    assert f"<h1>{title}</h1>" not in page


def test_terms_of_sale_state_the_policy(client):
    page = get(client, "/cgv/")
    for fact in (
        "nominatifs",
        "toutes taxes comprises (TTC)",
        "Visa",
        "Mastercard",
        "American Express",
        "L221-28\u00a012°",
        "dans un délai de 30\u00a0jours",
        "sur la carte bancaire utilisée pour le paiement",
        "plateforme officielle de revente",
        "Un billet n'est valable qu'une seule fois",
    ):
        assert fact in page, fact


def test_privacy_policy_never_stores_cards_and_sets_only_necessary_cookies(client):
    page = get(client, "/confidentialite/")
    assert "Nous ne stockons jamais le numéro de votre carte ni son cryptogramme visuel" in page
    assert "dpo@jo-etickets.fr" in page
    assert "CNIL" in page
    for cookie in ("sessionid", "csrftoken", "django_language"):
        assert f"<code>{cookie}</code>" in page


def test_legal_notice_names_publisher_and_contact(client):
    page = get(client, "/mentions-legales/")
    for fact in ("JO E-Tickets SAS", "Paris", "support@jo-etickets.fr", "01\u00a023\u00a045"):
        assert fact in page, fact


@pytest.mark.parametrize("path", ["/faq/", *[page[1] for page in LEGAL_PAGES]])
def test_pages_only_accept_reads(client, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code == 200
