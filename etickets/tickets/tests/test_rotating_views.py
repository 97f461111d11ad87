"""The ticket pages of an event whose codes rotate, and the key they ask for."""

import base64
import datetime
import re
from html import unescape

import pypdfium2
import pytest
from cryptography.hazmat.primitives.serialization import load_der_private_key
from django.test import Client
from django.utils import timezone

from etickets.tickets import tokens
from etickets.tickets.services import check_ticket, regenerate_qr_code
from etickets.tickets.tests.rotating import rotating_code
from etickets.tickets.tests.test_views import decode_pdf


def as_owner(order):
    client = Client(enforce_csrf_checks=True)
    client.force_login(order.user)
    client.get("/mes-billets/")  # the CSRF cookie
    return client


def ask_key(client, ticket):
    return client.post(
        f"/mes-billets/{ticket.pk}/cle-du-qr-code/",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )


@pytest.fixture
def event(order):
    """The order's event, rotating, in two days: within the 72 hours its codes show."""
    event = order.tickets.first().event
    event.rotating_codes = True
    event.starts_at = timezone.now() + datetime.timedelta(days=2)
    event.save()
    return event


@pytest.fixture
def ticket(order, event):
    return order.tickets.select_related("holder", "order", "event").first()


@pytest.mark.django_db
def test_the_ticket_page_draws_a_rotating_code_not_the_static_one(order, ticket):
    html = unescape(as_owner(order).get(ticket.get_absolute_url()).content.decode())
    assert "data-rotating-code" in html
    assert f'data-key-url="/mes-billets/{ticket.pk}/cle-du-qr-code/"' in html
    assert "renouvelé toutes les 15 secondes" in html
    assert "<svg viewBox=" not in html  # no static code to screenshot
    assert "js/rotating-code.js" in html and "qrcode-generator/qrcode.js" in html
    listing = as_owner(order).get("/mes-billets/").content.decode()
    assert listing.count("data-rotating-code") == 3 and "<svg viewBox=" not in listing


@pytest.mark.django_db
def test_before_72_hours_the_page_says_when_the_code_shows(order, ticket, event):
    event.starts_at = timezone.now() + datetime.timedelta(days=10)
    event.save()
    html = unescape(as_owner(order).get(ticket.get_absolute_url()).content.decode())
    shown = timezone.localtime(event.starts_at - datetime.timedelta(hours=72))
    assert re.search(rf"Votre QR code apparaîtra ici le \w+ {shown.day} \w+ {shown.year}", html)
    assert f"à {shown:%H:%M}." in html
    assert "data-rotating-code" not in html and "<svg viewBox=" not in html
    assert ask_key(as_owner(order), ticket).status_code == 409


@pytest.mark.django_db
def test_the_pdf_keeps_the_static_code_for_a_printed_ticket(order, ticket):
    pdf = as_owner(order).get(f"/mes-billets/{ticket.pk}/pdf/").content
    (codes,) = decode_pdf(pdf)
    assert check_ticket(codes[0]).printed
    text = " ".join(pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range().split())
    assert "Billet imprimé : une pièce d'identité à votre nom vous sera demandée" in text


@pytest.mark.django_db
def test_the_holder_gets_the_key_that_signs_the_code(order, ticket):
    response = ask_key(as_owner(order), ticket)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.json()
    assert key["key_version"] == 1 and key["step_seconds"] == 15
    assert abs(key["server_time"] / 1000 - timezone.now().timestamp()) < 5
    certificate = base64.b64decode(key["certificate"])
    private = load_der_private_key(base64.b64decode(key["private_key"]), password=None)
    code = rotating_code(ticket, certificate=certificate, private_key=private)
    assert check_ticket(code).ticket == ticket
    regenerate_qr_code(ticket)
    fresh = ask_key(as_owner(order), ticket).json()
    assert fresh["key_version"] == 2 and fresh["private_key"] != key["private_key"]
    assert tokens.read_token(rotating_code(ticket)).key_version == 2


@pytest.mark.django_db
def test_nobody_else_gets_the_key(order, ticket, make_user):
    stranger = Client(enforce_csrf_checks=True)
    stranger.force_login(make_user())
    stranger.get("/mes-billets/")
    assert ask_key(stranger, ticket).status_code == 404
    anonymous = Client()
    assert anonymous.post(f"/mes-billets/{ticket.pk}/cle-du-qr-code/").status_code == 302
    owner = as_owner(order)
    assert owner.get(f"/mes-billets/{ticket.pk}/cle-du-qr-code/").status_code == 405
    no_csrf = Client(enforce_csrf_checks=True)
    no_csrf.force_login(order.user)
    assert no_csrf.post(f"/mes-billets/{ticket.pk}/cle-du-qr-code/").status_code == 403


@pytest.mark.django_db
def test_no_key_for_a_ticket_that_cannot_enter_or_a_static_event(order, ticket, event):
    ticket.used_at = timezone.now()
    ticket.save()
    assert ask_key(as_owner(order), ticket).json()["code"] == "code_not_shown"
    html = as_owner(order).get(ticket.get_absolute_url()).content.decode()
    assert "data-rotating-code" not in html and "Utilisé" in html
    other = order.tickets.exclude(pk=ticket.pk).first()
    event.rotating_codes = False
    event.save()
    assert ask_key(as_owner(order), other).status_code == 409
    assert "<svg viewBox=" in as_owner(order).get(other.get_absolute_url()).content.decode()
