import io
import re
from html import unescape

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.utils import timezone

from etickets.catalog.models import Event, OfferKind
from etickets.tickets.models import Ticket
from etickets.tickets.services import check_ticket


def as_owner(order):
    client = Client()
    client.force_login(order.user)
    return client


def html_of(response):
    return unescape(response.content.decode())


def decode_pdf(content: bytes) -> list[list[str]]:
    """The QR codes found on each page of a PDF, rendered at 150 dpi and read by zxing-cpp."""
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    pages = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil().convert("L")
        pages.append([result.text for result in zxingcpp.read_barcodes(image)])
    return pages


@pytest.mark.django_db
def test_mes_billets_shows_every_ticket_as_a_card(order):
    html = html_of(as_owner(order).get("/mes-billets/"))
    assert html.count('<li class="ticket-card') == 3
    assert html.count("<svg viewBox=") == 3
    for text in (
        "Judo — Finales",
        "Solo",
        "Familiale",
        "4 personnes",
        "Valide",
        "Détails",
        "Télécharger",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_upcoming_events_first_then_past(make_user, buy, make_event, settings):
    import datetime

    from etickets.catalog.models import OfferKind

    user = make_user()
    soon = make_event(title="Bientôt", starts_at=timezone.now() + datetime.timedelta(days=2))
    later = make_event(title="Plus tard", starts_at=timezone.now() + datetime.timedelta(days=9))
    buy(user, (OfferKind.SOLO, 1), event=later)
    buy(user, (OfferKind.SOLO, 1), event=soon)
    client = Client()
    client.force_login(user)
    html = html_of(client.get("/mes-billets/"))
    assert html.index("Bientôt") < html.index("Plus tard")


@pytest.mark.django_db
def test_ticket_detail(order):
    ticket = order.tickets.get(persons=4)
    html = html_of(as_owner(order).get(f"/mes-billets/{ticket.pk}/"))
    for text in (
        order.reference,
        "Admet 4 personnes",
        "Marie-José Pérec",
        "Télécharger le PDF",
        "Instructions importantes",
        "au moins 1 h avant",
        "pièce d'identité",
        "qu'une seule fois",
        "Régénérer le QR code",
    ):
        assert text in html, text
    assert 'role="img" aria-label="QR code du billet' in html


@pytest.mark.django_db
def test_ticket_pdf_is_an_attachment_with_a_decodable_qr(order):
    ticket = order.tickets.get(persons=4)
    response = as_owner(order).get(f"/mes-billets/{ticket.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert order.reference in disposition and disposition.endswith('.pdf"')
    (codes,) = decode_pdf(response.content)
    assert len(codes) == 1
    assert check_ticket(codes[0]).ticket == ticket


@pytest.mark.django_db
def test_pdf_holds_the_ticket_facts(order):
    ticket = order.tickets.get(persons=4)
    content = as_owner(order).get(f"/mes-billets/{ticket.pk}/pdf/").content
    text = pypdfium2.PdfDocument(io.BytesIO(content))[0].get_textpage().get_text_range()
    for fact in (
        "Judo — Finales",
        "Marie-José Pérec",
        "mjp@example.fr",
        order.reference,
        "Familiale — 4 personnes",
        "Stade de France",
        "Informations pratiques",
    ):
        assert fact in text, fact


@pytest.mark.django_db
def test_pdf_in_english_names_the_event_in_english(order):
    ticket = order.tickets.get(persons=4)
    Event.objects.filter(pk=ticket.event_id).update(title_en="Judo — Finals")
    client = as_owner(order)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(f"/mes-billets/{ticket.pk}/pdf/").content
    text = pypdfium2.PdfDocument(io.BytesIO(content))[0].get_textpage().get_text_range()
    # The venue has no English translation: the French one stands in.
    for fact in ("Judo — Finals", "Family — 4 people", "Stade de France"):
        assert fact in text, fact
    assert "Judo — Finales" not in text


@pytest.mark.django_db
def test_long_facts_wrap_short_of_the_qr_code(make_user, buy, make_event):
    """A long English venue ran under the QR code; an e-mail address has no space to break at."""
    from etickets.tickets import pdf

    email = "anne-sophie.delafontaine-delacroix.paris2024@exemple.fr"
    venue = "La Seine, du pont d'Austerlitz au Trocadéro, en passant par le pont Alexandre-III"
    event = make_event(title="Cérémonie d'ouverture", venue=venue, city="Paris")
    order = buy(make_user(email=email), (OfferKind.SOLO, 1), event=event)
    ticket = order.tickets.get()
    text = pypdfium2.PdfDocument(io.BytesIO(pdf.tickets_pdf([ticket], "fr")))[0].get_textpage()
    qr_left = pdf.WIDTH - pdf.MARGIN - pdf.QR_SIZE
    content = text.get_text_range()
    for fact in ("Alexandre-III", "paris2024@exe", "Trocadéro"):
        start = content.index(fact)
        for index in range(start, start + len(fact)):
            _left, _bottom, right, _top = text.get_charbox(index)
            assert right < qr_left, f"« {fact} » runs under the QR code"


@pytest.mark.django_db
def test_order_pdf_has_one_page_per_ticket(order):
    response = as_owner(order).get(f"/commandes/{order.reference}/billets.pdf")
    assert f'filename="billets-{order.reference}.pdf"' in response["Content-Disposition"]
    pages = decode_pdf(response.content)
    assert len(pages) == 3
    decoded = {check_ticket(codes[0]).ticket for codes in pages}
    assert decoded == set(order.tickets.all())


@pytest.mark.django_db
def test_qr_in_the_html_carries_a_valid_token(order):
    """The page's SVG draws the same token the PDF carries (segno renders both)."""
    ticket = order.tickets.first()
    html = as_owner(order).get(f"/mes-billets/{ticket.pk}/").content.decode()
    svg = re.search(r"<svg viewBox.*?</svg>", html, re.S).group(0)
    from etickets.tickets.qr import qr_svg
    from etickets.tickets.tokens import issue_token

    assert svg == qr_svg(issue_token(ticket))


@pytest.mark.django_db
def test_other_users_get_404_everywhere(order, make_user):
    stranger = Client()
    stranger.force_login(make_user())
    ticket = order.tickets.first()
    for path in (
        f"/mes-billets/{ticket.pk}/",
        f"/mes-billets/{ticket.pk}/pdf/",
        f"/commandes/{order.reference}/billets.pdf",
    ):
        assert stranger.get(path).status_code == 404, path
    assert stranger.post(f"/mes-billets/{ticket.pk}/regenerer/").status_code == 404
    assert "Judo" not in stranger.get("/mes-billets/").content.decode()


@pytest.mark.django_db
def test_ticket_pages_need_login(order):
    ticket = order.tickets.first()
    for path in ("/mes-billets/", f"/mes-billets/{ticket.pk}/", f"/mes-billets/{ticket.pk}/pdf/"):
        assert Client().get(path).url.startswith("/connexion/?next=")


@pytest.mark.django_db
def test_regenerate_from_the_detail_page(order):
    ticket = order.tickets.first()
    client = as_owner(order)
    path = f"/mes-billets/{ticket.pk}/regenerer/"
    assert f'href="{path}"' in html_of(client.get(ticket.get_absolute_url()))
    # One click (the link, or a post without ``confirm=1``) asks and changes nothing.
    for response in (client.get(path), client.post(path)):
        html = html_of(response)
        assert "Régénérer le QR code ?" in html
        assert "les billets imprimés, les PDF déjà téléchargés" in html
        assert f"billet n° {ticket.number}" in html
        assert f'href="{ticket.get_absolute_url()}">Annuler, garder ce QR code</a>' in html
    assert Ticket.objects.get(pk=ticket.pk).key_version == 1
    response = client.post(path, {"confirm": "1"}, follow=True)
    assert "Nouveau QR code créé" in html_of(response)
    assert Ticket.objects.get(pk=ticket.pk).key_version == 2


@pytest.mark.django_db
def test_a_used_tickets_qr_code_is_not_offered_again(order):
    ticket = order.tickets.first()
    Ticket.objects.filter(pk=ticket.pk).update(used_at=timezone.now())
    client = as_owner(order)
    assert "/regenerer/" not in html_of(client.get(ticket.get_absolute_url()))
    response = client.get(f"/mes-billets/{ticket.pk}/regenerer/", follow=True)
    assert "son QR code n'a pas changé" in html_of(response)
    assert "Régénérer le QR code ?" not in html_of(response)


@pytest.mark.django_db
def test_a_qr_code_is_drawn_once_then_read_from_the_cache(order, monkeypatch):
    """« Mes billets » draws each code once (~7 ms each); the next visits read them back."""
    from etickets.tickets import qr

    drawn = []
    real = qr.qr_code
    monkeypatch.setattr(qr, "qr_code", lambda token: drawn.append(token) or real(token))
    client = as_owner(order)
    first = client.get("/mes-billets/").content
    assert len(drawn) == order.tickets.count()
    assert client.get("/mes-billets/").content.count(b"<svg viewBox") == len(drawn)
    assert len(drawn) == order.tickets.count()  # nothing drawn again
    assert first.count(b"<svg viewBox") == len(drawn)


@pytest.mark.django_db
def test_pages_with_a_live_qr_code_are_never_stored(order):
    """Item 8 of issue 17: a copy kept by the browser's cache or a proxy would outlive the
    code's regeneration and be readable by the next user of a shared computer."""
    client = as_owner(order)
    ticket = order.tickets.first()
    for path in ("/mes-billets/", f"/mes-billets/{ticket.pk}/", f"/mes-billets/{ticket.pk}/pdf/"):
        assert "no-store" in client.get(path)["Cache-Control"], path
