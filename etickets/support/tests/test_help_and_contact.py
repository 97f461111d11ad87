import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import translation

from etickets.support.help_content import ARTICLES
from etickets.support.models import ContactMessage, HelpArticle
from etickets.support.selectors import search_help
from etickets.support.services import sync_help_articles


def page(response):
    return unescape(response.content.decode())


@pytest.mark.django_db
def test_articles_are_in_the_database_after_migrating():
    assert HelpArticle.objects.count() == len(ARTICLES) >= 10
    sync_help_articles()
    assert HelpArticle.objects.count() == len(ARTICLES)


@pytest.mark.django_db
def test_help_centre_lists_articles_by_section(client):
    html = page(client.get("/aide/"))
    for section in ("Consulter les offres", "Votre compte", "Acheter des billets", "Vos billets"):
        assert section in html
    article = HelpArticle.objects.get(slug="filtrer-les-offres")
    html = page(client.get(article.get_absolute_url()))
    assert "Filtrer par type" in html


@pytest.mark.django_db
def test_search_finds_an_article_by_a_word_of_its_body():
    article = HelpArticle.objects.get(slug="regenerer-le-qr-code")
    word = next(w for w in article.body.split() if len(w) > 8 and w.isalpha())
    assert article in search_help(query=word, language="fr")
    assert search_help(query="xylophonequantique", language="fr") == []


@pytest.mark.django_db
def test_the_qr_code_article_says_the_printed_number_still_admits_with_an_identity_document():
    article = HelpArticle.objects.get(slug="regenerer-le-qr-code")
    assert "ne fait entrer que sur présentation d’une pièce d’identité" in article.body
    assert "identity document in the ticket holder’s name" in article.body_en
    assert "anciennes versions seront refusées" not in article.body


def help_article(slug, title, body, title_en="Article", body_en="Text"):
    return HelpArticle.objects.create(
        slug=slug,
        position=100,
        section="Tests",
        section_en="Tests",
        title=title,
        title_en=title_en,
        body=body,
        body_en=body_en,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "wording",
    [
        "Le remboursement intervient sous 30 jours.",
        "Votre billet est remboursé sous 30 jours.",
        "Remboursements : sous 30 jours.",
        "On vous rembourse sous 30 jours.",
    ],
)
def test_search_ignores_inflection_and_accents(wording):
    """On PostgreSQL (DATABASE_URL) its French full-text search, on SQLite the Python stems:
    either way « rembourser » finds the other forms of the word."""
    HelpArticle.objects.all().delete()
    article = help_article("a", "Un titre", wording)
    help_article("b", "Autre chose", "Le QR code du billet.")
    assert search_help(query="rembourser", language="fr") == [article]
    assert search_help(query="REMBOURSÉS", language="fr") == [article]


@pytest.mark.django_db
def test_search_ignores_accents_the_reader_leaves_out():
    HelpArticle.objects.all().delete()
    article = help_article("a", "Un titre", "Chaque événement a sa page.")
    assert search_help(query="evenements", language="fr") == [article]


@pytest.mark.django_db
def test_search_finds_a_verb_by_its_noun():
    """Snowball's French stemmer, on either database: « payer » finds « paiement »."""
    HelpArticle.objects.all().delete()
    article = help_article("a", "Un titre", "Le paiement est sécurisé.")
    assert search_help(query="payer", language="fr") == [article]


@pytest.mark.django_db
def test_search_ranks_the_title_first_and_needs_every_word():
    HelpArticle.objects.all().delete()
    in_body = help_article("a", "Payer sa commande", "Le remboursement de la commande.")
    in_title = help_article("b", "Être remboursé", "Sous 30 jours, sur votre carte.")
    help_article("c", "Le panier", "Rien à voir.")
    assert search_help(query="rembourser", language="fr") == [in_title, in_body]
    assert search_help(query="rembourser commande", language="fr") == [in_body]


@pytest.mark.django_db
def test_search_in_english():
    HelpArticle.objects.all().delete()
    article = help_article("a", "Annulation", "Annulée.", "Refunds", "Refunded to your card.")
    help_article("b", "Le panier", "Rien.", "Cart", "Your card details.")
    assert search_help(query="refunding", language="en") == [article]
    assert search_help(query="refund card", language="en") == [article]
    assert search_help(query="refund", language="fr") == [article]


@pytest.mark.django_db
def test_search_finds_the_refunds_article():
    refunds = HelpArticle.objects.get(slug="annulation-et-remboursement")
    assert search_help(query="rembourser", language="fr")[0] == refunds
    assert search_help(query="refund", language="en")[0] == refunds


@pytest.mark.django_db
def test_search_page(client):
    html = page(client.get("/aide/", {"q": "rembourser"}))
    assert "pour « rembourser »" in html and "Annulation et remboursement" in html
    html = page(client.get("/aide/", {"q": "zzzzqqq"}))
    assert "Aucun article ne correspond" in html


@pytest.mark.django_db
def test_help_in_english(client):
    client.post("/langue/", {"language": "en", "next": "/"})
    html = page(client.get("/aide/"))
    assert "Help centre" in html and "Buying tickets" in html


def test_english_articles_quote_the_english_interface():
    """Read with the English interface on screen, an article says "My tickets", not the
    French « Mes billets »; every label it quotes is one the English interface shows."""
    english = translation.trans_real.translation("en")
    shown = {str(text) for _msgid, text in english._catalog.items()}
    for article in ARTICLES:
        text = article["title_en"] + article["body_en"]
        assert "«" not in text and "»" not in text, article["slug"]
        for label in re.findall(r"“([^”]+)”", text):
            assert label in shown, (article["slug"], label)


@pytest.mark.django_db
def test_english_article_says_used_in_my_tickets(client):
    client.post("/langue/", {"language": "en", "next": "/"})
    html = page(client.get("/aide/presenter-ses-billets/"))
    assert "it is marked “Used” in “My tickets”" in html


@pytest.mark.django_db
def test_the_day_of_the_event_explains_rotating_codes(client):
    html = page(client.get("/aide/presenter-ses-billets/"))
    assert "une capture d’écran ou une copie ne permet pas d’entrer" in html
    assert "gardez la page ouverte : le code continue de changer sans réseau" in html
    assert "après vérification d’une pièce d’identité à votre nom" in html
    client.post("/langue/", {"language": "en", "next": "/"})
    html = page(client.get("/aide/presenter-ses-billets/"))
    assert "QR code that changes every 15 seconds" in html


def contact_data(**overrides):
    data = {
        "name": "Jean Dupont",
        "email": "jean@example.fr",
        "subject": "Billet non reçu",
        "message": "Je n'ai pas reçu mon email de confirmation.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_contact_page_shows_the_manual_contacts(client):
    html = page(client.get("/contact/"))
    assert "support@jo-etickets.fr" in html and "01 23 45 67 89" in html
    assert "(du lundi au vendredi, 9h-18h)" in html


@pytest.mark.django_db
def test_contact_message_is_stored_emailed_and_acknowledged(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/contact/", contact_data(), follow=True)
    contact = ContactMessage.objects.get()
    assert contact.case_number.startswith("C-")
    assert contact.case_number in page(response)
    to_support, ack = mail.outbox
    assert to_support.to == ["support@jo-etickets.fr"] and contact.case_number in to_support.subject
    assert "Je n'ai pas reçu" in to_support.body
    assert ack.to == ["jean@example.fr"] and contact.case_number in ack.subject
    assert contact.case_number in ack.body


@pytest.mark.django_db
def test_the_acknowledgement_carries_nothing_the_sender_typed(client):
    """The attack: a victim's address in the form, a phishing text in every field."""
    bait = "Votre compte est bloqué : https://jo-etickets.example.com/verifier"
    data = contact_data(email="victime@example.org", name=bait, subject=bait, message=bait)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/contact/", data)
    to_support, ack = mail.outbox
    assert bait in to_support.body  # the team reads it all
    contact = ContactMessage.objects.get()
    html = ack.alternatives[0][0]
    for text in (ack.subject, ack.body, html):
        assert "jo-etickets.example.com" not in text and "bloqué" not in text
    assert contact.case_number in ack.subject and contact.case_number in ack.body


@pytest.mark.django_db
def test_an_address_gets_one_acknowledgement_an_hour(client):
    for n, email in enumerate(["victime@example.org", "VICTIME@example.org ", "autre@example.org"]):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/contact/", contact_data(email=email), REMOTE_ADDR=f"192.0.2.{n}"
            )
        assert response.status_code == 302
    assert ContactMessage.objects.count() == 3  # every message is a case for the team
    acknowledged = [
        message.to for message in mail.outbox if message.to != ["support@jo-etickets.fr"]
    ]
    assert acknowledged == [["victime@example.org"], ["autre@example.org"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "jean"}, "email", "adresse email valide"),
        ({"name": ""}, "name", "obligatoire"),
        ({"message": "court"}, "message", "10 caractères au moins"),
    ],
)
def test_contact_validation(client, overrides, field, message):
    response = client.post("/contact/", contact_data(**overrides))
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in page(response)
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_contact_is_rate_limited_per_address(settings):
    settings.CONTACT_RATE_LIMIT = 3
    client = Client()
    for _ in range(3):
        assert (
            client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.9").status_code == 302
        )
    refused = client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "beaucoup de messages" in page(refused)
    assert 'value="Jean Dupont"' in page(refused)  # nothing typed is lost
    assert client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.10").status_code == 302
    assert ContactMessage.objects.count() == 4
